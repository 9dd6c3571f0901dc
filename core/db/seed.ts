// Bulk writes for `npm run cli -- seed`: rows streamed into PostgreSQL with COPY (text format),
// which loads millions of rows far faster than INSERTs, and the bookkeeping around it (id bases,
// sequences, statistics). The rows themselves are made in bin/commands/seed.ts.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Sql } from './connect';

/** The tables seed writes and the columns it fills, in COPY order. */
export const SEED_COLUMNS = {
  messages: ['id', 'channel', 'external_id', 'received_at', 'stored_at', 'raw', 'raw_content_type', 'title', 'body', 'contact_name', 'contact_phone', 'address', 'is_public', 'tracking_no', 'query_code', 'state', 'attempts', 'processed_at', 'case_id'],
  cases: ['id', 'tracking_no', 'status', 'title', 'summary', 'channel', 'category', 'category_confidence', 'request_type', 'type_confidence', 'urgency', 'sentiment', 'sentiment_score', 'district', 'street', 'keywords', 'needs_review', 'department_code', 'route_rule', 'accept_due_at', 'response_due_at', 'resolve_due_at', 'dispatched_at', 'accepted_at', 'first_response_at', 'replied_at', 'closed_at', 'rated_at', 'rating', 'resolved', 'reply_text', 'overdue', 'merged_into', 'created_at', 'updated_at'],
  case_events: ['case_id', 'seq', 'type', 'from_status', 'to_status', 'actor_kind', 'actor_id', 'at'],
  sla_timers: ['case_id', 'deadline', 'kind', 'due_at', 'fire_at', 'state'],
} as const;
export type SeedTable = keyof typeof SEED_COLUMNS;

/** One value in COPY's text format. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return copyValue(`{${v.map((x) => `"${String(x).replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return String(v).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** Streams `rows` (values in SEED_COLUMNS[table] order) into `table` with COPY FROM STDIN. */
export async function copyRows(sql: Sql, table: SeedTable, rows: Iterable<unknown[]>): Promise<void> {
  const cols = SEED_COLUMNS[table].join(', ');
  const writable = await sql.unsafe(`COPY ${table} (${cols}) FROM STDIN`).writable();
  function* lines() {
    let chunk = '';
    for (const r of rows) {
      chunk += `${r.map(copyValue).join('\t')}\n`;
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(lines()), writable);
}

/** The highest message and case ids so far: seeded rows are numbered after them. */
export async function seedIdBases(sql: Sql): Promise<{ messageId: number; caseId: number; messages: number }> {
  const [row] = await sql<{ messageId: number; caseId: number; messages: number }[]>`
    SELECT (SELECT coalesce(max(id), 0) FROM messages)::bigint AS message_id, (SELECT coalesce(max(id), 0) FROM cases)::bigint AS case_id,
      (SELECT count(*) FROM messages)::bigint AS messages`;
  return row;
}

/** After COPY with explicit ids: the sequences continue after them, and the planner gets fresh statistics. */
export async function finishSeed(sql: Sql): Promise<void> {
  await sql`SELECT setval(pg_get_serial_sequence('messages', 'id'), (SELECT coalesce(max(id), 1) FROM messages))`;
  await sql`SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT coalesce(max(id), 1) FROM cases))`;
  // VACUUM too: the visibility map lets the lists' counts read their partial indexes alone
  await sql`VACUUM ANALYZE messages`;
  await sql`VACUUM ANALYZE cases`;
  await sql`VACUUM ANALYZE case_events`;
  await sql`VACUUM ANALYZE sla_timers`;
}

/** Messages in the database (the dashboard bench reports the size it ran at). */
export async function countMessages(sql: Sql): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`SELECT count(*)::bigint AS n FROM messages`;
  return n;
}

/** After a bulk seed: fresh statistics and visibility maps, so the bounded counts read the indexes alone. */
export async function vacuumSeeded(sql: Sql): Promise<void> {
  await sql`VACUUM ANALYZE cases`;
  await sql`VACUUM ANALYZE board_entries`;
}
