// Payloads that could not be parsed or validated: kept with the reason, never dropped.
import { storableJson, storableText } from '../messages/storable';
import type { Db } from './connect';

export interface RejectInput {
  channel: string;
  raw: string;
  contentType?: string | null;
  reason: string;
  details?: Record<string, unknown>;
}

/** Stores the reject; text PostgreSQL cannot hold (NUL, lone surrogates) is cleaned first, so even a hostile payload is kept. */
export async function insertReject(sql: Db, r: RejectInput): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO rejects (channel, raw, content_type, reason, details)
    VALUES (${storableText(r.channel)}, ${storableText(r.raw)}, ${r.contentType == null ? null : storableText(r.contentType)},
      ${storableText(r.reason.slice(0, 2000))}, ${sql.json(storableJson(r.details ?? {}) as never)})
    RETURNING id`;
  return row.id;
}
