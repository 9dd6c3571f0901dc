// zod at the edge: @hono/zod-validator with our error body (field-level messages, 400).
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import { ApiError, validationError } from './errors';

export function validate<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw validationError(result.error as never, target === 'json' ? 'body' : target);
  });
}

/** JSON bodies only: a clear 415 instead of a confusing parse error. */
export function requireJson(contentType: string | undefined): void {
  if (!contentType || !/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw new ApiError('unsupported_media_type', 'send the body as application/json');
  }
}
