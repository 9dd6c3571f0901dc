// Cases (工单) and their append-only event history.
import type { Db } from './connect';
import type { LabelField } from './training-labels';
import { syncCaseRollup } from './rollups';

import { OPEN_STATUSES, type CaseStatus } from '../cases/statuses';
import { DUP_CANDIDATE_LIMIT, DUP_KEYWORD_HITS, DUP_PER_KEY_LIMIT, dupKeyKind, lookupDupKeys, storedDupKeys } from '../cases/duplicates';

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
  /** the reply waits for the centre's review (答复审核): not sent, not shown to the resident */
  replyPending: boolean;
  /** when the reply reached the resident (at once, or on 审核通过); null while it waits for review. 按时办结 counts from it */
  replySentAt: Date | null;
  pausedAt: Date | null;
  overdue: boolean;
  escalatedAt: Date | null;
  mergedInto: number | null;
  awaitingDesignation: boolean;
  reopenCount: number;
  /** years without an official holiday file the deadlines were counted through (暂定); empty when none */
  provisionalYears: number[];
  /** provisionalYears is not empty (a generated column) */
  provisional: boolean;
  /** the person in the department the case is assigned to (指派经办人), a staff username */
  assignee: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const caseColumns = (sql: Db) => sql`
  id, tracking_no, status, title, summary, channel, category, category_confidence, request_type, type_confidence,
  urgency, sentiment, sentiment_score, district, street, community, address, keywords, fingerprint, needs_review,
  department_code, route_rule, return_count, extension_days, accept_due_at, response_due_at, resolve_due_at,
  dispatched_at, accepted_at, first_response_at, replied_at, closed_at, rated_at, rating, resolved, reply_text, reply_pending, reply_sent_at,
  paused_at, overdue, escalated_at, merged_into, awaiting_designation, reopen_count, provisional_years, provisional, assignee, version, created_at, updated_at`;

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

/** A new case as it stands once opened: its row, lifecycle state and search lexemes, in one INSERT. */
export type OpenedCase = NewCase & CaseStateColumns & { id: number; lifecycle: unknown; searchLexemes: string[]; version: number };

/**
 * Inserts an opened case with every column it has after opening (state, deadlines, lifecycle, search
 * lexemes) in one statement, under the id drawn for it (lockMessageForCase or nextCaseId). Sent at once
 * (PIPELINING below).
 */
export function insertOpenedCase(sql: Db, c: OpenedCase): Promise<CaseRow[]> {
  return sql<CaseRow[]>`
    INSERT INTO cases (id, tracking_no, status, title, summary, channel, category, category_confidence, request_type,
      type_confidence, urgency, sentiment, sentiment_score, district, street, community, address, keywords, fingerprint,
      needs_review, department_code, route_rule, return_count, extension_days, accept_due_at, response_due_at, resolve_due_at,
      dispatched_at, accepted_at, first_response_at, replied_at, reply_text, reply_pending, reply_sent_at, closed_at, rated_at,
      rating, resolved, paused_at, merged_into, awaiting_designation, reopen_count, overdue, escalated_at, provisional_years,
      lifecycle, search_tsv, version, created_at)
    VALUES (${c.id}, ${c.trackingNo}, ${c.status}, ${c.title}, ${c.summary}, ${c.channel}, ${c.category}, ${c.categoryConfidence},
      ${c.requestType}, ${c.typeConfidence}, ${c.urgency}, ${c.sentiment}, ${c.sentimentScore}, ${c.district}, ${c.street},
      ${c.community}, ${c.address}, ${c.keywords}, ${c.fingerprint}, ${c.needsReview}, ${c.departmentCode}, ${c.routeRule},
      ${c.returnCount}, ${c.extensionDays}, ${c.acceptDueAt}, ${c.responseDueAt}, ${c.resolveDueAt}, ${c.dispatchedAt},
      ${c.acceptedAt}, ${c.firstResponseAt}, ${c.repliedAt}, ${c.replyText}, ${c.replyPending}, ${c.replySentAt}, ${c.closedAt},
      ${c.ratedAt}, ${c.rating}, ${c.resolved}, ${c.pausedAt}, ${c.mergedInto}, ${c.awaitingDesignation}, ${c.reopenCount},
      ${c.overdue}, ${c.escalatedAt}, ${c.provisionalYears}::integer[], ${sql.json(c.lifecycle as never)},
      array_to_tsvector(${c.searchLexemes}::text[]), ${c.version}, ${c.createdAt})
    RETURNING ${caseColumns(sql)}`.execute();
}

