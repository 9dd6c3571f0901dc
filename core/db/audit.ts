// The audit trail (audit_log): append-only, enforced by the table's triggers (migration 0020).
import type { Db } from './connect';

export interface AuditEntry {
  actor: string;
  actorRole: string | null;
  requestId: string | null;
  action: string;
  caseId: number | null;
  messageId: number | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

export interface AuditRow extends AuditEntry {
  id: number;
  at: Date;
}

export async function insertAudit(sql: Db, e: AuditEntry): Promise<{ id: number }> {
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO audit_log (actor, actor_role, request_id, action, case_id, message_id, ip, detail)
    VALUES (${e.actor}, ${e.actorRole}, ${e.requestId}, ${e.action}, ${e.caseId}, ${e.messageId}, ${e.ip}, ${sql.json(e.detail as never)})
    RETURNING id`;
  return row;
}

export interface AuditFilter {
  actor?: string;
  /** an exact action, or a prefix ending in '*' (e.g. `case.*`) */
  action?: string;
  from?: Date;
  to?: Date;
  caseId?: number;
  limit: number;
  /** keyset pagination: rows older than this id */
  before?: number;
}

/** Newest first; `next` is the id to pass as `before` for the following page (null: no more). */
export async function searchAudit(sql: Db, f: AuditFilter): Promise<{ items: AuditRow[]; next: number | null }> {
  const action = f.action?.endsWith('*') ? sql`AND action LIKE ${f.action.slice(0, -1).replace(/[\\%_]/g, '\\$&') + '%'}` : f.action ? sql`AND action = ${f.action}` : sql``;
  const rows = await sql<AuditRow[]>`
    SELECT id, at, actor, actor_role, request_id, action, case_id, message_id, ip, detail FROM audit_log
    WHERE true
      ${f.actor ? sql`AND actor = ${f.actor}` : sql``}
      ${action}
      ${f.from ? sql`AND at >= ${f.from}` : sql``}
      ${f.to ? sql`AND at < ${f.to}` : sql``}
      ${f.caseId ? sql`AND case_id = ${f.caseId}` : sql``}
      ${f.before ? sql`AND id < ${f.before}` : sql``}
    ORDER BY id DESC LIMIT ${f.limit + 1}`;
  const items = rows.slice(0, f.limit);
  return { items, next: rows.length > f.limit ? items[items.length - 1].id : null };
}
