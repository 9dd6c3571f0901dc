// Messages as received (受理): stored verbatim before anything else happens to them.
import { randomInt } from 'node:crypto';
import type { Db } from './connect';
import { messageRollupKey } from './rollups';
import type { IncomingMessage } from '../messages/incoming';
import type { MessageAnalysis } from '../nlp/types';

export interface StoredMessage {
  id: number;
  channel: IncomingMessage['channel'];
  externalId: string;
  receivedAt: Date;
  storedAt: Date;
  title: string | null;
  body: string;
  contactName: string | null;
  contactPhone: string | null;
  contactHandle: string | null;
  account: string | null;
  address: string | null;
  location: IncomingMessage['location'];
  isPublic: boolean;
  trackingNo: string;
  queryCode: string;
  state: 'received' | 'processing' | 'processed' | 'failed';
  attempts: number;
  lastError: string | null;
  caseId: number | null;
  analysis: MessageAnalysis | null;
}

// no 0/O, 1/I/L: a resident reads the code off a phone screen and types it back
const QUERY_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function newQueryCode(): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += QUERY_CODE_ALPHABET[randomInt(QUERY_CODE_ALPHABET.length)];
  return s;
}

/**
 * The 7 digits after MSyymmdd: random, not a sequence, so one tracking number says nothing about
 * the next. Ten million a day; the rare collision is retried with new digits.
 */
export function newTrackingSuffix(): string {
  return String(randomInt(10_000_000)).padStart(7, '0');
}
const trackingCollision = (err: unknown) =>
  (err as { code?: string }).code === '23505' && /tracking_no/.test(String((err as { constraint_name?: string }).constraint_name ?? (err as Error).message));

/** Runs an insert that draws tracking numbers again until they are unique (five tries). */
async function withFreshTrackingNumbers<T>(insert: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await insert();
    } catch (err) {
      if (attempt >= 5 || !trackingCollision(err)) throw err;
    }
  }
}

const columns = (sql: Db) => sql`
  id, channel, external_id, received_at, stored_at,
  title, body, contact_name, contact_phone, contact_handle,
  account, address, location, is_public, tracking_no, query_code,
  state, attempts, last_error, case_id, analysis`;

/**
 * Stores a message once per (channel, external id). A repeated delivery returns the stored row
 * with created=false, so every channel can answer a duplicate idempotently.
 */
export async function insertMessage(sql: Db, m: IncomingMessage, opts: { submitter?: string | null } = {}): Promise<{ message: StoredMessage; created: boolean }> {
  const inserted = await withFreshTrackingNumbers(() => sql<StoredMessage[]>`
    INSERT INTO messages (channel, external_id, received_at, raw, raw_content_type, title, body,
      contact_name, contact_phone, contact_handle, account, address, location, is_public, tracking_no, query_code, submitter)
    VALUES (${m.channel}, ${m.externalId}, ${m.receivedAt}, ${m.raw}, ${m.rawContentType}, ${m.title}, ${m.body},
      ${m.contactName}, ${m.contactPhone}, ${m.contactHandle}, ${m.account}, ${m.address},
      ${m.location ? sql.json(m.location) : null}, ${m.isPublic},
      'MS' || to_char(${m.receivedAt}::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYMMDD') || ${newTrackingSuffix()},
      ${newQueryCode()}, ${opts.submitter ?? null})
    ON CONFLICT (channel, external_id) DO NOTHING
    RETURNING ${columns(sql)}`);
  if (inserted.length) return { message: inserted[0], created: true };
  const [existing] = await sql<StoredMessage[]>`
    SELECT ${columns(sql)} FROM messages WHERE channel = ${m.channel} AND external_id = ${m.externalId}`;
  if (!existing) throw new Error(`message (${m.channel}, ${m.externalId}) vanished between insert and read`);
  return { message: existing, created: false };
}