/** The id a case opened outside the message pipeline gets (the pipeline draws it with the message lock). */
export async function nextCaseId(sql: Db): Promise<number> {
  const [{ id }] = await sql<{ id: number }[]>`SELECT nextval(pg_get_serial_sequence('cases', 'id')) AS id`;
  return id;
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

/**
 * Appends events in order, numbered inside the INSERT (after the case's last seq), and brings the
 * case's rollup up to date. Call inside the transaction that changed the case (the case row is locked
 * there, so no other transaction numbers its events meanwhile). The INSERT and the rollup's reads are
 * sent at once, before this returns its promise (the pipelining rule: see PIPELINING below).
 */
export function appendCaseEvents(sql: Db, caseId: number, events: CaseEventInput[]): Promise<void> {
  if (!events.length) return Promise.resolve();
  const insert = sql`
    INSERT INTO case_events (case_id, seq, type, from_status, to_status, actor_kind, actor_id, at, data)
    SELECT ${caseId}, coalesce((SELECT max(seq) FROM case_events WHERE case_id = ${caseId}), 0) + e.n, e.type, e.from_status, e.to_status, e.actor_kind, e.actor_id, e.at, e.data
    FROM unnest(${events.map((e) => e.type)}::text[], ${events.map((e) => e.fromStatus)}::text[], ${events.map((e) => e.toStatus)}::text[],
      ${events.map((e) => e.actorKind)}::text[], ${events.map((e) => e.actorId ?? null)}::text[], ${events.map((e) => e.at.toISOString())}::text[]::timestamptz[],
      ${events.map((e) => JSON.stringify(e.data ?? {}))}::text[]::jsonb[])
      WITH ORDINALITY AS e(type, from_status, to_status, actor_kind, actor_id, at, data, n)`.execute();
  // every change to a case records an event here: the rollups follow it (core/db/rollups.ts). On the
  // pool (no transaction) the rollup runs in one of its own, which must find the events committed
  if (!isTransaction(sql)) return insert.then(() => syncCaseRollup(sql, caseId));
  return Promise.all([insert, syncCaseRollup(sql, caseId)]).then(() => {});
}

/*
 * PIPELINING. postgres.js sends the queries of one connection in the order they are handed to it and
 * PostgreSQL runs them in that order, one after the other; every query of a transaction (sql.begin)
 * runs on the transaction's one connection. So queries issued one after another without awaiting
 * each travel together (one round trip) and still run in issue order: a lock taken by the first is
 * held when the second runs, a row inserted by the first is seen by the second, and when one fails
 * the rest fail too (the transaction is aborted) and the transaction rolls back. A query is handed
 * over when it is first awaited or `.execute()`d, not when it is written: the functions here that
 * are pipelined call `.execute()` as they build their query, so the order is the order of the calls
 * even where a promise is only awaited later (or through an async function's return). Only inside a
 * transaction: on the pool, queries may go to different connections, in any order.
 */

/** A transaction (or savepoint) of sql.begin, not the pool. */
export function isTransaction(sql: Db): boolean {
  return 'savepoint' in sql;
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
    SELECT id, case_id, seq, type, from_status, to_status,
      actor_kind, actor_id, at, data
    FROM case_events WHERE case_id = ${caseId} ORDER BY at, seq`;
}

/** The columns the staff list may be sorted by (a whitelist: the API names no other), with their SQL type. */
export const CASE_SORTS = {
  id: { column: 'id', type: 'int8' },
  trackingNo: { column: 'tracking_no', type: 'text' },
  createdAt: { column: 'created_at', type: 'timestamptz' },
  updatedAt: { column: 'updated_at', type: 'timestamptz' },
  status: { column: 'status', type: 'text' },
  channel: { column: 'channel', type: 'text' },
  category: { column: 'category', type: 'text' },
  requestType: { column: 'request_type', type: 'text' },
  urgency: { column: 'urgency', type: 'text' },
  district: { column: 'district', type: 'text' },
  departmentCode: { column: 'department_code', type: 'text' },
  assignee: { column: 'assignee', type: 'text' },
  acceptDueAt: { column: 'accept_due_at', type: 'timestamptz' },
  resolveDueAt: { column: 'resolve_due_at', type: 'timestamptz' },
  dispatchedAt: { column: 'dispatched_at', type: 'timestamptz' },
  repliedAt: { column: 'replied_at', type: 'timestamptz' },
  returnCount: { column: 'return_count', type: 'int4' },
  rating: { column: 'rating', type: 'text' },
} as const;
export type CaseSort = keyof typeof CASE_SORTS;
export const CASE_SORT_KEYS = Object.keys(CASE_SORTS) as CaseSort[];

/** Where a keyset page ends: the sort value of its last row (null when the row's value is null) and its id. */
export interface CaseCursor {
  value: string | number | null;
  id: number;
}

export interface CaseFilter {
  status?: string[];
  departmentCode?: string;
  category?: string;
  district?: string;
  needsReview?: boolean;
  overdue?: boolean;
  q?: string;
  /** the jieba lexemes of q (core/cases/search.ts): every one must match, as a prefix */
  qLexemes?: string[];
  limit: number;
  offset: number;
  /** keyset pagination by a whitelisted column (nulls last either way, id breaks ties); without it the desk's default order with offset */
  sort?: { by: CaseSort; dir: 'asc' | 'desc'; after?: CaseCursor };
}

/** A tsquery of quoted lexemes (no parsing of the user's text as tsquery syntax), each as a prefix. */
export function lexemeQuery(lexemes: readonly string[]): string {
  return lexemes.map((l) => `'${l.replace(/\\/g, '\\\\').replace(/'/g, "''")}':*`).join(' & ');
}

/** how many rows past the requested page the list's total counts exactly */
export const COUNT_BEYOND_PAGE = 10_000;

