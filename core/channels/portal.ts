// The portal form's per-IP rate limit: a token bucket per client address, `limit` a minute.
// With Redis (production) the buckets are shared by every API process; embedded, they live in
// this process.
import type { Redis } from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  /** seconds until the next submission would be allowed (when refused) */
  retryAfterS: number;
  remaining: number;
}

export interface RateLimit {
  take(key: string): Promise<RateDecision>;
}

export class RateLimiter implements RateLimit {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: string): Promise<RateDecision> {
    const t = this.now();
    const rate = this.limit / this.windowMs;
    const b = this.buckets.get(key) ?? { tokens: this.limit, at: t };
    b.tokens = Math.min(this.limit, b.tokens + (t - b.at) * rate);
    b.at = t;
    this.buckets.set(key, b);
    if (this.buckets.size > 50_000) this.prune(t);
    if (b.tokens >= 1) {
      b.tokens -= 1;
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
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = limit / window
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or limit
local at = tonumber(b[2]) or now
tokens = math.min(limit, tokens + math.max(0, now - at) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
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
  ) {}

  async take(key: string): Promise<RateDecision> {
    const [allowed, tokensText] = (await this.redis.eval(TOKEN_BUCKET_LUA, 1, `${this.prefix}:rate:portal:${key}`, this.limit, this.windowMs)) as [number, string];
    const tokens = Number(tokensText);
    if (allowed === 1) return { allowed: true, retryAfterS: 0, remaining: Math.floor(tokens) };
    const rate = this.limit / this.windowMs;
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - tokens) / rate / 1000)), remaining: 0 };
  }
}

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