/** Bulk variant for imports: one round trip per chunk, same idempotency. */
export async function insertMessages(sql: Db, items: IncomingMessage[]): Promise<{ created: StoredMessage[]; duplicates: number }> {
  const created: StoredMessage[] = [];
  let duplicates = 0;
  // 16 parameters a row: stay far below postgres' 65,534-parameter limit
  for (let i = 0; i < items.length; i += 500) {
    const chunk = items.slice(i, i + 500);
    const rows = chunk.map((m) => ({
      channel: m.channel,
      external_id: m.externalId,
      received_at: m.receivedAt,
      raw: m.raw,
      raw_content_type: m.rawContentType,
      title: m.title,
      body: m.body,
      contact_name: m.contactName,
      contact_phone: m.contactPhone,
      contact_handle: m.contactHandle,
      account: m.account,
      address: m.address,
      location: m.location ? JSON.stringify(m.location) : null,
      is_public: m.isPublic,
      query_code: newQueryCode(),
    }));
    const res = await withFreshTrackingNumbers(() => sql<StoredMessage[]>`
      INSERT INTO messages (channel, external_id, received_at, raw, raw_content_type, title, body, contact_name,
        contact_phone, contact_handle, account, address, location, is_public, query_code, tracking_no)
      SELECT r.channel, r.external_id, r.received_at::timestamptz, r.raw, r.raw_content_type, r.title, r.body, r.contact_name,
        r.contact_phone, r.contact_handle, r.account, r.address, r.location::jsonb, r.is_public::boolean, r.query_code,
        'MS' || to_char(r.received_at::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYMMDD') || r.tracking_suffix
      FROM jsonb_to_recordset(${sql.json(rows.map((r) => ({ ...r, tracking_suffix: newTrackingSuffix() })))}) AS r(channel text, external_id text, received_at text, raw text,
        raw_content_type text, title text, body text, contact_name text, contact_phone text, contact_handle text,
        account text, address text, location text, is_public boolean, query_code text, tracking_suffix text)
      ON CONFLICT (channel, external_id) DO NOTHING
      RETURNING ${columns(sql)}`);
    created.push(...res);
    duplicates += chunk.length - res.length;
  }
  return { created, duplicates };
}

export async function getMessage(sql: Db, id: number): Promise<StoredMessage | undefined> {
  const [m] = await sql<StoredMessage[]>`SELECT ${columns(sql)} FROM messages WHERE id = ${id}`;
  return m;
}

/** What binds a repeated delivery to the first one: the body as stored and who sent it. */
export async function getDeliveryBinding(sql: Db, id: number): Promise<{ raw: string; submitter: string | null } | undefined> {
  const [m] = await sql<{ raw: string; submitter: string | null }[]>`SELECT raw, submitter FROM messages WHERE id = ${id}`;
  return m;
}

export async function getMessageByTrackingNo(sql: Db, trackingNo: string): Promise<StoredMessage | undefined> {
  const [m] = await sql<StoredMessage[]>`SELECT ${columns(sql)} FROM messages WHERE tracking_no = ${trackingNo}`;
  return m;
}

export async function noteMessageAttempt(sql: Db, id: number, error: string): Promise<void> {
  await sql`UPDATE messages SET attempts = attempts + 1, last_error = ${error.slice(0, 2000)} WHERE id = ${id}`;
}

/** A message that can never be processed (a permanent error): parked as failed with the reason, for staff to see. */
export async function markMessageFailed(sql: Db, id: number, error: string): Promise<void> {
  await sql`UPDATE messages SET state = 'failed', attempts = attempts + 1, last_error = ${error.slice(0, 2000)}
    WHERE id = ${id} AND state IN ('received', 'processing') AND case_id IS NULL`;
}

/** Messages accepted but not yet turned into a case: the sweep re-enqueues them after a crash. */
export async function listUnprocessedMessageIds(sql: Db, olderThan: Date, limit = 1000): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    SELECT id FROM messages WHERE state IN ('received', 'processing') AND stored_at < ${olderThan}
    ORDER BY id LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

export async function listMessagesForCase(sql: Db, caseId: number): Promise<StoredMessage[]> {
  return sql<StoredMessage[]>`SELECT ${columns(sql)} FROM messages WHERE case_id = ${caseId} ORDER BY received_at, id`;
}

/** Stored for the record but not a resident's request (a WeChat subscribe or menu event): no case is opened. */
export async function markMessageWithoutCase(sql: Db, id: number, note: string): Promise<void> {
  await sql`UPDATE messages SET state = 'processed', processed_at = now(), last_error = ${note.slice(0, 2000)}
    WHERE id = ${id} AND state = 'received' AND case_id IS NULL`;
}

/** The payload exactly as it arrived (a Weibo reply needs the comment's post id from it). */
export async function getMessageRaw(sql: Db, id: number): Promise<string | undefined> {
  const [m] = await sql<{ raw: string }[]>`SELECT raw FROM messages WHERE id = ${id}`;
  return m?.raw;
}