export async function listCases(sql: Db, f: CaseFilter, now = new Date()): Promise<{ total: number; totalExact: boolean; items: CaseRow[]; nextCursor: CaseCursor | null }> {
  const text = f.q
    ? f.qLexemes?.length
      ? sql`AND (search_tsv @@ ${lexemeQuery(f.qLexemes)}::tsquery OR tracking_no = ${f.q}
          OR (search_tsv IS NULL AND (summary ILIKE ${'%' + f.q + '%'} OR title ILIKE ${'%' + f.q + '%'} OR address ILIKE ${'%' + f.q + '%'})))`
      : sql`AND (summary ILIKE ${'%' + f.q + '%'} OR title ILIKE ${'%' + f.q + '%'} OR tracking_no = ${f.q})`
    : sql``;
  const where = sql`
    WHERE true
    ${f.status?.length ? sql`AND status IN ${sql(f.status)}` : sql``}
    ${f.departmentCode !== undefined ? sql`AND department_code = ${f.departmentCode}` : sql``}
    ${f.category ? sql`AND category = ${f.category}` : sql``}
    ${f.district ? sql`AND district = ${f.district}` : sql``}
    ${f.needsReview !== undefined ? sql`AND needs_review = ${f.needsReview}` : sql``}
    ${f.overdue ? sql`AND status IN ${sql(OPEN_STATUSES)} AND resolve_due_at < ${now}` : sql``}
    ${text}`;
  // counted up to a bound past the page (a page never waits for a count of a million rows): beyond it
  // `total` is the bound and `totalExact` false, which the list shows as "more than"
  const bound = f.offset + f.limit + COUNT_BEYOND_PAGE;
  const [{ total }] = await sql<{ total: number }[]>`SELECT count(*)::int AS total FROM (SELECT 1 FROM cases ${where} LIMIT ${bound + 1}) x`;
  const totalExact = total <= bound;
  if (!f.sort) {
    const items = await sql<CaseRow[]>`
      SELECT ${caseColumns(sql)} FROM cases ${where}
      ORDER BY (urgency <> 'urgent'), coalesce(resolve_due_at, 'infinity'::timestamptz), (-id)
      LIMIT ${f.limit} OFFSET ${f.offset}`;
    return { total: Math.min(total, bound), totalExact, items: [...items], nextCursor: null };
  }
  const { column, type } = CASE_SORTS[f.sort.by];
  const col = sql(column);
  const cast = sql.unsafe(type);
  const zero = type === 'timestamptz' ? sql`'epoch'::timestamptz` : type === 'text' ? sql`''::text` : sql`0::${cast}`;
  const dir = f.sort.dir === 'asc' ? sql`ASC` : sql`DESC`;
  const after = f.sort.after;
  const cmp = f.sort.dir === 'asc' ? sql`>` : sql`<`;
  // nulls last in both directions: (is null) first, then the value, then the id
  const keyset = after
    ? after.value === null
      ? sql`AND ${col} IS NULL AND id ${cmp} ${after.id}`
      : sql`AND (${col} IS NULL OR (${col}, id) ${cmp} (${String(after.value)}::${cast}, ${after.id}))`
    : sql``;
  const rows = await sql<CaseRow[]>`
    SELECT ${caseColumns(sql)} FROM cases ${where} ${keyset}
    ORDER BY (${col} IS NULL) ASC, coalesce(${col}, ${zero}) ${dir}, id ${dir}
    LIMIT ${f.limit + 1}`;
  const items = rows.slice(0, f.limit);
  const last = items.at(-1);
  const key = f.sort.by;
  const valueOf = (r: CaseRow): string | number | null => {
    const v = (r as unknown as Record<string, unknown>)[key];
    return v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : typeof v === 'number' ? v : String(v);
  };
  return { total: Math.min(total, bound), totalExact, items, nextCursor: rows.length > f.limit && last ? { value: valueOf(last), id: last.id } : null };
}

/** Cases without search lexemes yet, oldest first. */
export async function listUnindexedCases(sql: Db, limit: number): Promise<Pick<CaseRow, 'id' | 'title' | 'summary' | 'address' | 'trackingNo'>[]> {
  return [...(await sql<Pick<CaseRow, 'id' | 'title' | 'summary' | 'address' | 'trackingNo'>[]>`
    SELECT id, title, summary, address, tracking_no FROM cases WHERE search_tsv IS NULL ORDER BY id LIMIT ${limit}`)];
}

/** Stores the lexemes of cases the sweep found unindexed, in one statement, for the text it read:
 * a case whose title, summary or address changed since (migration 0105's trigger cleared its
 * lexemes again) or that was indexed meanwhile is left for the next sweep. */
export async function setCaseSearchLexemesBulk(
  sql: Db,
  rows: { id: number; lexemes: string[]; read: Pick<CaseRow, 'title' | 'summary' | 'address' | 'trackingNo'> }[],
): Promise<void> {
  if (!rows.length) return;
  const values = rows.map((r) => ({ id: r.id, lex: r.lexemes, title: r.read.title, summary: r.read.summary, address: r.read.address, tracking_no: r.read.trackingNo }));
  await sql`
    UPDATE cases c SET search_tsv = array_to_tsvector(ARRAY(SELECT jsonb_array_elements_text(v.lex)))
    FROM jsonb_to_recordset(${sql.json(values as never)}::jsonb) AS v(id bigint, lex jsonb, title text, summary text, address text, tracking_no text)
    WHERE c.id = v.id AND c.search_tsv IS NULL
      AND c.title IS NOT DISTINCT FROM v.title AND c.summary IS NOT DISTINCT FROM v.summary AND c.address IS NOT DISTINCT FROM v.address
      AND c.tracking_no IS NOT DISTINCT FROM v.tracking_no`;
}

