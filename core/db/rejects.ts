// Payloads that could not be parsed or validated: kept with the reason, never dropped.
import type { Sql } from './connect';

export interface RejectInput {
  channel: string;
  raw: string;
  contentType?: string | null;
  reason: string;
  details?: Record<string, unknown>;
}

export async function insertReject(sql: Sql, r: RejectInput): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO rejects (channel, raw, content_type, reason, details)
    VALUES (${r.channel}, ${r.raw}, ${r.contentType ?? null}, ${r.reason.slice(0, 2000)}, ${sql.json((r.details ?? {}) as never)})
    RETURNING id`;
  return row.id;
}

export async function listRejects(sql: Sql, opts: { channel?: string; limit?: number } = {}) {
  return sql<{ id: number; channel: string; receivedAt: Date; reason: string; raw: string }[]>`
    SELECT id, channel, received_at AS "receivedAt", reason, raw FROM rejects
    ${opts.channel ? sql`WHERE channel = ${opts.channel}` : sql``}
    ORDER BY id DESC LIMIT ${opts.limit ?? 100}`;
}
