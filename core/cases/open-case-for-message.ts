// The worker's pipeline for one message: read it (NLP), attach it to an open case about the same
// problem (合并) or open a case (工单), route it and start its legal clock through the case service.
// Idempotent: a message that already has a case is left alone.
import { appendCaseEvents, countCasesWithTrackingNo, insertDupFeatures, listDuplicateCandidates, listLegacyDupCases, lockCaseStatus, lockDuplicateKeys, type DuplicateCandidate } from '../db/cases';
import type { Db } from '../db/connect';
import { getMessage, lockMessageForCase, markMessageProcessed, type StoredMessage } from '../db/messages';
import { analyzeMessage } from '../nlp/analyze';
import type { MessageAnalysis } from '../nlp/types';
import { PermanentJobError } from '../queue/contract';
import { afterCommit } from './after-commit';
import type { CaseServiceDeps } from './deps';
import { candidateKeys, DEFAULT_DUPLICATE_POLICY, featuresOf, isDuplicate, scoreDuplicate, scoreFeatures, type DuplicateFeatures, type DuplicatePolicy, type DuplicateScore, type DuplicateSubject } from './duplicates';
import { openCaseInTx } from './open-case';
import { shippedRouter, UNROUTED_RULE, type RouteInput, type Router } from './routing';
import { slaRequestType, type CaseClassification, type Deadlines } from './sla';
import { isOpenStatus } from './statuses';

export interface PipelineContext extends CaseServiceDeps {
  /** the router of the shipped data (absent: the one built from lexicons/ on first use) */
  router?: Router;
  duplicates?: DuplicatePolicy | false;
}

export interface OpenCaseResult {
  caseId: number;
  created: boolean;
  deadlines?: Deadlines | null;
  /** set when the message joined an open case instead of opening one */
  merged?: { confidence: number; score: DuplicateScore };
}

/**
 * The subtopic the SLA policy matches (e.g. a utilities outage's 24-hour clock): only what the
 * urgency reader affirmed. "不是停电" yields '停电:否定' and "停电了吗？" '停电:咨询', neither of which is an outage.
 */
export function subtopicOf(a: MessageAnalysis): string | null {
  const affirmed = a.urgency.reasons.filter((r) => !/:(否定|咨询)$/.test(r)).map((r) => r.split(':')[0]);
  return affirmed.length ? affirmed.join(' ') : null;
}

export function classificationOf(a: MessageAnalysis): CaseClassification {
  return { urgency: a.urgency.label === 'urgent' ? 'urgent' : 'normal', requestType: slaRequestType(a.requestType.label), subtopic: subtopicOf(a) };
}

function subjectOf(a: MessageAnalysis, title: string | null): DuplicateSubject {
  return {
    text: `${title ?? ''} ${a.maskedText}`,
    fingerprint: a.fingerprint,
    keywords: a.keywords,
    category: a.category.label,
    district: a.place.district,
    street: a.place.street,
    community: a.place.community,
  };
}

/**
 * The best open case this message duplicates, if any (same place, within the window, likeness over
 * the bar). Candidates come from the feature index (they share a SimHash band, problem object or
 * keyword) and are scored from their stored features; cases opened before features were stored are
 * scored from their text, as before.
 */
async function findDuplicateCase(sql: Db, msg: StoredMessage, a: MessageAnalysis, policy: DuplicatePolicy, me: DuplicateSubject, mine: DuplicateFeatures) {
  if (!a.place.district && !a.place.street) return null;
  const since = new Date(msg.receivedAt.getTime() - policy.windowDays * 86_400_000);
  // the window runs both ways: workers may process a later report of the same problem first
  const until = new Date(msg.receivedAt.getTime() + policy.windowDays * 86_400_000);
  const place = { since, until, district: a.place.district, street: a.place.street };
  // one statement (indexed and legacy candidates), sent before this awaits: in the round trip of the locks
  const { indexed, legacy } = await listDuplicateCandidates(sql, { ...place, keys: candidateKeys(mine) });
  let best: { id: number; score: DuplicateScore } | null = null;
  const consider = (id: number, score: DuplicateScore) => {
    if (isDuplicate(score, policy) && (!best || score.confidence > best.score.confidence)) best = { id, score };
  };
  for (const c of indexed) consider(c.id, scoreFeatures(mine, c));
  for (const c of legacy) {
    const subject: DuplicateSubject = { ...c, text: `${c.title ?? ''} ${c.summary}` };
    consider(c.id, scoreDuplicate(me, subject));
    // stored once, so the next message finds this case through the index
    await storeFeaturesFromText(sql, c, subject);
  }
  return best as { id: number; score: DuplicateScore } | null;
}

