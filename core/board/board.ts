// The public board (公开留言选登): answered cases whose residents agreed to publication, with the
// reply and the rating, every personal datum masked before it is stored for the public.
import type { Db } from '../db/connect';
import { deleteIneligibleBoardEntries, getBoardEntry, listStaleBoardSources, queryBoard, upsertBoardEntries, type BoardEntry, type BoardSource } from '../db/board';
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

/** Brings the board up to date with the cases: new and changed ones (re)masked, reopened ones dropped. */
export async function syncBoard(sql: Db): Promise<{ updated: number; removed: number }> {
  let updated = 0;
  for (;;) {
    const stale = await listStaleBoardSources(sql, SYNC_BATCH);
    await upsertBoardEntries(sql, stale.map(entryOf));
    updated += stale.length;
    if (stale.length < SYNC_BATCH) break;
  }
  return { updated, removed: await deleteIneligibleBoardEntries(sql) };
}

export async function listBoard(sql: Db, f: { q?: string; category?: string; page: number; pageSize: number }): Promise<{ total: number; items: BoardEntry[] }> {
  await syncBoard(sql);
  return queryBoard(sql, { q: f.q, category: f.category, limit: f.pageSize, offset: (f.page - 1) * f.pageSize });
}

export async function findBoardEntry(sql: Db, trackingNo: string): Promise<BoardEntry | undefined> {
  await syncBoard(sql);
  return getBoardEntry(sql, trackingNo);
}
