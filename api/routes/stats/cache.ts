// Public figures are cheap to serve and cannot be used to starve intake: each answer is kept for
// CACHE_SECONDS in-process, keyed by the endpoint and its validated query (concurrent identical
// requests share one computation: lru-cache's fetch), the browser and any proxy may keep it as
// long (Cache-Control), and at most STATS_CONCURRENCY computations run at once (p-limit), with a
// bounded wait list: beyond it the answer is 503 with Retry-After, never a pile-up on the pool.
import type { Context } from 'hono';
import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';
import { ApiError } from '../../errors';

export const CACHE_SECONDS = 30;
export const STATS_CONCURRENCY = 2;
export const STATS_MAX_WAITING = 64;

export interface StatsCache {
  /** answers `compute()` for `key`, from the cache when it is fresh */
  get<T extends object>(key: string, compute: () => Promise<T>): Promise<T>;
  /** computations running or waiting now */
  busy(): number;
}

export function createStatsCache(opts: { ttlMs?: number; concurrency?: number; maxWaiting?: number } = {}): StatsCache {
  const limit = pLimit(opts.concurrency ?? STATS_CONCURRENCY);
  const maxWaiting = opts.maxWaiting ?? STATS_MAX_WAITING;
  const cache = new LRUCache<string, object, () => Promise<object>>({
    max: 1000,
    ttl: opts.ttlMs ?? CACHE_SECONDS * 1000,
    fetchMethod: (_key, _stale, { context }) => limit(context),
  });
  return {
    async get<T extends object>(key: string, compute: () => Promise<T>): Promise<T> {
      const hit = cache.get(key);
      if (hit) return hit as T;
      if (limit.pendingCount >= maxWaiting) {
        throw new ApiError('unavailable', '统计服务繁忙，请稍后再试 (statistics are busy, try again shortly)', undefined, { 'Retry-After': '5' });
      }
      return (await cache.fetch(key, { context: compute })) as T;
    },
    busy: () => limit.activeCount + limit.pendingCount,
  };
}

/** The key of a request: its path and its validated query in a fixed order. */
export function cacheKey(path: string, query: object): string {
  return `${path}?${JSON.stringify(Object.entries(query).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)))}`;
}

export function setCacheHeaders(c: Context, scope: 'public' | 'private'): void {
  c.header('Cache-Control', `${scope}, max-age=${CACHE_SECONDS}`);
}

const perApp = new WeakMap<object, StatsCache>();
/** One cache and one concurrency bound per app (its deps), shared by every statistics route. */
export function statsCacheFor(deps: object): StatsCache {
  let c = perApp.get(deps);
  if (!c) perApp.set(deps, (c = createStatsCache()));
  return c;
}
