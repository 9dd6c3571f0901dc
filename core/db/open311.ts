// Open311 GeoReport v2: API keys (hashed) and the service requests as an Open311 client sees them.
import type { Db } from './connect';

export interface Open311KeyRow {
  id: number;
  name: string;
  keyPrefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export async function insertOpen311Key(sql: Db, k: { name: string; keyHash: string; keyPrefix: string }): Promise<Open311KeyRow | undefined> {
  const [row] = await sql<Open311KeyRow[]>`
    INSERT INTO open311_keys (name, key_hash, key_prefix) VALUES (${k.name}, ${k.keyHash}, ${k.keyPrefix})
    ON CONFLICT (name) DO NOTHING
    RETURNING id, name, key_prefix, created_at, revoked_at`;
  return row;
}

export async function listOpen311Keys(sql: Db): Promise<Open311KeyRow[]> {
  return [...(await sql<Open311KeyRow[]>`SELECT id, name, key_prefix, created_at, revoked_at FROM open311_keys ORDER BY id`)];
}

/** Revokes the named key; false when there is no such live key. */
export async function revokeOpen311Key(sql: Db, name: string, at: Date): Promise<boolean> {
  const rows = await sql`UPDATE open311_keys SET revoked_at = ${at} WHERE name = ${name} AND revoked_at IS NULL RETURNING id`;
  return rows.length > 0;
}

/** The live key with this hash. */
export async function findLiveOpen311Key(sql: Db, keyHash: string): Promise<{ id: number; name: string } | undefined> {
  const [row] = await sql<{ id: number; name: string }[]>`SELECT id, name FROM open311_keys WHERE key_hash = ${keyHash} AND revoked_at IS NULL`;
  return row;
}

export async function insertOpen311Request(
  sql: Db,
  r: { token: string; serviceCode: string; keyId: number; jurisdictionId: string | null; attributes: Record<string, string | string[]>; mediaUrl: string | null },
): Promise<void> {
  await sql`
    INSERT INTO open311_requests (token, service_code, key_id, jurisdiction_id, attributes, media_url)
    VALUES (${r.token}, ${r.serviceCode}, ${r.keyId}, ${r.jurisdictionId}, ${sql.json(r.attributes)}, ${r.mediaUrl})`;
}

/** A request's token → its service_request_id (the message's tracking number), once the message is stored. */
export async function findOpen311Token(sql: Db, token: string): Promise<{ token: string; trackingNo: string } | undefined> {
  const [row] = await sql<{ token: string; trackingNo: string }[]>`
    SELECT r.token, m.tracking_no FROM open311_requests r
    JOIN messages m ON m.channel = 'open311' AND m.external_id = r.token
    WHERE r.token = ${token}`;
  return row;
}

/** One service request as GeoReport v2 lists it: the message, its case (followed through merges) and department. */
export interface Open311RequestRow {
  trackingNo: string;
  channel: string;
  receivedAt: Date;
  body: string;
  /** kept only to mask them wherever they appear in public text */
  contactName: string | null;
  contactPhone: string | null;
  contactHandle: string | null;
  /** every resident's name, phone and handle on the answering case's chain (a merged case's reply may address any of them) */
  known: string[] | null;
  address: string | null;
  location: { lat: number; lng: number } | null;
  messageState: string;
  /** the service chosen by an Open311 client; null for other channels */
  requestedService: string | null;
  mediaUrl: string | null;
  caseStatus: string | null;
  category: string | null;
  resolved: boolean | null;
  awaitingDesignation: boolean | null;
  merged: boolean;
  department: string | null;
  departmentPhone: string | null;
  replyText: string | null;
  resolveDueAt: Date | null;
  updatedAt: Date | null;
}

export interface Open311RequestFilter {
  trackingNos?: string[];
  /** a service: its category label, and its code as an Open311 client named it */
  service?: { category: string; code: string };
  start?: Date;
  end?: Date;
  /** case statuses that count as this Open311 status; `withoutCase` says whether a message with no case yet counts */
  statuses?: { list: readonly string[]; withoutCase: boolean };
  limit: number;
}

/**
 * The requests an Open311 client may see: those sent through Open311, and those whose resident
 * agreed to publication (the board's consent). Everything else stays off this public API.
 */
export async function listOpen311Requests(sql: Db, f: Open311RequestFilter): Promise<Open311RequestRow[]> {
  const rows = await sql<Open311RequestRow[]>`
    SELECT m.tracking_no, m.channel, m.received_at, m.body, m.contact_name, m.contact_phone, m.contact_handle, coalesce(c.address, m.address) AS address, m.location,
      m.state AS message_state, r.service_code AS requested_service, r.media_url,
      a.status AS case_status, c.category, a.resolved, a.awaiting_designation, (c.merged_into IS NOT NULL) AS merged,
      d.name AS department, d.phone AS department_phone, a.reply_text, a.resolve_due_at, a.updated_at, a.known
    FROM messages m
    LEFT JOIN open311_requests r ON m.channel = 'open311' AND r.token = m.external_id
    LEFT JOIN cases c ON c.id = m.case_id
    LEFT JOIN LATERAL (
      WITH RECURSIVE chain AS (
        SELECT id, merged_into, 0 AS depth FROM cases WHERE id = c.id
        UNION ALL SELECT x.id, x.merged_into, chain.depth + 1 FROM cases x JOIN chain ON x.id = chain.merged_into WHERE chain.depth < 10
      )
      -- a reply held for 答复审核 has not reached the resident: the public sees the case still in hand
      SELECT CASE WHEN y.reply_pending THEN 'accepted' ELSE y.status END AS status, y.resolved, y.awaiting_designation, y.department_code,
        CASE WHEN y.reply_pending THEN NULL ELSE y.reply_text END AS reply_text, y.resolve_due_at, y.updated_at,
        -- every resident's name, phone and handle on the chain: the answering case's reply may address any of them
        (SELECT array_agg(DISTINCT x) FROM messages k, LATERAL (VALUES (k.contact_name), (k.contact_phone), (k.contact_handle)) v(x)
          WHERE k.case_id IN (SELECT id FROM chain) AND x IS NOT NULL) AS known
      FROM chain JOIN cases y ON y.id = chain.id WHERE chain.merged_into IS NULL LIMIT 1
    ) a ON true
    LEFT JOIN departments d ON d.code = a.department_code
    WHERE (m.channel = 'open311' OR m.is_public)
      ${f.start ? sql`AND m.received_at >= ${f.start}` : sql``}
      ${f.end ? sql`AND m.received_at <= ${f.end}` : sql``}
      ${f.trackingNos ? sql`AND m.tracking_no IN ${sql(f.trackingNos)}` : sql``}
      ${f.service ? sql`AND (c.category = ${f.service.category} OR (c.category IS NULL AND r.service_code = ${f.service.code}))` : sql``}
      ${f.statuses
        ? sql`AND (a.status IN ${sql(f.statuses.list as string[])} ${f.statuses.withoutCase ? sql`OR m.case_id IS NULL` : sql``})`
        : sql``}
    ORDER BY m.received_at DESC, m.id DESC
    LIMIT ${f.limit}`;
  return [...rows];
}
