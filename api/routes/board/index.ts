// 公开留言选登: the public board, no login. Only what core/board has already masked leaves here.
import { Hono } from 'hono';
import { findBoardEntry, listBoard } from '../../../core/board/board';
import type { BoardEntry } from '../../../core/db/board';
import { CASE_STATUS_LABELS } from '../../../core/messages/status';
import type { AppDeps, AppEnv } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';
import { boardParam, boardQuery } from './schemas';

const present = (e: BoardEntry) => ({
  trackingNo: e.trackingNo, title: e.title, body: e.body, category: e.category, district: e.district, department: e.department,
  status: e.status, statusLabel: CASE_STATUS_LABELS[e.status as keyof typeof CASE_STATUS_LABELS] ?? e.status,
  receivedAt: e.receivedAt.toISOString(), repliedAt: e.repliedAt?.toISOString() ?? null, reply: e.reply,
  rating: e.rating as '满意' | '基本满意' | '不满意' | null,
});

export function boardRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/', validate('query', boardQuery), async (c) => {
      const q = c.req.valid('query');
      const { total, totalExact, items } = await listBoard(deps.db.sql, q);
      return c.json({ total, totalExact, page: q.page, pageSize: q.pageSize, items: items.map(present) });
    })
    .get('/:trackingNo', validate('param', boardParam), async (c) => {
      const e = await findBoardEntry(deps.db.sql, c.req.valid('param').trackingNo);
      if (!e) throw new ApiError('not_found', '没有这条公开留言 (no such published message)');
      return c.json(present(e));
    });
}
