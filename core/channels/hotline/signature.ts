// The 12345 call centre's webhook signature: X-Signature: sha256=<hex HMAC-SHA256 of "<X-Timestamp>.<body>">.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hotlineSignature(secret: string, timestamp: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** Constant-time check of the header against the expected signature. */
export function hotlineSignatureValid(secret: string, timestamp: string, body: Buffer | string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(hotlineSignature(secret, timestamp, body));
  const given = Buffer.from(header.trim().toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
