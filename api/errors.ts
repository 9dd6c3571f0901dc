// One error type for the API, one handler: body { error: { code, message, details?, requestId } }.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import type { Logger } from '../core/logger';

export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  illegal_transition: 409,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldIssue[] | Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get status(): (typeof ERROR_STATUS)[ErrorCode] {
    return ERROR_STATUS[this.code];
  }
}

export function zodIssues(err: ZodError): FieldIssue[] {
  return err.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
}

export function validationError(err: ZodError, where = 'request'): ApiError {
  return new ApiError('validation_failed', `invalid ${where}: ${zodIssues(err).map((i) => `${i.field}: ${i.message}`).join('; ')}`, zodIssues(err));
}

export function errorHandler(logger: Logger) {
  return (err: Error, c: Context) => {
    const requestId = (c.get('requestId' as never) as string | undefined) ?? null;
    let apiError: ApiError;
    if (err instanceof ApiError) apiError = err;
    else if (err instanceof ZodError) apiError = validationError(err);
    else if (err instanceof HTTPException && err.status === 413) apiError = new ApiError('payload_too_large', 'request body is too large');
    else if (err instanceof HTTPException && err.status < 500) {
      apiError = new ApiError(err.status === 401 ? 'unauthorized' : err.status === 404 ? 'not_found' : 'bad_request', err.message || 'bad request');
    } else {
      logger.error({ err, requestId, path: c.req.path }, 'unhandled error');
      apiError = new ApiError('internal', 'internal error');
    }
    if (apiError.status >= 500 && apiError.code !== 'internal') logger.warn({ requestId, code: apiError.code }, apiError.message);
    for (const [k, v] of Object.entries(apiError.headers ?? {})) c.header(k, v);
    return c.json(
      { error: { code: apiError.code, message: apiError.message, ...(apiError.details ? { details: apiError.details } : {}), requestId } },
      apiError.status,
    );
  };
}
