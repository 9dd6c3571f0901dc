// Read models the requests only read: the public board's masked entries (公开留言选登) and the case
// search lexemes. Both are queued by triggers (migration 0105) and caught up here a bounded amount
// per run, so a backlog (a bulk seed, an upgrade) drains over a few runs and never inside a request.
import { syncBoard } from '../../core/board/board';
import { backfillLegacyDupFeatures } from '../../core/cases/open-case-for-message';
import { indexUnindexedCases } from '../../core/cases/search';
import type { WorkerArea, WorkerContext } from './context';

export const READ_MODEL_SWEEP_MS = 10_000;
/** how long one run may keep the database busy before it leaves the rest to the next */
const RUN_BUDGET_MS = 5_000;

export async function sweepReadModels(ctx: Pick<WorkerContext, 'db'>, budgetMs = RUN_BUDGET_MS): Promise<{ board: number; indexed: number; dupFeatures: number }> {
  const until = Date.now() + budgetMs;
  let board = 0;
  let indexed = 0;
  for (;;) {
    const r = await syncBoard(ctx.db.sql, { maxBatches: 1 });
    board += r.updated + r.removed;
    // busy: another process is syncing the board now; it, or the next run, does the rest
    if (!r.more || r.busy || Date.now() > until) break;
  }
  while (Date.now() <= until) {
    const n = await indexUnindexedCases(ctx.db.sql, 500);
    indexed += n;
    if (n < 500) break;
  }
  // cases opened before duplicate features were stored get theirs (migration 0110's list empties)
  let dupFeatures = 0;
  while (Date.now() <= until) {
    const n = await backfillLegacyDupFeatures(ctx.db.sql, 200);
    dupFeatures += n;
    if (n < 200) break;
  }
  return { board, indexed, dupFeatures };
}

export function readModelsArea(ctx: WorkerContext): WorkerArea {
  return {
    periodic: {
      'read-model-sweep': async () => {
        const r = await sweepReadModels(ctx);
        if (r.board || r.indexed || r.dupFeatures) ctx.logger.info(r, 'read-model sweep: board entries, search lexemes and duplicate features caught up');
      },
    },
    schedule: { 'read-model-sweep': READ_MODEL_SWEEP_MS },
  };
}