/** The case columns the lifecycle state drives (written together with the state itself). */
export type CaseStateColumns = Pick<CaseRow,
  | 'status' | 'departmentCode' | 'returnCount' | 'extensionDays' | 'acceptDueAt' | 'responseDueAt' | 'resolveDueAt'
  | 'dispatchedAt' | 'acceptedAt' | 'firstResponseAt' | 'repliedAt' | 'replyText' | 'replyPending' | 'replySentAt' | 'closedAt' | 'ratedAt' | 'rating'
  | 'resolved' | 'pausedAt' | 'mergedInto' | 'awaitingDesignation' | 'reopenCount' | 'overdue' | 'escalatedAt' | 'needsReview'
  | 'provisionalYears'>;

/** Loads the case and its stored lifecycle state with the row locked (call inside a transaction). */
/** The row and its stored lifecycle state from one snapshot (the version matches the state). */
export async function getCaseWithLifecycle(sql: Db, id: number, opts: { forUpdate?: boolean } = {}): Promise<{ row: CaseRow; lifecycle: unknown } | undefined> {
  const [row] = await sql<(CaseRow & { lifecycle: unknown })[]>`
    SELECT ${caseColumns(sql)}, lifecycle FROM cases WHERE id = ${id} ${opts.forUpdate ? sql`FOR UPDATE` : sql``}`;
  if (!row) return undefined;
  const { lifecycle, ...rest } = row;
  return { row: rest as CaseRow, lifecycle };
}

export function getCaseWithLifecycleForUpdate(sql: Db, id: number): Promise<{ row: CaseRow; lifecycle: unknown } | undefined> {
  return getCaseWithLifecycle(sql, id, { forUpdate: true });
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
      first_response_at = ${c.firstResponseAt}, replied_at = ${c.repliedAt}, reply_text = ${c.replyText}, reply_pending = ${c.replyPending}, reply_sent_at = ${c.replySentAt},
      closed_at = ${c.closedAt}, rated_at = ${c.ratedAt}, rating = ${c.rating}, resolved = ${c.resolved},
      paused_at = ${c.pausedAt}, merged_into = ${c.mergedInto}, awaiting_designation = ${c.awaitingDesignation},
      reopen_count = ${c.reopenCount}, overdue = ${c.overdue}, escalated_at = ${c.escalatedAt}, needs_review = ${c.needsReview},
      provisional_years = ${c.provisionalYears}::integer[],
      lifecycle = ${sql.json(lifecycle as never)}, version = version + 1, updated_at = now()
    WHERE id = ${id} AND version = ${expectedVersion}
    RETURNING version`.execute();
  return rows[0]?.version ?? null;
}

// ---- single-purpose writes and locks the case use cases need ----

/** 超期 of the resolution deadline marks the case overdue. */
export async function markCaseOverdue(sql: Db, id: number): Promise<void> {
  await sql`UPDATE cases SET overdue = true, updated_at = now() WHERE id = ${id}`;
}

/** 督办: the first escalation is kept. */
export async function markCaseEscalated(sql: Db, id: number, at: Date): Promise<void> {
  await sql`UPDATE cases SET escalated_at = coalesce(escalated_at, ${at}), updated_at = now() WHERE id = ${id}`;
}

/** Locks the cases in id order (so two opposite merges cannot deadlock); returns those that exist. */
export async function lockCaseStatuses(sql: Db, ids: number[]): Promise<{ id: number; status: CaseStatus }[]> {
  return sql<{ id: number; status: CaseStatus }[]>`SELECT id, status FROM cases WHERE id IN ${sql(ids)} ORDER BY id FOR UPDATE`;
}

/** The case's status with the row locked, or undefined when there is no such case. */
export async function lockCaseStatus(sql: Db, id: number): Promise<CaseStatus | undefined> {
  const [row] = await lockCaseStatuses(sql, [id]);
  return row?.status;
}

export type DuplicateCandidate = Pick<CaseRow, 'id' | 'title' | 'summary' | 'fingerprint' | 'keywords' | 'category' | 'district' | 'street' | 'community' | 'createdAt'>;

/** How many cases already carry this tracking number, or a -n suffix of it (split cases). */
export async function countCasesWithTrackingNo(sql: Db, trackingNo: string): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM cases WHERE tracking_no = ${trackingNo} OR tracking_no LIKE ${trackingNo + '-%'}`;
  return n;
}

/**
 * Cases held by the former rule (a 'dispatch-held' event: no holiday file for the deadline's year),
 * still undispatched, with the department the router chose: the SLA sweep releases them now that the
 * calendar never lacks a year.
 */
export async function listHeldDispatches(sql: Db, limit = 200): Promise<{ caseId: number; department: string }[]> {
  return sql<{ caseId: number; department: string }[]>`
    SELECT DISTINCT ON (c.id) c.id AS case_id, e.data ->> 'department' AS department
    FROM cases c JOIN case_events e ON e.case_id = c.id AND e.type = 'dispatch-held'
    WHERE c.status = 'received' AND c.department_code IS NULL AND e.data ? 'department'
    ORDER BY c.id, e.seq DESC LIMIT ${limit}`;
}

