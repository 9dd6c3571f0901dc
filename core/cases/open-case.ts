// The worker's pipeline for one message: read it (NLP), route it, set its legal deadlines and open
// its case (工单) with the audit trail. Idempotent: a message that already has a case is left alone.
import type { Sql } from '../db/connect';
import { appendCaseEvents, insertCase, type CaseRow } from '../db/cases';
import { getMessage, type StoredMessage } from '../db/messages';
import { analyzeMessage } from '../nlp/analyze';
import type { MessageAnalysis } from '../nlp/types';
import { PermanentJobError } from '../queue/contract';
import { CalendarYearMissingError, type WorkingCalendar } from './calendar';
import { routeCase } from './routing';
import { computeDeadlines, type Deadlines, type SlaPolicy } from './sla';

export interface PipelineContext {
  sql: Sql;
  policy: SlaPolicy;
  calendar: WorkingCalendar;
  log?: { warn(obj: object, msg: string): void };
}

export interface OpenCaseResult {
  caseId: number;
  created: boolean;
  case?: CaseRow;
  deadlines?: Deadlines | null;
}

function requestTypeOf(a: MessageAnalysis): '咨询' | '求助' | '投诉' | '举报' | '建议' | '感谢' {
  const t = a.requestType.label;
  return (['咨询', '求助', '投诉', '举报', '建议', '感谢'] as const).find((x) => x === t) ?? '求助';
}

/**
 * Turns a stored message into a case. `now` is when the system acts (dispatch time);
 * the legal clock starts at receipt, so a backlog in the workers never shortens the resident's wait.
 */
export async function openCaseForMessage(ctx: PipelineContext, messageId: number, now: Date = new Date()): Promise<OpenCaseResult> {
  const msg = await getMessage(ctx.sql, messageId);
  if (!msg) throw new PermanentJobError(`message ${messageId} does not exist`);
  if (msg.caseId) return { caseId: msg.caseId, created: false };

  const analysis = analyzeMessage(msg.body, { title: msg.title ?? undefined, address: msg.address ?? undefined });
  const route = routeCase({
    category: analysis.category.label,
    requestType: analysis.requestType.label,
    keywords: analysis.keywords,
    text: `${msg.title ?? ''} ${analysis.normalizedText}`,
    place: { district: analysis.place.district, street: analysis.place.street, community: analysis.place.community },
  });
  const dispatchAt = now < msg.receivedAt ? msg.receivedAt : now;
  let deadlines: Deadlines | null = null;
  let deadlineProblem: string | null = null;
  try {
    deadlines = computeDeadlines(
      ctx.policy,
      ctx.calendar,
      { urgency: analysis.urgency.label === 'urgent' ? 'urgent' : 'normal', requestType: requestTypeOf(analysis), subtopic: `${msg.title ?? ''}${analysis.normalizedText}` },
      msg.receivedAt,
    );
  } catch (err) {
    if (!(err instanceof CalendarYearMissingError)) throw err;
    // never guess a deadline: the case is opened, flagged, and staff see why
    deadlineProblem = err.message;
    ctx.log?.warn({ messageId, err: err.message }, 'deadline not computed: holiday calendar missing');
  }

  return ctx.sql.begin(async (tx) => {
    const [locked] = await tx<{ caseId: number | null }[]>`SELECT case_id AS "caseId" FROM messages WHERE id = ${messageId} FOR UPDATE`;
    if (locked?.caseId) return { caseId: locked.caseId, created: false };
    const row = await insertCase(tx as unknown as Sql, caseFields(msg, analysis, route, deadlines, dispatchAt, deadlineProblem !== null));
    await appendCaseEvents(tx as unknown as Sql, row.id, [
      { type: 'received', fromStatus: null, toStatus: 'received', actorKind: 'system', at: msg.receivedAt, data: { channel: msg.channel, messageId } },
      {
        type: 'analysed', fromStatus: 'received', toStatus: 'received', actorKind: 'system', at: dispatchAt,
        data: {
          category: analysis.category, requestType: analysis.requestType, urgency: analysis.urgency,
          sentiment: analysis.sentiment, place: analysis.place, needsReview: analysis.needsReview,
        },
      },
      ...(route.department
        ? [{
            type: 'dispatched', fromStatus: 'received', toStatus: 'dispatched', actorKind: 'system' as const, at: dispatchAt,
            data: {
              department: route.department, ruleId: route.ruleId, reason: route.reason, confidence: route.confidence,
              deadlines: deadlines ? Object.fromEntries(Object.entries(deadlines).map(([k, d]) => [k, { due: d.due, unit: d.unit, amount: d.amount, basis: d.basis }])) : null,
              ...(deadlineProblem ? { deadlineProblem } : {}),
            },
          }]
        : []),
    ]);
    await tx`
      UPDATE messages SET case_id = ${row.id}, state = 'processed', processed_at = ${dispatchAt},
        analysis = ${tx.json(analysis as never)}, attempts = attempts + 1, last_error = NULL
      WHERE id = ${messageId}`;
    return { caseId: row.id, created: true, case: row, deadlines };
  });
}

function caseFields(
  msg: StoredMessage,
  a: MessageAnalysis,
  route: ReturnType<typeof routeCase>,
  deadlines: Deadlines | null,
  dispatchAt: Date,
  deadlineMissing: boolean,
) {
  const title = msg.title ?? (a.maskedText.slice(0, 40) || null);
  return {
    trackingNo: msg.trackingNo,
    status: route.department ? ('dispatched' as const) : ('received' as const),
    title,
    summary: a.maskedText.slice(0, 2000) || '(空白留言)',
    channel: msg.channel,
    category: a.category.label,
    categoryConfidence: a.category.confidence,
    requestType: a.requestType.label,
    typeConfidence: a.requestType.confidence,
    urgency: a.urgency.label === 'urgent' ? ('urgent' as const) : ('normal' as const),
    sentiment: a.sentiment.label,
    sentimentScore: a.sentiment.score,
    district: a.place.district,
    street: a.place.street,
    community: a.place.community,
    address: a.place.address ?? msg.address,
    keywords: a.keywords,
    fingerprint: a.fingerprint,
    needsReview: a.needsReview || deadlineMissing || !route.department,
    departmentCode: route.department ?? null,
    routeRule: route.ruleId ?? null,
    acceptDueAt: deadlines?.acceptance.due ?? null,
    responseDueAt: deadlines?.response.due ?? null,
    resolveDueAt: deadlines?.resolution.due ?? null,
    dispatchedAt: route.department ? dispatchAt : null,
    createdAt: msg.receivedAt,
  };
}
