// zod at the edge: @hono/zod-validator with our error body (field-level messages, 400).
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { z, type ZodType } from 'zod';
import { ApiError, validationError } from './errors';

export function validate<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw validationError(result.error as never, target === 'json' ? 'body' : target);
  });
}

/** JSON bodies only: a clear 415 instead of a confusing parse error. */
export function requireJson(contentType: string | undefined): void {
  if (!contentType || !/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw new ApiError('unsupported_media_type', '请以 JSON 格式（application/json）提交 (send the body as application/json)');
  }
}

/** The earliest and latest instants a query may name: 2000-01-01 to a year ahead (PostgreSQL and Date both choke far outside). */
export const EARLIEST_QUERY_TIME = new Date('2000-01-01T00:00:00Z');
const QUERY_AHEAD_MS = 366 * 86_400_000;

/** An ISO 8601 date-time with an offset, inside the sane window; the 400 names the field. */
export function boundedDateTime() {
  return z
    .string()
    .datetime({ offset: true, message: '须为带时区的 ISO 8601 时间 (ISO 8601 with an offset)' })
    .refine((v) => {
      const t = new Date(v).getTime();
      return !Number.isNaN(t) && t >= EARLIEST_QUERY_TIME.getTime() && t <= Date.now() + QUERY_AHEAD_MS;
    }, '时间须在 2000-01-01 至一年后之间 (must be between 2000-01-01 and a year from now)');
}
