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

const WHERE_LABEL: Record<string, string> = { json: '提交的内容', body: '提交的内容', form: '提交的表单', query: '查询参数', param: '路径参数', request: '请求' };

/**
 * A 400 whose message a user can read as it is: the field messages (already in Chinese) after a
 * Chinese lead; the field names stay in `details` for the forms that mark each field.
 */
export function validationError(err: ZodError, where = 'request'): ApiError {
  const issues = zodIssues(err);
  return new ApiError('validation_failed', `${WHERE_LABEL[where] ?? '请求'}有误：${issues.map((i) => i.message).join('；')}`, issues);
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