/** The stored duplicate features of a case scored from its text (one opened before features existed). */
async function storeFeaturesFromText(sql: Db, c: DuplicateCandidate, subject: DuplicateSubject = { ...c, text: `${c.title ?? ''} ${c.summary}` }) {
  const f = featuresOf(subject);
  await insertDupFeatures(sql, c.id, {
    district: c.district, street: c.street, createdAt: c.createdAt,
    keys: candidateKeys(f), bigrams: f.bigrams, topics: f.topics, buildings: f.buildings, keywords: f.keywords,
  });
}

/**
 * Stores the features of up to `batch` cases still listed without them (migration 0110's list; any
 * status, so a case reopened later is found through the index too), each leaving the list; returns
 * how many. Run by the read-model sweep, so the per-message legacy look-up soon reads an empty list.
 */
export async function backfillLegacyDupFeatures(sql: Db, batch = 200): Promise<number> {
  const rows = await listLegacyDupCases(sql, batch);
  for (const c of rows) await storeFeaturesFromText(sql, c);
  return rows.length;
}

export interface OpenOptions {
  /** split: the message gets its own case even though it has one, and no merge is tried */
  split?: { fromCaseId: number; reason: string; actor: { kind: 'staff' | 'centre'; id: string } };
}

/**
 * Turns a stored message into a case. `now` is when the system acts (dispatch time);
 * the legal clock starts at receipt, so a backlog in the workers never shortens the resident's wait.
 */