/**
 * Cases that wait in 待派单 from before it had a clock: received, no department, no deadlines, routed
 * to nobody (an 'awaiting-dispatch' event, and no 'not-dispatched' one: those have no calendar year).
 */
export async function listClocklessAwaitingCases(sql: Db, limit = 200): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    SELECT c.id FROM cases c
    WHERE c.status = 'received' AND c.department_code IS NULL AND c.resolve_due_at IS NULL
      AND EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.type = 'awaiting-dispatch')
      AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.type = 'not-dispatched')
    ORDER BY c.id LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

/**
 * Cases with live deadlines counted through one of `years` on the provisional calendar, which now
 * have their official file: the SLA sweep counts them again (oldest first, a batch at a time).
 */
export async function listCasesWithProvisionalYears(sql: Db, years: readonly number[], limit = 200): Promise<number[]> {
  if (!years.length) return [];
  const rows = await sql<{ id: number }[]>`
    SELECT id FROM cases
    WHERE provisional AND provisional_years && ${[...years]}::integer[] AND status IN ('received', 'dispatched', 'accepted', 'waiting', 'replied')
    ORDER BY id LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

/** Dispatched cases after `afterId`, in id order: what the demo loader drives through a past. */
export async function listDispatchedCasesAfter(sql: Db, afterId: number): Promise<Pick<CaseRow, 'id' | 'title' | 'district' | 'departmentCode' | 'createdAt'>[]> {
  return sql<Pick<CaseRow, 'id' | 'title' | 'district' | 'departmentCode' | 'createdAt'>[]>`
    SELECT id, title, district, department_code, created_at FROM cases WHERE id > ${afterId} AND status = 'dispatched' ORDER BY id`;
}

// ---- corrections (人工复核) ----

/** the column holding the reader's confidence in that label, where there is one */
const CONFIDENCE_OF: Partial<Record<LabelField, 'categoryConfidence' | 'typeConfidence'>> = { category: 'categoryConfidence', requestType: 'typeConfidence' };

/** A staff correction of one label: the value is set and its confidence (if the label has one) becomes 1. */
export async function setCaseLabel(sql: Db, id: number, field: LabelField, value: string): Promise<void> {
  const confidence = CONFIDENCE_OF[field];
  const set: Record<string, string | number> = { [field]: value, ...(confidence ? { [confidence]: 1 } : {}) };
  await sql`UPDATE cases SET ${sql(set)} WHERE id = ${id}`;
}

/** The classification the lifecycle uses for deadlines (from the next dispatch on). */
export async function setLifecycleClassification(sql: Db, id: number, field: 'urgency' | 'requestType', value: string): Promise<void> {
  await sql`UPDATE cases SET lifecycle = jsonb_set(lifecycle, ${['classification', field]}, to_jsonb(${value}::text))
    WHERE id = ${id} AND lifecycle IS NOT NULL`;
}

export async function markCaseReviewed(sql: Db, id: number, at: Date): Promise<void> {
  await sql`UPDATE cases SET needs_review = false, version = version + 1, updated_at = ${at} WHERE id = ${id}`;
}

export interface TriageItem {
  id: number; trackingNo: string; status: string; title: string | null; summary: string; channel: string;
  category: string | null; categoryConfidence: number | null; requestType: string | null; typeConfidence: number | null;
  urgency: string; sentiment: string | null; district: string | null; departmentCode: string | null; createdAt: Date;
  reviewReasons: string[] | null;
}

/** The triage queue (人工复核): open cases the NLP was unsure of, least confident first. */
export async function listTriage(sql: Db, limit: number, offset: number): Promise<{ total: number; items: TriageItem[] }> {
  const rows = await sql<TriageItem[]>`
    SELECT c.id, c.tracking_no, c.status, c.title, c.summary, c.channel, c.category, c.category_confidence, c.request_type,
      c.type_confidence, c.urgency, c.sentiment, c.district, c.department_code, c.created_at,
      (SELECT array(SELECT jsonb_array_elements_text(m.analysis -> 'reviewReasons'))
         FROM messages m WHERE m.case_id = c.id AND m.analysis ? 'reviewReasons' ORDER BY m.id LIMIT 1) AS review_reasons
    FROM cases c
    WHERE c.needs_review AND c.status NOT IN ('closed', 'rated', 'merged')
    ORDER BY least(coalesce(c.category_confidence, 0), coalesce(c.type_confidence, 0)) ASC, c.created_at ASC
    LIMIT ${limit} OFFSET ${offset}`;
  const [{ total }] = await sql<{ total: number }[]>`
    SELECT count(*)::int AS total FROM cases WHERE needs_review AND status NOT IN ('closed', 'rated', 'merged')`;
  return { total, items: [...rows] };
}

// ---- what a resident may see ----

export interface AnsweringCase {
  id: number; status: CaseStatus; department: string | null; dueAt: Date | null; repliedAt: Date | null; reply: string | null; rating: string | null;
  /** the reply waits for the centre's review: the resident has not received it */
  replyPending: boolean;
  /** the due is 暂定: counted through these years on the provisional holiday calendar */
  provisionalYears: number[];
}

/** The case that answers for `caseId`: itself, or the case it was merged into (followed up to 10 merges). */
export async function getAnsweringCase(sql: Db, caseId: number): Promise<
  AnsweringCase | undefined
> {
  const [c] = await sql<AnsweringCase[]>`
    WITH RECURSIVE chain AS (
      SELECT id, merged_into, 0 AS depth FROM cases WHERE id = ${caseId}
      UNION ALL SELECT c.id, c.merged_into, chain.depth + 1 FROM cases c JOIN chain ON c.id = chain.merged_into WHERE chain.depth < 10
    )
    SELECT c.id, c.status, d.name AS department, c.resolve_due_at AS due_at, c.replied_at, c.reply_text AS reply, c.rating,
      c.reply_pending, c.provisional_years
    FROM chain JOIN cases c ON c.id = chain.id LEFT JOIN departments d ON d.code = c.department_code
    WHERE chain.merged_into IS NULL LIMIT 1`;
  return c;
}

/** The event types and times of these cases, in time order; `held`: a reply event held for review (never sent as it was). */
export async function listCaseEventTimes(sql: Db, caseIds: number[]): Promise<{ type: string; at: Date; held: boolean }[]> {
  return sql<{ type: string; at: Date; held: boolean }[]>`
    SELECT type, at, coalesce((data ->> 'pendingReview')::boolean, false) AS held
    FROM case_events WHERE case_id IN ${sql(caseIds)} ORDER BY at, id`;
}

// ---- the centre's queues: 待派单, 答复审核, 延期 ----

export type QueueKind = 'dispatch' | 'replies' | 'extensions';

export interface QueueItem extends CaseRow {
  /** the latest routing explanation (an 'awaiting-dispatch' event) or the latest 退单 (a 'returned' event) */
  why: { type: string; at: Date; data: Record<string, unknown> } | null;
  pendingExtension: { workingDays: number; reason: string; requestedAt: string; departmentId: string } | null;
  /** the stored lifecycle state (read with core/cases/case-state.ts stateOf) */
  lifecycle: unknown;
}

/**
 * 待派单: cases no department has (received or returned, not merged), oldest first; 答复审核: replies
 * waiting for the centre, oldest first; 延期: pending extension requests, oldest request first.
 */
export async function listQueue(sql: Db, kind: QueueKind, limit: number): Promise<QueueItem[]> {
  const where =
    kind === 'dispatch' ? sql`c.status IN ('received', 'returned') AND c.department_code IS NULL`
    : kind === 'replies' ? sql`c.status = 'replied' AND c.reply_pending`
    : sql`c.status IN ('accepted', 'waiting') AND jsonb_typeof(c.lifecycle -> 'pendingExtension') = 'object'`;
  const order =
    kind === 'dispatch' ? sql`(c.urgency = 'urgent') DESC, c.created_at ASC, c.id`
    : kind === 'replies' ? sql`c.replied_at ASC, c.id`
    : sql`(c.lifecycle -> 'pendingExtension' ->> 'requestedAt') ASC, c.id`;
  const rows = await sql<QueueItem[]>`
    SELECT ${caseColumns(sql)}, c.lifecycle, c.lifecycle -> 'pendingExtension' AS pending_extension,
      (SELECT jsonb_build_object('type', e.type, 'at', e.at, 'data', e.data) FROM case_events e
        WHERE e.case_id = c.id AND e.type IN ('awaiting-dispatch', 'returned') ORDER BY e.seq DESC LIMIT 1) AS why
    FROM cases c WHERE ${where} ORDER BY ${order} LIMIT ${limit}`;
  return [...rows];
}

/** How many cases each queue holds (the dashboard's badges). */
export async function countQueues(sql: Db): Promise<Record<QueueKind, number>> {
  // three counts, each over its queue's partial index (migration 0105), never over every case
  const [r] = await sql<Record<QueueKind, number>[]>`
    SELECT (SELECT count(*) FROM cases WHERE status IN ('received', 'returned') AND department_code IS NULL)::int AS dispatch,
      (SELECT count(*) FROM cases WHERE status = 'replied' AND reply_pending)::int AS replies,
      (SELECT count(*) FROM cases WHERE status IN ('accepted', 'waiting') AND jsonb_typeof(lifecycle -> 'pendingExtension') = 'object')::int AS extensions`;
  return r;
}

/** What the duplicate score needs of a case, stored when it opens (table case_dup_features). */
export interface StoredDupFeatures {
  district: string | null;
  street: string | null;
  createdAt: Date;
  keys: string[];
  bigrams: string[];
  topics: string[];
  buildings: string[];
  keywords: string[];
}

/**
 * Stores a case's duplicate features and its place-scoped index keys (`storedDupKeys` of `f.keys`,
 * table case_dup_keys) in one statement; a case that had none before (opened before they existed)
 * leaves the legacy list.
 */
export async function insertDupFeatures(sql: Db, caseId: number, f: StoredDupFeatures): Promise<void> {
  const rows = storedDupKeys(f.keys, f);
  await sql`
    WITH feat AS (
      INSERT INTO case_dup_features (case_id, district, street, created_at, keys, bigrams, topics, buildings, keywords)
      VALUES (${caseId}, ${f.district}, ${f.street}, ${f.createdAt}, ${f.keys}, ${f.bigrams}, ${f.topics}, ${f.buildings}, ${f.keywords})
      ON CONFLICT (case_id) DO NOTHING
      RETURNING case_id, created_at
    ), st AS (
      -- a case indexed after it closed (backfillLegacyDupFeatures indexes every status) files its keys
      -- as closed; the row is locked (FOR SHARE) so a status change waits for these keys to be written
      -- and its trigger (migration 0117) then sees them, or is seen here when it came first
      SELECT status FROM cases WHERE id = ${caseId} FOR SHARE
    ), keyed AS (
      INSERT INTO case_dup_keys (key, created_at, case_id, open)
      SELECT DISTINCT k.key, feat.created_at, feat.case_id, st.status = ANY(${OPEN_STATUS_LIST}::text[])
      FROM feat CROSS JOIN st CROSS JOIN unnest(${rows}::text[]) AS k(key)
      ON CONFLICT DO NOTHING
    )
    DELETE FROM case_dup_legacy WHERE case_id = ${caseId}`.execute();
}

export type FeatureCandidate = Pick<CaseRow, 'id' | 'fingerprint' | 'category' | 'district' | 'street' | 'community'> & {
  bigrams: string[]; topics: string[]; buildings: string[]; keywords: string[];
};

/**
 * Open cases in the window that may be the message's duplicate, in one statement (one round trip,
 * one snapshot):
 * - `indexed`: those sharing a place-scoped key (`lookupDupKeys`: the same street, or the district
 *   when one side names no street) as `dupCandidateQualifies` says: a SimHash band, a problem object
 *   and a keyword, or DUP_KEYWORD_HITS keywords. Per key only the newest DUP_PER_KEY_LIMIT cases of
 *   the window are read (a btree range on case_dup_keys), and the DUP_CANDIDATE_LIMIT sharing the
 *   most keys (then the newest) are returned, so the work is bounded whatever the number of open cases;
 * - `legacy`: those at the place that have no stored features yet (opened before they existed; listed
 *   in case_dup_legacy by migration 0110, so this never scans the place's cases). Once the list is
 *   empty (the read-model sweep empties it: backfillLegacyDupFeatures) this part reads one empty
 *   table, inside the same statement: a few microseconds, no round trip of its own and no cached
 *   flag that could go stale.
 * Sent at once (PIPELINING): the worker issues it right after its locks (lockDuplicateKeys), in the
 * same round trip. It must stay a statement apart from the locks: a statement reads the snapshot of
 * its start, so a lock taken inside it would not show the case a message holding the lock had just
 * opened.
 */
export async function listDuplicateCandidates(sql: Db, o: DuplicateCandidateQuery): Promise<{ indexed: FeatureCandidate[]; legacy: DuplicateCandidate[] }> {
  const rows = await duplicateCandidatesQuery(sql, o).execute();
  const indexed: FeatureCandidate[] = [];
  const legacy: DuplicateCandidate[] = [];
  for (const r of rows) {
    if (r.legacy) {
      legacy.push({ id: r.id, title: r.title, summary: r.summary ?? '', fingerprint: r.fingerprint, keywords: r.keywords, category: r.category, district: r.district, street: r.street, community: r.community, createdAt: r.createdAt! });
    } else {
      indexed.push({ id: r.id, fingerprint: r.fingerprint, category: r.category, district: r.district, street: r.street, community: r.community, bigrams: r.bigrams!, topics: r.topics!, buildings: r.buildings!, keywords: r.keywords });
    }
  }
  return { indexed, legacy };
}

export interface DuplicateCandidateQuery { since: Date; until: Date; district: string | null; street: string | null; keys: string[] }

type DuplicateCandidateRow = Pick<CaseRow, 'id' | 'fingerprint' | 'category' | 'district' | 'street' | 'community' | 'keywords' | 'title'> & {
  legacy: boolean; summary: string | null; createdAt: Date | null; bigrams: string[] | null; topics: string[] | null; buildings: string[] | null;
};

/**
 * The open statuses as one array parameter (`= ANY($n::text[])`), not `IN ${sql(list)}`: postgres.js
 * places a list helper by matching keywords against all the text before it, which for a statement
 * this long cost more of the client's CPU than the statement's execution on the server.
 */
const OPEN_STATUS_LIST: string[] = [...OPEN_STATUSES];

/** The statement of listDuplicateCandidates, not yet sent (bin/bench/dups.ts EXPLAINs it). */
export function duplicateCandidatesQuery(sql: Db, o: DuplicateCandidateQuery) {
  const keys = lookupDupKeys(o.keys, o);
  // a message with no lookup key (no place the gate keeps) still meets the legacy cases of its place
  return sql<DuplicateCandidateRow[]>`
    WITH hit AS (
      SELECT h.case_id, max(h.created_at) AS created_at, count(*) AS keys
      FROM unnest(${keys}::text[], ${keys.map(dupKeyKind)}::text[]) AS q(key, kind)
      CROSS JOIN LATERAL (
        -- open cases only, before the limit: closed ones (their keys stay, for a reopening) never take
        -- a place; the partial index case_dup_keys_open_idx answers this by an index-only range
        SELECT d.case_id, d.created_at FROM case_dup_keys d
        WHERE d.key = q.key AND d.open AND d.created_at >= ${o.since} AND d.created_at <= ${o.until}
        ORDER BY d.created_at DESC LIMIT ${DUP_PER_KEY_LIMIT}
      ) h
      GROUP BY h.case_id
      HAVING bool_or(q.kind = 'band')
        OR bool_or(q.kind = 'object') AND count(*) FILTER (WHERE q.kind = 'keyword') >= 1
        OR count(*) FILTER (WHERE q.kind = 'keyword') >= ${DUP_KEYWORD_HITS}
    ), indexed AS (
      SELECT false AS legacy, c.id, c.fingerprint, c.category, c.district, c.street, c.community, f.keywords, f.bigrams, f.topics, f.buildings,
        NULL::text AS title, NULL::text AS summary, NULL::timestamptz AS created_at,
        row_number() OVER (ORDER BY hit.keys DESC, hit.created_at DESC, hit.case_id DESC) AS n
      FROM hit JOIN cases c ON c.id = hit.case_id JOIN case_dup_features f ON f.case_id = hit.case_id
      WHERE c.status = ANY(${OPEN_STATUS_LIST}::text[])
      ORDER BY n LIMIT ${DUP_CANDIDATE_LIMIT}
    ), l AS MATERIALIZED (
      -- read from the list first, whatever the planner guesses of a table never analysed
      SELECT case_id FROM case_dup_legacy
    ), legacy AS (
      SELECT true AS legacy, c.id, c.fingerprint, c.category, c.district, c.street, c.community, c.keywords, NULL::text[], NULL::text[], NULL::text[],
        c.title, c.summary, c.created_at, row_number() OVER (ORDER BY c.created_at DESC, c.id DESC) AS n
      -- driven by the list (LATERAL: one case looked up per listed id), and not run at all when the
      -- list is empty (the one-time EXISTS): otherwise the planner may read every case of the place
      -- for an anti-join against the features before it looks at the (usually empty) list
      FROM l CROSS JOIN LATERAL (
        SELECT * FROM cases c
        WHERE c.id = l.case_id
          AND c.status = ANY(${OPEN_STATUS_LIST}::text[]) AND c.created_at >= ${o.since} AND c.created_at <= ${o.until}
          AND (${o.district}::text IS NOT NULL AND c.district = ${o.district} OR ${o.street}::text IS NOT NULL AND c.street = ${o.street})
          AND NOT EXISTS (SELECT 1 FROM case_dup_features f WHERE f.case_id = c.id)
        OFFSET 0
      ) c
      WHERE EXISTS (SELECT 1 FROM case_dup_legacy)
      ORDER BY n LIMIT 200
    )
    SELECT * FROM indexed UNION ALL SELECT * FROM legacy ORDER BY legacy, n`;
}

/** Cases still listed as having no stored duplicate features (migration 0110), whatever their status, oldest first. */
export async function listLegacyDupCases(sql: Db, limit: number): Promise<DuplicateCandidate[]> {
  return sql<DuplicateCandidate[]>`
    SELECT c.id, c.title, c.summary, c.fingerprint, c.keywords, c.category, c.district, c.street, c.community, c.created_at
    FROM case_dup_legacy l JOIN cases c ON c.id = l.case_id ORDER BY l.case_id LIMIT ${limit}`;
}

/**
 * Narrow lock for duplicate detection, as narrow as what may merge (the place gate and the object
 * veto of core/cases/duplicates.ts scoreFeatures). `places` is the message's district then its street
 * (either may be missing). A message naming problem objects takes each place's key shared, and per
 * object the street's key exclusive and the district's shared — or, naming a single place, that
 * place's object key exclusive; one naming no object takes its places' keys exclusive (it may merge
 * with any case there). So two messages that could merge always conflict (same street and a shared
 * object; a street and its district's streetless message; no object and any message of the place),
 * and two messages about the same object at two streets of one district do not wait for each other.
 * One statement, the locks in the order of their hashes, so no two messages wait in a cycle.
 */
export async function lockDuplicateKeys(sql: Db, places: string[], topics: string[]): Promise<void> {
  const q = duplicateLockQuery(sql, places, topics);
  if (q) await q.execute();
}

/** The statement of lockDuplicateKeys, not yet sent (null: nothing to lock); bin/bench/dups.ts EXPLAINs it. */
export function duplicateLockQuery(sql: Db, places: string[], topics: string[]) {
  const at = places.filter((p, i) => p && places.indexOf(p) === i);
  const objects = [...new Set(topics)];
  const want = new Map<string, boolean>(); // lock name -> exclusive
  const add = (name: string, exclusive: boolean) => want.set(name, (want.get(name) ?? false) || exclusive);
  for (const place of at) add(`dup:${place}`, !objects.length);
  // with both names, the first is the district: its object keys are shared (its streets' messages
  // about one object only meet there), the street's exclusive
  for (const [i, place] of at.entries()) for (const t of objects) add(`dup:${place}:${t}`, at.length === 1 || i === at.length - 1);
  if (!want.size) return null;
  const names = [...want.keys()];
  return sql`
    SELECT CASE WHEN x THEN pg_advisory_xact_lock(h)::text ELSE pg_advisory_xact_lock_shared(h)::text END
    FROM (SELECT hashtext(n) AS h, bool_or(x) AS x FROM unnest(${names}::text[], ${names.map((n) => (want.get(n) ? 't' : 'f'))}::text[]::boolean[]) AS u(n, x)
          GROUP BY 1 ORDER BY 1 OFFSET 0) l`;
}
