// Payloads that could not be parsed or validated: kept with the reason, never dropped.
import type { Db } from './connect';

export interface RejectInput {
  channel: string;
  raw: string;
  contentType?: string | null;
  reason: string;
  details?: Record<string, unknown>;
}

export async function insertReject(sql: Db, r: RejectInput): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO rejects (channel, raw, content_type, reason, details)
    VALUES (${r.channel}, ${r.raw}, ${r.contentType ?? null}, ${r.reason.slice(0, 2000)}, ${sql.json((r.details ?? {}) as never)})
    RETURNING id`;
  return row.id;
}