export async function openCaseForMessage(ctx: PipelineContext, messageId: number, now: Date = new Date(), opts: OpenOptions = {}): Promise<OpenCaseResult> {
  const msg = await getMessage(ctx.sql, messageId);
  if (!msg) throw new PermanentJobError(`message ${messageId} does not exist`);
  if (msg.caseId && !opts.split) return { caseId: msg.caseId, created: false };

  const analysis = msg.analysis && opts.split ? msg.analysis : analyzeMessage(msg.body, { title: msg.title ?? undefined, address: msg.address ?? undefined });
  const dispatchAt = now < msg.receivedAt ? msg.receivedAt : now;
  const dupPolicy = ctx.duplicates === false || opts.split ? null : ctx.duplicates ?? DEFAULT_DUPLICATE_POLICY;
  const deps: CaseServiceDeps = ctx;
  const me = subjectOf(analysis, msg.title);
  const mine = featuresOf(me);

  const result = await ctx.sql.begin(async (tx) => {
    // one round trip (core/db/cases.ts PIPELINING): the message locked, with the id a new case gets,
    // then the duplicate locks, then the candidates read under them. On a replay (the message has its
    // case) the candidates are read for nothing, and the locks are released at commit
    const place = [analysis.place.district, analysis.place.street].filter((p): p is string => !!p);
    const lockedQ = lockMessageForCase(tx, messageId);
    // two near-duplicates processed at the same moment must not both open a case: duplicate
    // detection and case opening are serialised per place (district and street, as candidates match
    // on either) and problem object; messages about different problems at one place do not wait
    const dupLockQ = dupPolicy && place.length ? lockDuplicateKeys(tx, place, mine.topics) : undefined;
    const dupQ = dupPolicy ? findDuplicateCase(tx, msg, analysis, dupPolicy, me, mine) : null;
    const [locked, , dup] = await Promise.all([lockedQ, dupLockQ, dupQ]);
    if (!locked) throw new PermanentJobError(`message ${messageId} does not exist`);
    if (locked.caseId && !opts.split) return { caseId: locked.caseId, created: false } as OpenCaseResult & { timers?: never };
    if (opts.split && locked.caseId !== opts.split.fromCaseId) throw new PermanentJobError(`message ${messageId} is not on case ${opts.split.fromCaseId}`);

    if (dup) {
      const status = await lockCaseStatus(tx, dup.id);
      if (status && isOpenStatus(status)) {
        await Promise.all([
          appendCaseEvents(tx, dup.id, [{
            type: 'merged', fromStatus: status, toStatus: status, actorKind: 'system', actorId: 'duplicates', at: dispatchAt,
            data: { messageId, channel: msg.channel, trackingNo: msg.trackingNo, confidence: dup.score.confidence, score: dup.score },
          }]),
          markMessageProcessed(tx, messageId, dup.id, dispatchAt, analysis),
        ]);
        return { caseId: dup.id, created: false, merged: { confidence: dup.score.confidence, score: dup.score } };
      }
    }

    const router = ctx.router ?? shippedRouter();
    const routeInput: RouteInput = {
      category: analysis.category.label,
      requestType: analysis.requestType.label,
      keywords: analysis.keywords,
      text: `${msg.title ?? ''} ${analysis.normalizedText}`,
      place: { district: analysis.place.district, street: analysis.place.street, community: analysis.place.community },
    };
    const route = router.route(routeInput);
    // no rule and no place: the case is not sent to the centre as if it were a department; it waits
    // in 待派单 (received, needs review) with the departments the table suggests and why
    const unrouted = route.ruleId === UNROUTED_RULE;
    const fields = caseFields(msg, analysis, route);
    if (opts.split) {
      // the message's own number may already name a case (the one that was merged away)
      const n = await countCasesWithTrackingNo(tx, msg.trackingNo);
      if (n > 0) fields.trackingNo = `${msg.trackingNo}-${n}`;
    }
    const opened = await openCaseInTx(tx, deps, {
      fields,
      classification: classificationOf(analysis),
      route: unrouted ? null : route,
      awaiting: unrouted ? { reason: route.reason, suggestions: router.suggest(routeInput) } : undefined,
      receivedAt: msg.receivedAt,
      dispatchAt,
      receivedData: { channel: msg.channel, messageId, ...(opts.split ? { splitFrom: opts.split.fromCaseId } : {}) },
      analysedEvent: {
        category: analysis.category, requestType: analysis.requestType, urgency: analysis.urgency,
        sentiment: analysis.sentiment, place: analysis.place, needsReview: analysis.needsReview, subtopic: subtopicOf(analysis),
      },
    }, {
      caseId: locked.newCaseId,
      alongside: (c) => [
        insertDupFeatures(tx, c.id, {
          district: analysis.place.district, street: analysis.place.street, createdAt: c.createdAt,
          keys: candidateKeys(mine), bigrams: mine.bigrams, topics: mine.topics, buildings: mine.buildings, keywords: mine.keywords,
        }),
        markMessageProcessed(tx, messageId, c.id, dispatchAt, analysis),
      ],
    });
    if (opened.deadlineProblem) ctx.log?.warn({ messageId, err: opened.deadlineProblem }, 'not dispatched: no holiday calendar can count the receipt year');
    if (opts.split) {
      const from = await lockCaseStatus(tx, opts.split.fromCaseId);
      if (!from) throw new PermanentJobError(`case ${opts.split.fromCaseId} does not exist`);
      await appendCaseEvents(tx, opts.split.fromCaseId, [{
        type: 'split', fromStatus: from, toStatus: from, actorKind: opts.split.actor.kind, actorId: opts.split.actor.id, at: dispatchAt,
        data: { messageId, trackingNo: msg.trackingNo, newCaseId: opened.row.id, reason: opts.split.reason },
      }]);
    }
    return { caseId: opened.row.id, created: true, deadlines: opened.state.deadlines, timers: opened.timers };
  });
  if ('timers' in result && result.timers) await afterCommit(deps, { timers: result.timers, outboxIds: [] }, { board: false });
  const { timers: _t, ...out } = result as OpenCaseResult & { timers?: unknown };
  return out;
}

function caseFields(msg: StoredMessage, a: MessageAnalysis, route: ReturnType<Router['route']>) {
  const title = msg.title ?? (a.maskedText.slice(0, 40) || null);
  return {
    trackingNo: msg.trackingNo,
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
    needsReview: a.needsReview || !route.department || route.ruleId === UNROUTED_RULE,
    departmentCode: null,
    routeRule: route.ruleId ?? null,
  };
}
