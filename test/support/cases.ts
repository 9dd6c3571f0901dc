// Cases for lifecycle tests without the NLP: a stored message, a case opened through the case
// service with a chosen classification and department, and staff users with known tokens.
import { randomBytes } from 'node:crypto';
import { upsertStaffUser, type StaffRole } from '../../core/auth/staff';
import type { CaseServiceDeps } from '../../core/cases/deps';
import { openCaseInTx } from '../../core/cases/open-case';
import type { CaseClassification } from '../../core/cases/sla';
import { loadShipped } from '../../core/shipped/index';
import type { Sql } from '../../core/db/connect';
import { insertMessage, type StoredMessage } from '../../core/db/messages';
import type { IncomingMessage } from '../../core/messages/incoming';

/** the shipped data, as the entry points load it */
export const shipped = loadShipped();
export const sla = shipped.sla;

export function serviceDeps(sql: Sql): CaseServiceDeps {
  return { sql, policy: sla.policy, calendar: sla.calendar };
}

export function incoming(over: Partial<IncomingMessage> = {}): IncomingMessage {
  return {
    channel: 'portal', externalId: `t-${randomBytes(6).toString('hex')}`, receivedAt: new Date(), raw: '{}', rawContentType: 'application/json',
    title: null, body: '镜湖区赭山街道赭山路路灯不亮，晚上很黑，请尽快维修。', contactName: '王先生', contactPhone: '13805530000',
    contactHandle: null, account: null, address: null, location: null, isPublic: true, ...over,
  };
}

export async function openTestCase(
  sql: Sql,
  opts: {
    department?: string | null; classification?: Partial<CaseClassification>; receivedAt?: Date; dispatchAt?: Date; message?: Partial<IncomingMessage>;
    /** another policy or calendar than lexicons/ (e.g. a calendar read from a temporary folder) */
    deps?: CaseServiceDeps;
  } = {},
): Promise<{ caseId: number; message: StoredMessage }> {
  const receivedAt = opts.receivedAt ?? new Date(Date.now() - 60_000);
  const { message } = await insertMessage(sql, incoming({ receivedAt, ...opts.message }));
  const department = opts.department === undefined ? 'urban-mgmt' : opts.department;
  const caseId = await sql.begin(async (tx) => {
    const opened = await openCaseInTx(tx, opts.deps ?? serviceDeps(sql), {
      fields: {
        trackingNo: message.trackingNo, title: message.title, summary: message.body, channel: message.channel, category: '城乡建设',
        categoryConfidence: 0.9, requestType: opts.classification?.requestType ?? '投诉', typeConfidence: 0.9, urgency: opts.classification?.urgency ?? 'normal',
        sentiment: 'negative', sentimentScore: -0.5, district: '镜湖区', street: '赭山街道', community: null, address: null, keywords: ['路灯'],
        fingerprint: null, needsReview: false, departmentCode: null, routeRule: 'test',
      },
      classification: { urgency: 'normal', requestType: '投诉', subtopic: null, ...opts.classification },
      route: department ? { department, ruleId: 'test', reason: 'test', confidence: 0.9 } : null,
      receivedAt,
      dispatchAt: opts.dispatchAt ?? receivedAt,
    });
    await tx`UPDATE messages SET case_id = ${opened.row.id}, state = 'processed' WHERE id = ${message.id}`;
    return opened.row.id;
  });
  return { caseId, message: { ...message, caseId } };
}

/** Attaches one more resident's message to a case (as the duplicate merge does). */
export async function attachMessage(sql: Sql, caseId: number, over: Partial<IncomingMessage> = {}): Promise<StoredMessage> {
  const { message } = await insertMessage(sql, incoming(over));
  await sql`UPDATE messages SET case_id = ${caseId}, state = 'processed' WHERE id = ${message.id}`;
  return { ...message, caseId };
}

export async function staffToken(sql: Sql, role: StaffRole, departmentCode: string | null = null): Promise<string> {
  const token = `t-${randomBytes(12).toString('hex')}`;
  await upsertStaffUser(sql, { username: `${role}-${departmentCode ?? 'x'}-${token.slice(2, 8)}`, displayName: 'test', role, departmentCode, token });
  return token;
}
