// WeChat's request signatures: SHA1 over the lexicographically sorted parts, joined without a separator.
import { createHash, timingSafeEqual } from 'node:crypto';

export function wechatSignature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Constant-time comparison of two hex digests (false on any length mismatch). */
export function safeEqualHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
