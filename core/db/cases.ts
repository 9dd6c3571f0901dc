// Cases (工单) and their append-only event history.
import type { Db } from './connect';

export type CaseStatus = 'received' | 'dispatched' | 'accepted' | 'returned' | 'waiting' | 'replied' | 'closed' | 'rated' | 'merged';
export const OPEN_STATUSES: CaseStatus[] = ['received', 'dispatched', 'accepted', 'returned', 'waiting'];

export interface CaseRow {
  id: number;
  trackingNo: string;
  status: CaseStatus;
  title: string | null;
  summary: string;
  channel: string;
  category: string | null;
  categoryConfidence: number | null;
  requestType: string | null;
  typeConfidence: number | null;
  urgency: 'urgent' | 'normal';
  sentiment: string | null;
  sentimentScore: number | null;
  district: string | null;
  street: string | null;
  community: string | null;
  address: string | null;
  keywords: string[];
  fingerprint: string | null;
  needsReview: boolean;
  departmentCode: string | null;
  routeRule: string | null;
  returnCount: number;
  extensionDays: number;
  acceptDueAt: Date | null;
  responseDueAt: Date | null;
  resolveDueAt: Date | null;
  dispatchedAt: Date | null;
  acceptedAt: Date | null;
  firstResponseAt: Date | null;
  repliedAt: Date | null;
  closedAt: Date | null;
  ratedAt: Date | null;
  rating: string | null;
  resolved: boolean | null;
  replyText: string | null;
  pausedAt: Date | null;
  overdue: boolean;
  escalatedAt: Date | null;
  mergedInto: number | null;
  awaitingDesignation: boolean;
  reopenCount: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const caseColumns = (sql: Db) => sql`
  id, tracking_no AS "trackingNo", status, title, summary, channel, category, category_confidence AS "categoryConfidence",
  request_type AS "requestType", type_confidence AS "typeConfidence", urgency, sentiment, sentiment_score AS "sentimentScore",
  district, street, community, address, keywords, fingerprint, needs_review AS "needsReview",
  department_code AS "departmentCode", route_rule AS "routeRule", return_count AS "returnCount", extension_days AS "extensionDays",
  accept_due_at AS "acceptDueAt", response_due_at AS "responseDueAt", resolve_due_at AS "resolveDueAt",
  dispatched_at AS "dispatchedAt", accepted_at AS "acceptedAt", first_response_at AS "firstResponseAt",
  replied_at AS "repliedAt", closed_at AS "closedAt", rated_at AS "ratedAt", rating, resolved, reply_text AS "replyText",
  paused_at AS "pausedAt", overdue, escalated_at AS "escalatedAt", merged_into AS "mergedInto",
  awaiting_designation AS "awaitingDesignation", reopen_count AS "reopenCount", version,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** What opening a case writes; the rest of the row starts from the column defaults. */
export type NewCase = Pick<
  CaseRow,
  | 'trackingNo' | 'status' | 'title' | 'summary' | 'channel' | 'category' | 'categoryConfidence' | 'requestType'
  | 'typeConfidence' | 'urgency' | 'sentiment' | 'sentimentScore' | 'district' | 'street' | 'community' | 'address'
  | 'keywords' | 'fingerprint' | 'needsReview' | 'departmentCode' | 'routeRule' | 'acceptDueAt' | 'responseDueAt'
  | 'resolveDueAt' | 'dispatchedAt' | 'createdAt'
>;

export async function insertCase(sql: Db, c: NewCase): Promise<CaseRow> {
  const [row] = await sql<CaseRow[]>`
    INSERT INTO cases (tracking_no, status, title, summary, channel, category, category_confidence, request_type,
      type_confidence, urgency, sentiment, sentiment_score, district, street, community, address, keywords, fingerprint,
      needs_review, department_code, route_rule, accept_due_at, response_due_at, resolve_due_at, dispatched_at, created_at)
    VALUES (${c.trackingNo}, ${c.status}, ${c.title}, ${c.summary}, ${c.channel}, ${c.category}, ${c.categoryConfidence},
      ${c.requestType}, ${c.typeConfidence}, ${c.urgency}, ${c.sentiment}, ${c.sentimentScore}, ${c.district}, ${c.street},
      ${c.community}, ${c.address}, ${c.keywords}, ${c.fingerprint}, ${c.needsReview}, ${c.departmentCode}, ${c.routeRule},
      ${c.acceptDueAt}, ${c.responseDueAt}, ${c.resolveDueAt}, ${c.dispatchedAt}, ${c.createdAt})
    RETURNING ${caseColumns(sql)}`;
  return row;
}

export interface CaseEventInput {
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  actorKind: 'system' | 'staff' | 'centre' | 'department' | 'resident' | 'leader';
  actorId?: string | null;
  at: Date;
  data?: Record<string, unknown>;
}

export interface CaseEvent extends CaseEventInput {
  id: number;
  caseId: number;
  seq: number;
}

/** Appends events in order; call inside the transaction that changed the case (the case row is locked there). */
export async function appendCaseEvents(sql: Db, caseId: number, events: CaseEventInput[]): Promise<void> {
  if (!events.length) return;
  const [{ next }] = await sql<{ next: number }[]>`SELECT coalesce(max(seq), 0) + 1 AS next FROM case_events WHERE case_id = ${caseId}`;
  const rows = events.map((e, i) => ({
    caseId, seq: next + i, type: e.type, fromStatus: e.fromStatus, toStatus: e.toStatus, actorKind: e.actorKind, actorId: e.actorId ?? null, at: e.at, data: e.data ?? {},
  }));
  // the helper's camelCase names become the snake_case columns (connect.ts transform)
  await sql`INSERT INTO case_events ${sql(rows as never, 'caseId', 'seq', 'type', 'fromStatus', 'toStatus', 'actorKind', 'actorId', 'at', 'data')}`;
}

export async function getCase(sql: Db, id: number): Promise<CaseRow | undefined> {
  const [row] = await sql<CaseRow[]>`SELECT ${caseColumns(sql)} FROM cases WHERE id = ${id}`;
  return row;
}

export async function getCaseForUpdate(sql: Db, id: number): Promise<CaseRow | undefined> {
  const [row] = await sql<CaseRow[]>`SELECT ${caseColumns(sql)} FROM cases WHERE id = ${id} FOR UPDATE`;
  return row;
}

export async function getCaseByTrackingNo(sql: Db, trackingNo: string): Promise<CaseRow | undefined> {
  const [row] = await sql<CaseRow[]>`SELECT ${caseColumns(sql)} FROM cases WHERE tracking_no = ${trackingNo}`;
  return row;
}

export async function listCaseEvents(sql: Db, caseId: number): Promise<CaseEvent[]> {
  return sql<CaseEvent[]>`
    SELECT id, case_id AS "caseId", seq, type, from_status AS "fromStatus", to_status AS "toStatus",
      actor_kind AS "actorKind", actor_id AS "actorId", at, data
    FROM case_events WHERE case_id = ${caseId} ORDER BY seq`;
}

export interface CaseFilter {
  status?: string[];
  departmentCode?: string;
  category?: string;
  district?: string;
  needsReview?: boolean;
  overdue?: boolean;
  q?: string;
  limit: number;
  offset: number;
}

export async function listCases(sql: Db, f: CaseFilter, now = new Date()): Promise<{ total: number; items: CaseRow[] }> {
  const where = sql`
    WHERE true
    ${f.status?.length ? sql`AND status IN ${sql(f.status)}` : sql``}
    ${f.departmentCode ? sql`AND department_code = ${f.departmentCode}` : sql``}
    ${f.category ? sql`AND category = ${f.category}` : sql``}
    ${f.district ? sql`AND district = ${f.district}` : sql``}
    ${f.needsReview !== undefined ? sql`AND needs_review = ${f.needsReview}` : sql``}
    ${f.overdue ? sql`AND status IN ${sql(OPEN_STATUSES)} AND resolve_due_at < ${now}` : sql``}
    ${f.q ? sql`AND (summary ILIKE ${'%' + f.q + '%'} OR title ILIKE ${'%' + f.q + '%'} OR tracking_no = ${f.q})` : sql``}`;
  const [{ total }] = await sql<{ total: number }[]>`SELECT count(*)::int AS total FROM cases ${where}`;
  const items = await sql<CaseRow[]>`
    SELECT ${caseColumns(sql)} FROM cases ${where}
    ORDER BY (urgency = 'urgent') DESC, resolve_due_at ASC NULLS LAST, id DESC
    LIMIT ${f.limit} OFFSET ${f.offset}`;
  return { total, items: [...items] };
}

/** The case columns the lifecycle state drives (written together with the state itself). */
export type CaseStateColumns = Pick<CaseRow,
  | 'status' | 'departmentCode' | 'returnCount' | 'extensionDays' | 'acceptDueAt' | 'responseDueAt' | 'resolveDueAt'
  | 'dispatchedAt' | 'acceptedAt' | 'firstResponseAt' | 'repliedAt' | 'replyText' | 'closedAt' | 'ratedAt' | 'rating'
  | 'resolved' | 'pausedAt' | 'mergedInto' | 'awaitingDesignation' | 'reopenCount' | 'overdue' | 'escalatedAt' | 'needsReview'>;

/** Loads the case and its stored lifecycle state with the row locked (call inside a transaction). */
export async function getCaseWithLifecycleForUpdate(sql: Db, id: number): Promise<{ row: CaseRow; lifecycle: unknown } | undefined> {
  const [row] = await sql<(CaseRow & { lifecycle: unknown })[]>`SELECT ${caseColumns(sql)}, lifecycle FROM cases WHERE id = ${id} FOR UPDATE`;
  if (!row) return undefined;
  const { lifecycle, ...rest } = row;
  return { row: rest as CaseRow, lifecycle };
}

export async function getCaseLifecycle(sql: Db, id: number): Promise<unknown> {
  const [row] = await sql<{ lifecycle: unknown }[]>`SELECT lifecycle FROM cases WHERE id = ${id}`;
  return row?.lifecycle ?? null;
}

/** Writes state and columns if the version is still `expectedVersion`; returns the new version, or null on a conflict. */
export async function writeCaseState(sql: Db, id: number, expectedVersion: number, c: CaseStateColumns, lifecycle: unknown): Promise<number | null> {
  const rows = await sql<{ version: number }[]>`
    UPDATE cases SET status = ${c.status}, department_code = ${c.departmentCode}, return_count = ${c.returnCount},
      extension_days = ${c.extensionDays}, accept_due_at = ${c.acceptDueAt}, response_due_at = ${c.responseDueAt},
      resolve_due_at = ${c.resolveDueAt}, dispatched_at = ${c.dispatchedAt}, accepted_at = ${c.acceptedAt},
      first_response_at = ${c.firstResponseAt}, replied_at = ${c.repliedAt}, reply_text = ${c.replyText},
      closed_at = ${c.closedAt}, rated_at = ${c.ratedAt}, rating = ${c.rating}, resolved = ${c.resolved},
      paused_at = ${c.pausedAt}, merged_into = ${c.mergedInto}, awaiting_designation = ${c.awaitingDesignation},
      reopen_count = ${c.reopenCount}, overdue = ${c.overdue}, escalated_at = ${c.escalatedAt}, needs_review = ${c.needsReview},
      lifecycle = ${sql.json(lifecycle as never)}, version = version + 1, updated_at = now()
    WHERE id = ${id} AND version = ${expectedVersion}
    RETURNING version`;
  return rows[0]?.version ?? null;
}
