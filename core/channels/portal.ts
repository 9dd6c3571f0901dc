// The portal form's per-IP rate limit: a token bucket per client address, `limit` a minute,
// kept in this process (each API process limits on its own; put the shared limit at the proxy).

export interface RateDecision {
  allowed: boolean;
  /** seconds until the next submission would be allowed (when refused) */
  retryAfterS: number;
  remaining: number;
}

export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): RateDecision {
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

/** The client address: the socket's, or the proxy's X-Forwarded-For / X-Real-IP when TRUST_PROXY is set. */
export function clientAddress(opts: { trustProxy: boolean; forwardedFor?: string; realIp?: string; socket?: string }): string {
  if (opts.trustProxy) {
    const forwarded = opts.forwardedFor?.split(',')[0]?.trim() || opts.realIp?.trim();
    if (forwarded) return forwarded;
  }
  return opts.socket || 'unknown';
}