/** The message's case with the row locked (inside the transaction that attaches it to one). */
/** The case a message is on now (no lock). */
export async function messageCaseId(sql: Db, id: number): Promise<number | null> {
  const [row] = await sql<{ caseId: number | null }[]>`SELECT case_id FROM messages WHERE id = ${id}`;
  return row?.caseId ?? null;
}

/**
 * The case step's first statement: the message row locked (so one worker at a time decides its case)
 * with the case it is on, and the id a case opened for it gets, drawn in the same statement (an id
 * drawn for a message that then joins a case is never used: ids have gaps, nothing reads them as a count).
 */
export async function lockMessageForCase(sql: Db, id: number): Promise<{ caseId: number | null; newCaseId: number } | undefined> {
  const [row] = await sql<{ caseId: number | null; newCaseId: number }[]>`
    SELECT case_id, nextval(pg_get_serial_sequence('cases', 'id')) AS new_case_id FROM messages WHERE id = ${id} FOR UPDATE`.execute();
  return row;
}

/**
 * The message now belongs to `caseId`, read as `analysis`, and is counted in the message rollup once
 * (as syncMessageRollup counts it, core/db/rollups.ts), in one statement: the CTE `was` reads the row
 * as it was before the UPDATE (every part of a statement sees the same snapshot). Sent at once
 * (core/db/cases.ts PIPELINING).
 */
export async function markMessageProcessed(sql: Db, id: number, caseId: number, at: Date, analysis: MessageAnalysis): Promise<void> {
  await sql`
    WITH was AS (SELECT rollup_counted FROM messages WHERE id = ${id}),
    m AS (
      UPDATE messages SET case_id = ${caseId}, state = 'processed', processed_at = ${at},
        analysis = ${sql.json(analysis as never)}, attempts = attempts + 1, last_error = NULL, rollup_counted = true
      WHERE id = ${id}
      RETURNING received_at, channel, analysis
    )
    INSERT INTO rollup_messages (day, district, category, channel, sentiment, request_type, n)
    SELECT ${messageRollupKey(sql)}, 1
    FROM m CROSS JOIN was WHERE NOT was.rollup_counted
    ON CONFLICT (day, district, category, channel, sentiment, request_type) DO UPDATE SET n = rollup_messages.n + 1`.execute();
}

/** Moves every message of one case to another (合并); returns the ids moved. */
export async function moveMessagesToCase(sql: Db, fromCaseId: number, toCaseId: number): Promise<number[]> {
  const moved = await sql<{ id: number }[]>`UPDATE messages SET case_id = ${toCaseId} WHERE case_id = ${fromCaseId} RETURNING id`;
  return moved.map((m) => m.id);
}

export async function listMessageIdsForCase(sql: Db, caseId: number): Promise<number[]> {
  return (await sql<{ id: number }[]>`SELECT id FROM messages WHERE case_id = ${caseId}`).map((m) => m.id);
}

/** Who gets the case's reply: every message on it, through the channel it came by, oldest first. */
export async function listReplyRecipients(sql: Db, caseId: number): Promise<{ id: number; channel: string; trackingNo: string; recipient: string | null; account: string | null }[]> {
  return sql<{ id: number; channel: string; trackingNo: string; recipient: string | null; account: string | null }[]>`
    SELECT id, channel, tracking_no, coalesce(contact_phone, contact_handle) AS recipient, account
    FROM messages WHERE case_id = ${caseId} ORDER BY received_at, id`;
}

/** Stored messages with no case yet (not failed), in the order received. */
export async function listMessagesWithoutCase(sql: Db): Promise<{ id: number; receivedAt: Date }[]> {
  return sql<{ id: number; receivedAt: Date }[]>`
    SELECT id, received_at FROM messages WHERE case_id IS NULL AND state <> 'failed' ORDER BY received_at, id`;
}

/** What a public sample may be taken from: the messages among `ids` their senders marked public (公开), oldest first. */
export async function listPublicSampleSources(
  sql: Db,
  ids: number[],
): Promise<{ id: number; title: string | null; body: string; contactName: string | null; address: string | null }[]> {
  if (!ids.length) return [];
  return sql<{ id: number; title: string | null; body: string; contactName: string | null; address: string | null }[]>`
    SELECT id, title, left(body, 400) AS body, contact_name, address FROM messages
    WHERE id = ANY(${sql.array(ids)}::bigint[]) AND is_public ORDER BY received_at, id`;
}
