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
  return err.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: chineseIssue(i) }));
}

const HAN = /[\u4e00-\u9fff]/;
/** what a field is called on the forms, for the messages zod writes itself (a schema's own messages are Chinese already) */
const FIELD_NAMES: Record<string, string> = {
  text: '内容', reason: '原因', departmentId: '承办单位', workingDays: '工作日数', approve: '审批结果', assignee: '经办人', version: '版本号',
  limit: '每页条数', offset: '起始位置', cursor: '分页游标', sort: '排序字段', dir: '排序方向', caseId: '工单编号', caseIds: '工单',
  from: '开始时间', to: '结束时间', before: '分页位置', actor: '操作人', action: '操作', days: '天数', id: '编号', page: '页码', pageSize: '每页条数', q: '搜索词',
  name: '名称', displayName: '姓名', password: '密码', role: '角色', departmentCode: '单位', user: '用户', scopes: '权限', expiresInDays: '有效天数',
  title: '标题', content: '内容', phone: '电话', contactName: '联系人', address: '地址', code: '查询码', rating: '评价', comment: '意见', resolved: '是否解决',
  category: '分类', district: '区县', status: '状态', department: '承办单位', minVolume: '最少办件量', rankBy: '排名依据', kind: '类别',
};
const TYPE_NAMES: Record<string, string> = {
  string: '文字', number: '数字', int: '整数', boolean: 'true 或 false', array: '列表', object: 'JSON 对象', date: '日期', bigint: '整数', record: 'JSON 对象',
};
const FORMAT_NAMES: Record<string, string> = {
  datetime: '带时区的 ISO 8601 时间，如 2026-01-01T08:00:00+08:00', date: '日期，如 2026-01-01', email: '电子邮箱地址', url: '网址', uuid: 'UUID', regex: '规定的格式',
};

/**
 * The message of one issue, in Chinese: a schema's own message as it is, else one made from the
 * issue that names the field and says what to send instead (zod's defaults are English).
 */
export function chineseIssue(i: ZodError['issues'][number]): string {
  if (HAN.test(i.message)) return i.message;
  const key = String(i.path.at(-1) ?? '');
  const field = i.path.length ? (FIELD_NAMES[key] ?? key) : '提交的内容';
  const at = i.path.length > 1 && typeof i.path.at(-1) === 'number' ? `${FIELD_NAMES[String(i.path.at(-2))] ?? String(i.path.at(-2))}第 ${Number(i.path.at(-1)) + 1} 项` : field;
  switch (i.code) {
    case 'invalid_type':
      // zod keeps no input on the issue; its own message says what it received
      return /received undefined/.test(i.message) ? `请填写${at}` : `${at}须为${TYPE_NAMES[i.expected] ?? i.expected}`;
    case 'too_big': {
      const max = String(i.maximum);
      if (i.origin === 'string') return `${at}最多 ${max} 个字`;
      if (i.origin === 'array' || i.origin === 'set') return `${at}最多 ${max} 项`;
      return `${at}不能大于 ${max}`;
    }
    case 'too_small': {
      const min = String(i.minimum);
      if (i.origin === 'string') return Number(i.minimum) <= 1 ? `请填写${at}` : `${at}至少 ${min} 个字`;
      if (i.origin === 'array' || i.origin === 'set') return `${at}至少 ${min} 项`;
      return `${at}不能小于 ${min}`;
    }
    case 'invalid_value':
      return `${at}须为以下之一：${i.values.map(String).join('、')}`;
    case 'invalid_format':
      return `${at}须为${FORMAT_NAMES[i.format] ?? '规定的格式'}`;
    case 'not_multiple_of':
      return `${at}须为 ${i.divisor} 的倍数`;
    case 'unrecognized_keys':
      return `不认识的字段：${i.keys.join('、')}，请删去`;
    case 'invalid_union':
      return `${at}的格式不对`;
    default:
      return `${at}不符合要求`;
  }
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
    else if (err instanceof HTTPException && err.status === 413) apiError = new ApiError('payload_too_large', '提交的内容过大，请精简后重试 (request body is too large)');
    else if (err instanceof HTTPException && err.status < 500) {
      apiError = new ApiError(err.status === 401 ? 'unauthorized' : err.status === 404 ? 'not_found' : 'bad_request', err.message || '请求有误 (bad request)');
    } else {
      logger.error({ err, requestId, path: c.req.path }, 'unhandled error');
      apiError = new ApiError('internal', '服务器内部错误，请稍后重试 (internal error)');
    }
    if (apiError.status >= 500 && apiError.code !== 'internal') logger.warn({ requestId, code: apiError.code }, apiError.message);
    for (const [k, v] of Object.entries(apiError.headers ?? {})) c.header(k, v);
    return c.json(
      { error: { code: apiError.code, message: apiError.message, ...(apiError.details ? { details: apiError.details } : {}), requestId } },
      apiError.status,
    );
  };
}
