// The public board's (公开留言选登) table: what is published, already masked, and the cases it is made from.
import type { Db } from './connect';

/** The cases the board may show: the resident who opened it consented, and it has been answered. */
const ELIGIBLE = ['replied', 'closed', 'rated'] as const;

export interface BoardSource {
  caseId: number;
  trackingNo: string;
  title: string | null;
  summary: string;
  replyText: string | null;
  category: string | null;
  district: string | null;
  department: string | null;
  /** the department's public phone, which its reply may give */
  departmentPhone: string | null;
  status: string;
  rating: string | null;
  receivedAt: Date;
  repliedAt: Date | null;
  updatedAt: Date;
  /** every name, phone and handle of the case's residents: masked wherever they appear */
  known: (string | null)[];
}

/** Cases queued for the board by the trigger of migration 0105 (a change that may alter their entry), with the version queued. */
export async function listDirtyBoardCases(sql: Db, limit: number, order: 'oldest' | 'newest' = 'oldest'): Promise<{ caseId: number; v: number }[]> {
  const rows = await sql<{ caseId: number; v: number }[]>`
    SELECT case_id, v FROM board_dirty ORDER BY v ${order === 'newest' ? sql`DESC` : sql`ASC`} LIMIT ${limit}`;
  return rows.map((r) => ({ caseId: Number(r.caseId), v: Number(r.v) }));
}

/** Of these cases, those the board may show, with what their entry is made from. */
export async function listBoardSources(sql: Db, caseIds: number[]): Promise<BoardSource[]> {
  if (!caseIds.length) return [];
  const rows = await sql<BoardSource[]>`
    SELECT c.id AS case_id, c.tracking_no, c.title, c.summary, c.reply_text, c.category, c.district, d.name AS department, d.phone AS department_phone,
      c.status, c.rating, m.received_at, c.replied_at, c.updated_at,
      (SELECT array_agg(x) FROM messages k, LATERAL (VALUES (k.contact_name), (k.contact_phone), (k.contact_handle)) v(x) WHERE k.case_id = c.id AND x IS NOT NULL) AS known
    FROM cases c
    JOIN messages m ON m.tracking_no = c.tracking_no AND m.case_id = c.id
    LEFT JOIN departments d ON d.code = c.department_code
    WHERE c.id = ANY(${sql.array(caseIds)}::bigint[])
      AND m.is_public AND c.status IN ${sql(ELIGIBLE)} AND c.reply_text IS NOT NULL AND NOT c.reply_pending AND c.merged_into IS NULL
    ORDER BY c.id`;
  return rows.map((r) => ({ ...r, caseId: Number(r.caseId), known: r.known ?? [] }));
}

/** Drops the entries of these cases (no longer eligible: reopened by 重办, merged away, consent or reply gone). */
export async function deleteBoardEntries(sql: Db, caseIds: number[]): Promise<number> {
  if (!caseIds.length) return 0;
  const rows = await sql`DELETE FROM board_entries WHERE case_id = ANY(${sql.array(caseIds)}::bigint[]) RETURNING case_id`;
  return rows.length;
}

/** Takes synced cases off the queue, unless they changed again since they were read (a newer version stays queued). */
export async function clearBoardDirty(sql: Db, done: { caseId: number; v: number }[]): Promise<void> {
  if (!done.length) return;
  await sql`
    DELETE FROM board_dirty d USING (SELECT unnest(${sql.array(done.map((x) => x.caseId))}::bigint[]) AS case_id, unnest(${sql.array(done.map((x) => x.v))}::bigint[]) AS v) x
    WHERE d.case_id = x.case_id AND d.v = x.v`;
}

/** How many cases wait for the board (the read-model sweep's backlog). */
export async function countBoardDirty(sql: Db): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM board_dirty`;
  return n;
}

export interface BoardEntryInput {
  caseId: number; trackingNo: string; title: string | null; body: string; reply: string | null; category: string | null;
  district: string | null; department: string | null; status: string; rating: string | null; receivedAt: Date; repliedAt: Date | null;
  caseUpdatedAt: Date; searchText: string;
}

export async function upsertBoardEntries(sql: Db, entries: BoardEntryInput[]): Promise<void> {
  if (!entries.length) return;
  const rows = entries.map((e) => ({
    case_id: e.caseId, tracking_no: e.trackingNo, title: e.title, body: e.body, reply: e.reply, category: e.category, district: e.district,
    department: e.department, status: e.status, rating: e.rating, received_at: e.receivedAt, replied_at: e.repliedAt,
    case_updated_at: e.caseUpdatedAt, search_text: e.searchText,
  }));
  await sql`
    INSERT INTO board_entries ${sql(rows)}
    ON CONFLICT (case_id) DO UPDATE SET title = excluded.title, body = excluded.body, reply = excluded.reply, category = excluded.category,
      district = excluded.district, department = excluded.department, status = excluded.status, rating = excluded.rating,
      replied_at = excluded.replied_at, case_updated_at = excluded.case_updated_at, search_text = excluded.search_text`;
}

export interface BoardEntry {
  trackingNo: string; title: string | null; body: string; reply: string | null; category: string | null; district: string | null;
  department: string | null; status: string; rating: string | null; receivedAt: Date; repliedAt: Date | null;
}

const entryColumns = (sql: Db) => sql`tracking_no, title, body, reply, category, district, department, status, rating, received_at, replied_at`;

/** A page of the board, newest answer first; `q` matches the masked text (plain ILIKE: the board is small). */
export async function queryBoard(sql: Db, f: { q?: string; category?: string; limit: number; offset: number }): Promise<{ total: number; totalExact: boolean; items: BoardEntry[] }> {
  const like = f.q ? `%${f.q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : null;
  const where = sql`WHERE true
    ${like ? sql`AND search_text LIKE ${like}` : sql``}
    ${f.category ? sql`AND category = ${f.category}` : sql``}`;
  // counted up to 10,000 entries past the page: a page never waits for a count of the whole board
  const bound = f.offset + f.limit + 10_000;
  const [{ total }] = await sql<{ total: number }[]>`SELECT count(*)::int AS total FROM (SELECT 1 FROM board_entries ${where} LIMIT ${bound + 1}) x`;
  const items = await sql<BoardEntry[]>`SELECT ${entryColumns(sql)} FROM board_entries ${where} ORDER BY replied_at DESC NULLS LAST, case_id DESC LIMIT ${f.limit} OFFSET ${f.offset}`;
  return { total: Math.min(total, bound), totalExact: total <= bound, items: [...items] };
}

export async function getBoardEntry(sql: Db, trackingNo: string): Promise<BoardEntry | undefined> {
  const [row] = await sql<BoardEntry[]>`SELECT ${entryColumns(sql)} FROM board_entries WHERE tracking_no = ${trackingNo}`;
  return row;
}

/** Takes the board sync's transaction-level advisory lock (one per schema) if it is free; false when another sync holds it. */
export async function tryLockBoardSync(tx: Db): Promise<boolean> {
  const [{ ok }] = await tx<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext('minsheng:board-sync:' || current_schema())) AS ok`;
  return ok;
}
