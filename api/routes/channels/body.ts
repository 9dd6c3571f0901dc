// What the channel endpoints share at the edge: a size limit (413), a content type (415),
// a configured channel (503), and rejects kept for payloads that cannot be read (400).
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ZodError } from 'zod';
import { rejectPayload } from '../../../core/messages/intake';
import type { AppDeps } from '../../deps';
import { ApiError, zodIssues } from '../../errors';

export const CHANNEL_BODY_LIMIT = 64 * 1024;

export const limitBody = bodyLimit({
  maxSize: CHANNEL_BODY_LIMIT,
  onError: () => {
    throw new ApiError('payload_too_large', `request body is larger than ${CHANNEL_BODY_LIMIT / 1024} KiB`);
  },
});

export function requireContentType(c: Context, pattern: RegExp, expected: string): void {
  const type = c.req.header('content-type');
  if (!type || !pattern.test(type)) throw new ApiError('unsupported_media_type', `send the body as ${expected} (got ${type ?? 'no content type'})`);
}

export function requireConfigured<T>(settings: T | null | undefined, what: string): T {
  if (!settings) throw new ApiError('unavailable', `the ${what} channel is not configured on this server`);
  return settings;
}

/** Keeps the payload in rejects with the reason, then answers 400 saying why. */
export async function rejectAndThrow(
  deps: AppDeps,
  c: Context,
  channel: string,
  raw: string,
  reason: string,
  zodError?: ZodError,
): Promise<never> {
  const details = zodError ? { issues: zodIssues(zodError) } : undefined;
  const rejectId = await rejectPayload(deps.db.sql, channel, raw, c.req.header('content-type'), reason, details);
  throw new ApiError(zodError ? 'validation_failed' : 'bad_request', reason, { ...(details ?? {}), rejectId });
}

export function unauthorized(message: string): ApiError {
  return new ApiError('unauthorized', message);
}
