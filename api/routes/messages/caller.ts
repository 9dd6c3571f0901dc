// Who is calling a public endpoint (for rate limits and idempotency), and the 查询码 guard the
// status page, the rating and the supplement share (one per app, so their attempts add up).
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { clientAddress, QueryCodeGuard } from '../../../core/channels/portal';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';

function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined; // in-process requests (tests) have no socket
  }
}

export function callerAddress(c: Context, deps: AppDeps): string {
  return clientAddress({ trustProxy: deps.config.TRUST_PROXY, forwardedFor: c.req.header('x-forwarded-for'), realIp: c.req.header('x-real-ip'), socket: socketAddress(c) });
}

const guards = new WeakMap<AppDeps, QueryCodeGuard>();

function guardOf(deps: AppDeps): QueryCodeGuard {
  let g = guards.get(deps);
  if (!g) {
    g = QueryCodeGuard.create({ redis: deps.redis, prefix: deps.config.QUEUE_PREFIX, onFailover: (err) => deps.logger.warn({ err }, 'rate limiter: Redis unavailable, limiting in this process') });
    guards.set(deps, g);
  }
  return g;
}

/**
 * Runs `lookup` (which answers null for a wrong tracking number or 查询码) behind the attempt
 * limits: 429 with Retry-After while locked, and every wrong answer counted.
 */
/** 429 while this caller is locked out of this tracking number for wrong codes (before any work is done) */
export async function assertNotLockedOut(c: Context, deps: AppDeps, trackingNo: string): Promise<void> {
  const wait = await guardOf(deps).lockedFor(trackingNo, callerAddress(c, deps));
  if (wait > 0) {
    throw new ApiError('rate_limited', `查询码错误次数过多，请 ${wait} 秒后再试 (too many wrong codes; try again in ${wait} s)`, undefined, { 'Retry-After': String(wait) });
  }
}

export async function withCodeAttempt<T>(c: Context, deps: AppDeps, trackingNo: string, lookup: () => Promise<T | null | undefined>): Promise<T | null> {
  await assertNotLockedOut(c, deps, trackingNo);
  const found = await lookup();
  if (found == null) {
    await guardOf(deps).wrong(trackingNo, callerAddress(c, deps));
    return null;
  }
  return found;
}
