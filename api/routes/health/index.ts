// GET /health: 200 when the database and the job queue answer, 503 naming what is down.
import { Hono } from 'hono';
import { calendarWarnings } from '../../../core/cases/calendar-coverage';
import { ping } from '../../../core/db/connect';
import type { AppDeps, AppEnv } from '../../deps';

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: AppDeps) {
  const { calendar } = deps.shipped.sla;
  return new Hono<AppEnv>().get('/', async (c) => {
    const [database, queue] = await Promise.all([
      within(3000, ping(deps.db.sql)).then(() => true, () => false),
      within(3000, deps.queue.healthy()).catch(() => false),
    ]);
    const ok = database && queue;
    return c.json(
      {
        status: ok ? 'ok' : 'degraded',
        checks: { database: database ? 'up' : 'down', queue: queue ? 'up' : 'down' },
        mode: { database: deps.db.mode, queue: deps.queue.kind },
        // not a failure: deadlines reaching these years are provisional until the State Council's file is imported
        warnings: calendarWarnings(calendar, new Date()),
      },
      ok ? 200 : 503,
    );
  });
}
