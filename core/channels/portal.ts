// Token buckets for the public endpoints: the portal form's per-IP limit (`limit` a minute) and
// the 查询码 attempt limits. With Redis (production) the buckets are shared by every API process;
// embedded, or while Redis is down, they live in this process.
import type { Redis } from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  /** seconds until the next submission would be allowed (when refused) */
  retryAfterS: number;
  remaining: number;
}

export interface RateLimit {
  /** spends `cost` tokens (default 1) when at least one is left; cost 0 only looks */
  take(key: string, cost?: number): Promise<RateDecision>;
}

export class RateLimiter implements RateLimit {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: string, cost = 1): Promise<RateDecision> {
    const t = this.now();
    const rate = this.limit / this.windowMs;
    const b = this.buckets.get(key) ?? { tokens: this.limit, at: t };
    b.tokens = Math.min(this.limit, b.tokens + (t - b.at) * rate);
    b.at = t;
    this.buckets.set(key, b);
    if (this.buckets.size > 50_000) this.prune(t);
    if (b.tokens >= 1) {
      b.tokens -= cost;
      return { allowed: true, retryAfterS: 0, remaining: Math.floor(b.tokens) };
    }
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000)), remaining: 0 };
  }

  /** buckets that have refilled completely carry no information */
  private prune(t: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + (t - b.at) * (this.limit / this.windowMs) >= this.limit) this.buckets.delete(k);
  }
}

// The same token bucket in Redis, atomic in one script, on Redis's own clock so API processes on
// different hosts agree.
const TOKEN_BUCKET_LUA = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = limit / window
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or limit
local at = tonumber(b[2]) or now
tokens = math.min(limit, tokens + math.max(0, now - at) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], window * 2)
return { allowed, tostring(tokens) }`;

export class RedisRateLimiter implements RateLimit {
  constructor(
    private readonly redis: Redis,
    private readonly limit: number,
    private readonly prefix: string,
    private readonly windowMs = 60_000,
    private readonly name = 'portal',
  ) {}

  async take(key: string, cost = 1): Promise<RateDecision> {
    const [allowed, tokensText] = (await this.redis.eval(TOKEN_BUCKET_LUA, 1, `${this.prefix}:rate:${this.name}:${key}`, this.limit, this.windowMs, cost)) as [number, string];
    const tokens = Number(tokensText);
    if (allowed === 1) return { allowed: true, retryAfterS: 0, remaining: Math.floor(tokens) };
    const rate = this.limit / this.windowMs;
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - tokens) / rate / 1000)), remaining: 0 };
  }
}

/**
 * Redis's shared buckets while Redis answers, this process's own while it does not: a Redis outage
 * must not refuse residents (fail closed) nor lift every limit (fail open to nothing). A call that
 * takes longer than `timeoutMs` counts as down, and Redis is left alone for `retryMs` after that.
 */
export class FailoverRateLimiter implements RateLimit {
  private downUntil = 0;

  constructor(
    private readonly shared: RateLimit,
    private readonly local: RateLimit,
    private readonly opts: { timeoutMs?: number; retryMs?: number; onFailover?: (err: unknown) => void; now?: () => number } = {},
  ) {}

  async take(key: string, cost = 1): Promise<RateDecision> {
    const now = this.opts.now ?? Date.now;
    if (now() >= this.downUntil) {
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          this.shared.take(key, cost),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`rate limiter: Redis did not answer within ${this.opts.timeoutMs ?? 250} ms`)), this.opts.timeoutMs ?? 250);
          }),
        ]);
      } catch (err) {
        this.downUntil = now() + (this.opts.retryMs ?? 5_000);
        this.opts.onFailover?.(err);
      } finally {
        clearTimeout(timer);
      }
    }
    return this.local.take(key, cost);
  }
}

/** A limiter of `limit` per `windowMs`: shared through Redis when there is one (with the local fallback), else local. */
export function makeRateLimiter(
  o: { redis?: Redis; prefix: string; name: string; limit: number; windowMs: number; onFailover?: (err: unknown) => void },
): RateLimit {
  const local = new RateLimiter(o.limit, o.windowMs);
  if (!o.redis) return local;
  return new FailoverRateLimiter(new RedisRateLimiter(o.redis, o.limit, o.prefix, o.windowMs, o.name), local, { onFailover: o.onFailover });
}

/**
 * Wrong 查询码 attempts, limited per tracking number and per address. Only wrong answers spend
 * tokens, so a resident who knows the code is never counted; the buckets refill steadily (one
 * attempt a minute per tracking number), so a lock-out ends a minute or two after the guessing
 * stops instead of shutting the real resident out for hours.
 */
export class QueryCodeGuard {
  constructor(
    private readonly byNumber: RateLimit,
    private readonly byAddress: RateLimit,
  ) {}

  static create(o: { redis?: Redis; prefix: string; onFailover?: (err: unknown) => void }): QueryCodeGuard {
    return new QueryCodeGuard(
      makeRateLimiter({ ...o, name: 'code:number', limit: QUERY_CODE_LIMITS.perNumber, windowMs: QUERY_CODE_LIMITS.windowMs }),
      makeRateLimiter({ ...o, name: 'code:address', limit: QUERY_CODE_LIMITS.perAddress, windowMs: QUERY_CODE_LIMITS.windowMs }),
    );
  }

  /** seconds to wait when either bucket is empty, else 0 */
  async lockedFor(trackingNo: string, address: string): Promise<number> {
    const [n, a] = await Promise.all([this.byNumber.take(trackingNo, 0), this.byAddress.take(address, 0)]);
    return Math.max(n.allowed ? 0 : n.retryAfterS, a.allowed ? 0 : a.retryAfterS);
  }

  async wrong(trackingNo: string, address: string): Promise<void> {
    await Promise.all([this.byNumber.take(trackingNo), this.byAddress.take(address)]);
  }
}

/** wrong codes allowed per tracking number and per address in a burst; each bucket refills over windowMs */
export const QUERY_CODE_LIMITS = { perNumber: 10, perAddress: 30, windowMs: 10 * 60_000 };

// addresses of our own network: the proxies in front of the API (loopback, RFC 1918, link-local, ULA)
const INTERNAL = /^(?:127\.|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|169\.254\.|::1$|f[cd][0-9a-f]{2}:|fe80:|::ffff:(?:127|10)\.)/i;

/**
 * The client address: the socket's, or, when TRUST_PROXY is set, the right-most X-Forwarded-For
 * hop that is not one of our own proxies. Each proxy appends the address it saw, so entries to the
 * left of that are whatever the client wrote and prove nothing (the left-most is freely spoofed).
 */
export function clientAddress(opts: { trustProxy: boolean; forwardedFor?: string; realIp?: string; socket?: string }): string {
  if (opts.trustProxy) {
    const hops = (opts.forwardedFor ?? '').split(',').map((h) => h.trim()).filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) if (!INTERNAL.test(hops[i])) return hops[i];
    const forwarded = hops.at(-1) || opts.realIp?.trim();
    if (forwarded) return forwarded;
  }
  return opts.socket || 'unknown';
}
