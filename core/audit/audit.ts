// The audit trail: every read of a resident's unmasked personal data and every staff action, with
// who, when, the request id, what, the case or message and the caller's address. Rows are only
// ever added (the table's triggers refuse UPDATE, DELETE and TRUNCATE).
import type { Db } from '../db/connect';
import { insertAudit, searchAudit, type AuditFilter, type AuditRow } from '../db/audit';

/** The closed list of what is recorded; `staff.request` is any other state-changing staff request. */
export const AUDIT_ACTIONS = [
  'contact.read', // name, phone, address of a case's residents
  'case.action', // a case action (派单, 签收, 答复, 办结…), detail.action names it
  'triage.correct',
  'auth.login',
  'auth.login-failed',
  'auth.logout',
  'auth.password-changed',
  'admin.user-created',
  'admin.user-disabled',
  'admin.user-enabled',
  'admin.password-reset',
  'admin.token-created',
  'admin.token-revoked',
  'kb.entry-created', // 知识库: detail.entryId, and for a change what changed (from, to)
  'kb.entry-updated',
  'kb.entry-deleted',
  'kb.template-created', // 答复模板
  'kb.template-updated',
  'kb.template-deleted',
  'staff.request',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditContext {
  /** username, or `anonymous` / the name tried for a failed login */
  actor: string;
  actorRole: string | null;
  requestId: string | null;
  ip: string | null;
}

export interface AuditEvent {
  action: AuditAction;
  caseId?: number | null;
  messageId?: number | null;
  detail?: Record<string, unknown>;
}

export async function recordAudit(sql: Db, who: AuditContext, e: AuditEvent): Promise<void> {
  await insertAudit(sql, { ...who, action: e.action, caseId: e.caseId ?? null, messageId: e.messageId ?? null, detail: e.detail ?? {} });
}

export function findAudit(sql: Db, filter: AuditFilter): Promise<{ items: AuditRow[]; next: number | null }> {
  return searchAudit(sql, filter);
}
