// Residents' photos (message_photos): stored cleaned, listed without their bytes, read one at a time.
import { createHash } from 'node:crypto';
import type { CleanPhoto } from '../photos/image';
import type { Db } from './connect';

export interface PhotoInfo {
  id: number;
  messageId: number;
  addedVia: 'intake' | 'status-page';
  mime: string;
  width: number;
  height: number;
  byteSize: number;
  createdAt: Date;
}

const info = (sql: Db) => sql`id, message_id, added_via, mime, width, height, byte_size, created_at`;

/** Stores each photo once per message (the same bytes sent twice are one photo); returns those stored now. */
export async function insertPhotos(sql: Db, messageId: number, photos: CleanPhoto[], addedVia: PhotoInfo['addedVia']): Promise<PhotoInfo[]> {
  if (!photos.length) return [];
  const rows = photos.map((p) => ({
    messageId, addedVia, mime: p.mime, width: p.width, height: p.height, byteSize: p.bytes.length,
    sha256: createHash('sha256').update(p.bytes).digest('hex'), removed: p.removed, bytes: p.bytes,
  }));
  return sql<PhotoInfo[]>`
    INSERT INTO message_photos ${sql(rows as never, 'messageId', 'addedVia', 'mime', 'width', 'height', 'byteSize', 'sha256', 'removed', 'bytes')}
    ON CONFLICT (message_id, sha256) DO NOTHING
    RETURNING ${info(sql)}`;
}

export async function countPhotos(sql: Db, messageId: number): Promise<number> {
  const [r] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM message_photos WHERE message_id = ${messageId}`;
  return r.n;
}

/** the photos of these messages, oldest first, without their bytes */
export async function listPhotos(sql: Db, messageIds: number[]): Promise<PhotoInfo[]> {
  if (!messageIds.length) return [];
  return sql<PhotoInfo[]>`SELECT ${info(sql)} FROM message_photos WHERE message_id IN ${sql(messageIds)} ORDER BY id`;
}

/** the photos of every message of a case (its own and those merged into it) */
export async function listCasePhotos(sql: Db, caseId: number): Promise<PhotoInfo[]> {
  return sql<PhotoInfo[]>`
    SELECT ${info(sql)} FROM message_photos
    WHERE message_id IN (SELECT id FROM messages WHERE case_id = ${caseId}) ORDER BY id`;
}

export async function getPhotoBytes(sql: Db, id: number): Promise<(PhotoInfo & { bytes: Buffer }) | undefined> {
  const [r] = await sql<(PhotoInfo & { bytes: Buffer })[]>`SELECT ${info(sql)}, bytes FROM message_photos WHERE id = ${id}`;
  return r;
}

/** what was asked when the case was paused (补充材料) and what the resident answered, oldest first */
export async function listSupplementExchange(sql: Db, caseIds: number[], trackingNo: string): Promise<{ type: 'paused' | 'resumed'; at: Date; text: string | null; byResident: boolean }[]> {
  // by_resident: this resident's own answer — a case can hold several residents' messages (duplicates,
  // merges), and one resident never reads what another wrote
  return sql`
    SELECT type, at, CASE WHEN type = 'paused' THEN data ->> 'reason' ELSE data ->> 'note' END AS text,
      (actor_kind = 'resident' AND actor_id = ${'resident:' + trackingNo}) AS by_resident
    FROM case_events WHERE case_id IN ${sql(caseIds)} AND type IN ('paused', 'resumed') ORDER BY at, id` as never;
}
