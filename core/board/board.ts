// The public board (公开留言选登): answered cases whose residents agreed to publication, with the
// reply and the rating, every personal datum masked before it is stored for the public.
import type { Db, Sql } from '../db/connect';
import { clearBoardDirty, deleteBoardEntries, getBoardEntry, listBoardSources, listDirtyBoardCases, queryBoard, tryLockBoardSync, upsertBoardEntries, type BoardEntry, type BoardSource } from '../db/board';
import { withoutLeadingTitle } from '../util/leading-title';
import { maskForPublic } from './mask';

const SYNC_BATCH = 500;

function entryOf(s: BoardSource) {
  const title = maskForPublic(s.title, s.known);
  // the case summary leads with the title (标题。正文): the board shows the title once, above the body
  const body = maskForPublic(withoutLeadingTitle(s.title, s.summary), s.known) ?? '';
  const reply = maskForPublic(s.replyText, s.known, [s.departmentPhone]);
  return {
    caseId: s.caseId, trackingNo: s.trackingNo, title, body, reply, category: s.category, district: s.district, department: s.department,
    status: s.status, rating: s.rating, receivedAt: s.receivedAt, repliedAt: s.repliedAt, caseUpdatedAt: s.updatedAt,
    searchText: [title, body, reply, s.department, s.district, s.category].filter(Boolean).join('\n').toLowerCase(),
  };
}

/**
 * Brings the board up to date with the cases queued by the trigger of migration 0105: eligible ones
 * (re)masked and written, the others' entries dropped. Called after a case action commits (newest
 * first, a few: the case just changed) and by the read-model sweep (oldest first, until the queue is
 * empty or `maxBatches` batches are done); never by a request, which only reads.
 *
 * One sync runs at a time, across every process: each batch holds a transaction-level advisory lock,
 * and a caller that finds it taken skips (`busy`; the run holding it, or the next sweep, does the
 * work). Serialised, a batch that read a case before a newer change cannot write over that change:
 * the change's newer version stays queued (clearBoardDirty clears only the version read).
 */
export async function syncBoard(sql: Sql, o: { batch?: number; maxBatches?: number; order?: 'oldest' | 'newest' } = {}): Promise<{ updated: number; removed: number; more: boolean; busy: boolean }> {
  const batch = o.batch ?? SYNC_BATCH;
  let updated = 0;
  let removed = 0;
  for (let i = 0; i < (o.maxBatches ?? Infinity); i++) {
    const r = await sql.begin(async (tx) => {
      if (!(await tryLockBoardSync(tx))) return null;
      const dirty = await listDirtyBoardCases(tx, batch, o.order);
      const sources = await listBoardSources(tx, dirty.map((d) => d.caseId));
      const eligible = new Set(sources.map((s) => s.caseId));
      await upsertBoardEntries(tx, sources.map(entryOf));
      const gone = await deleteBoardEntries(tx, dirty.filter((d) => !eligible.has(d.caseId)).map((d) => d.caseId));
      await clearBoardDirty(tx, dirty);
      return { dirty: dirty.length, updated: sources.length, removed: gone };
    });
    if (!r) return { updated, removed, more: true, busy: true };
    updated += r.updated;
    removed += r.removed;
    if (r.dirty < batch) return { updated, removed, more: false, busy: false };
  }
  return { updated, removed, more: true, busy: false };
}

/** A page of the board as the workers keep it (read only). */
export async function listBoard(sql: Db, f: { q?: string; category?: string; page: number; pageSize: number }): Promise<{ total: number; totalExact: boolean; items: BoardEntry[] }> {
  return queryBoard(sql, { q: f.q, category: f.category, limit: f.pageSize, offset: (f.page - 1) * f.pageSize });
}

export async function findBoardEntry(sql: Db, trackingNo: string): Promise<BoardEntry | undefined> {
  return getBoardEntry(sql, trackingNo);
}
