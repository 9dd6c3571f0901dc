// Every route of the app with its documentation: the one table the OpenAPI document is generated
// from. Request schemas are the zod schemas the routes validate with (imported from the routes);
// response schemas are in ./responses. test/openapi.test.ts walks `app.routes` and fails on a route
// missing here, so a new route is documented by adding one entry.
import { z, type ZodType } from 'zod';
import { ruleInputSchema } from '../../core/alerts/rule-schema';
import { STAFF_AREAS } from '../../core/auth/permissions';
import type { StaffRole } from '../../core/auth/staff';
import { STAFF_ACTIONS } from '../../core/cases/staff-actions';
import { SESSION_COOKIE } from '../../core/auth/login';
import { hotlineOrderSchema } from '../../core/channels/hotline/order';
import { CONSENT_ATTRIBUTE, TITLE_ATTRIBUTE } from '../../core/channels/open311/services';
import { open311RequestFields } from '../../core/channels/open311/request';
import { correctionSchema } from '../../core/cases/corrections';
import { boardPage, boardItem, boardParam, boardQuery } from '../routes/board/schemas';
import { auditQuery, idParam as adminIdParam, newToken, newUser, resetBody } from '../routes/admin/index';
import { ackBody, idParam as alertIdParam, listQuery as alertsQuery } from '../routes/alerts/index';
import { idParam as ruleIdParam } from '../routes/alerts/rules';
import { loginBody, passwordBody } from '../routes/auth/index';
import { actionParam, replyText } from '../routes/cases/actions';
import { bulkBody } from '../routes/cases/bulk';
import { CONTACT_ROLES } from '../routes/cases/contact';
import { casePhotoParam } from '../routes/cases/photos';
import { listQuery } from '../routes/cases/index';
import { kindParam, queueQuery } from '../routes/cases/queues';
import { idParam } from '../routes/cases/service';
import { pushQuery, verifyQuery } from '../routes/channels/wechat';
import { failedPage, messageIdParam } from '../routes/messages/failed';
import { portalFormSchema, statusQuery, trackingParam } from '../routes/messages/index';
import { rankingQuery, SERVICE_TIMES_ROLES } from '../routes/metrics/index';
import { statsQuerySchema as period } from '../routes/stats/query';
import {
  discoverySchema, formatParam, open311ErrorSchema, postResponseSchema, requestsQuerySchema, serviceDefinitionSchema, serviceRequestSchema,
  serviceSchema, servicesQuerySchema, singleQuerySchema, tokenResponseSchema,
} from '../routes/open311/schemas';
import { ratingBody, supplementBody, trackingParam as residentTrackingParam } from '../routes/resident/index';
import { fileParam, listQuery as reportsQuery } from '../routes/reports/index';
import { ACK_ROLES } from '../routes/alerts/index';
import { detailQuery, idParam as topicIdParam } from '../routes/topics/detail';
import { answerBody as topicAnswerBody, instructBody as topicInstructBody, instructionsQuery as topicInstructionsQuery } from '../routes/topics/instructions';
import { recurringQuery, topicsQuery } from '../routes/topics/index';
import { idParam as triageIdParam, page as triagePage } from '../routes/triage/index';
import * as R from './responses';
import { kbDocs } from './kb-docs';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** how a caller proves who it is: the document's security schemes */
export type Auth = 'public' | 'staff' | 'optional-staff' | 'open311-key' | 'hotline-signature' | 'wechat-signature';

export interface ResponseDoc {
  description: string;
  schema?: ZodType;
  /** default application/json */
  contentType?: string;
  /** the same schema in these other media types too (Open311's XML) */
  alsoAs?: string[];
  /** other media types with their own schema (a report as HTML or PDF) */
  otherContent?: Record<string, ZodType>;
}

export interface RouteDoc {
  method: Method;
  /** the path exactly as Hono lists it in `app.routes` */
  path: string;
  /** the OpenAPI path, when Hono's (a regex parameter) cannot be read as one */
  docPath?: string;
  summary: string;
  description?: string;
  tag: string;
  auth: Auth;
  /** staff routes limited to some roles (unset: every staff role) */
  roles?: readonly StaffRole[];
  params?: ZodType;
  query?: ZodType;
  /** extra path parameters documented by hand (those of a docPath) */
  pathParams?: { name: string; description: string; schema: ZodType }[];
  body?: { contentType: string; schema: ZodType; description?: string; /** the route takes no body too (it reads {} then) */ optional?: boolean };
  responses: Record<number, ResponseDoc>;
}

/** Entries Hono lists for middleware and catch-alls: not operations, but each must be named here. */
export const NON_OPERATIONS: { method: 'ALL' | 'GET'; path: string; why: string }[] = [
  { method: 'ALL', path: '/*', why: 'middleware on every request (security headers, request id, log) and the dashboard files' },
  { method: 'ALL', path: '/api/*', why: 'unknown API paths: 404 in the API error format' },
  { method: 'ALL', path: '/api/v1/channels/wechat/*', why: 'the WeChat webhook body limit (middleware)' },
  { method: 'ALL', path: '/api/v1/triage/*', why: 'staff-only guard of the triage routes (middleware)' },
  { method: 'ALL', path: '/api/v1/topics/*', why: 'staff-only guard of the topic detail (middleware)' },
  { method: 'ALL', path: '/api/v1/admin/*', why: 'admin-only guard (and the `admin` token scope) of the accounts, tokens and audit routes (middleware)' },
  { method: 'ALL', path: '/api/v1/alerts/*', why: 'staff-only guard of the alerts (middleware)' },
  { method: 'ALL', path: '/api/v1/alert-rules/*', why: 'admin-only guard of the alert rules (middleware)' },
  { method: 'ALL', path: '/api/v1/reports/*', why: 'staff-only guard of the reports (middleware)' },
  { method: 'ALL', path: '/open311/v2/*', why: 'unknown Open311 resources: 404 in the GeoReport error format' },
  { method: 'GET', path: '/assets/*', why: 'a missing dashboard asset: 404 (never the app shell)' },
  { method: 'GET', path: '/*', why: 'the dashboard shell (index.html) for client-side routes' },
];

const err = (description: string): ResponseDoc => ({ description, schema: R.errorBody });
const E400 = err('输入不合规：逐字段中文说明 (validation failed, field by field)');
const E401 = err('未登录或令牌无效 (not signed in, or a bad staff token)');
const E403 = err('无权访问 (not allowed for this role or token scope, or a session request without the right X-CSRF-Token)');
const E404 = err('不存在 (not found)');
const E429 = err('请求过于频繁 (rate limited; see Retry-After)');

const formats = ['json', 'xml'] as const;
const XML = 'text/xml';
const o311 = (description: string, schema: ZodType, format: 'json' | 'xml'): ResponseDoc =>
  format === 'json' ? { description, schema } : { description: `${description} (XML: the same fields as elements)`, schema, contentType: XML };
const o311Error = (description: string, format: 'json' | 'xml') => o311(description, open311ErrorSchema, format);

/** the POST form as clients send it: attribute[code] fields rather than our collected `attributes` */
const open311Form = open311RequestFields.omit({ attributes: true }).extend({
  [`attribute[${CONSENT_ATTRIBUTE}]`]: z.enum(['yes', 'no']).optional().describe('同意公开 (publish on the public board); default no'),
  [`attribute[${TITLE_ATTRIBUTE}]`]: z.string().max(100).optional().describe('留言标题'),
});

function open311Docs(): RouteDoc[] {
  const base = '/open311/v2';
  const docs: RouteDoc[] = [];
  for (const f of formats) {
    docs.push(
      { method: 'GET', path: `${base}/discovery.${f}`, summary: 'GeoReport v2 discovery', tag: 'Open311', auth: 'public', responses: { 200: o311('the endpoint, its specification and formats', discoverySchema, f) } },
      {
        method: 'GET', path: `${base}/services.${f}`, summary: 'Service list: one service per category', tag: 'Open311', auth: 'public', query: servicesQuerySchema,
        responses: { 200: o311('the services', z.array(serviceSchema), f), 400: o311Error('bad query', f) },
      },
      {
        method: 'POST', path: `${base}/requests.${f}`, summary: 'Create a service request', tag: 'Open311', auth: 'open311-key',
        description: 'Form-encoded. Needs lat & long or address_string. Stored first as an open311 message, then made a case. The answer has both the service_request_id and a token.',
        body: { contentType: 'application/x-www-form-urlencoded', schema: open311Form },
        responses: {
          201: o311('the request was stored', postResponseSchema, f), 400: o311Error('a field is missing or malformed (one error per field)', f),
          403: o311Error('api_key missing, unknown or revoked: nothing stored', f), 413: o311Error('body over 64 KiB', f), 415: o311Error('not form-encoded', f),
        },
      },
      {
        method: 'GET', path: `${base}/requests.${f}`, summary: 'Query service requests', tag: 'Open311', auth: 'public', query: requestsQuerySchema,
        description: 'Requests sent through Open311 and cases whose residents agreed to publication. Default: the last 90 days, at most 1000; service_request_id overrides the other filters. extensions=true adds extended_attributes (FixMyStreet extended status).',
        responses: { 200: o311('the requests, newest first', z.array(serviceRequestSchema), f), 400: o311Error('bad filter', f) },
      },
    );
  }
  const fmt = { name: 'format', description: 'json or xml', schema: formatParam };
  docs.push(
    {
      method: 'GET', path: `${base}/services/:file{[^/]+\\.(?:json|xml)}`, docPath: `${base}/services/{service_code}.{format}`, summary: 'Service definition (attributes)', tag: 'Open311', auth: 'public',
      pathParams: [{ name: 'service_code', description: 'a service_code from the service list', schema: z.string() }, fmt], query: servicesQuerySchema,
      responses: { 200: { description: 'the service definition (XML: service_definition)', schema: serviceDefinitionSchema, alsoAs: [XML] }, 404: { description: 'no such service', schema: open311ErrorSchema, alsoAs: [XML] } },
    },
    {
      method: 'GET', path: `${base}/requests/:file{[^/]+\\.(?:json|xml)}`, docPath: `${base}/requests/{service_request_id}.{format}`, summary: 'One service request', tag: 'Open311', auth: 'public',
      pathParams: [{ name: 'service_request_id', description: 'the tracking number (MS…)', schema: z.string() }, fmt], query: singleQuerySchema,
      responses: { 200: { description: 'a list of one request', schema: z.array(serviceRequestSchema), alsoAs: [XML] }, 404: { description: 'no such public request', schema: open311ErrorSchema, alsoAs: [XML] } },
    },
    {
      method: 'GET', path: `${base}/tokens/:file{[^/]+\\.(?:json|xml)}`, docPath: `${base}/tokens/{token}.{format}`, summary: 'The service_request_id of a token', tag: 'Open311', auth: 'public',
      pathParams: [{ name: 'token', description: 'the token a POST returned', schema: z.string() }, fmt], query: servicesQuerySchema,
      responses: { 200: { description: 'the request id for the token', schema: tokenResponseSchema, alsoAs: [XML] }, 404: { description: 'no such token', schema: open311ErrorSchema, alsoAs: [XML] } },
    },
  );
  return docs;
}

/** every staff action's body, as the action declares it (core/cases/staff-actions.ts) plus the version it checks */
const actionBodies = z.union(
  STAFF_ACTIONS.map((a) =>
    z.object({ ...a.input.shape, version: z.number().int().nonnegative().optional().describe('the case version the user saw') }).meta({ title: `${a.route}: ${a.label} (${a.key})` }),
  ) as unknown as [ZodType, ZodType, ...ZodType[]],
);
const actionList = [...new Map(STAFF_ACTIONS.map((a) => [a.route, STAFF_ACTIONS.filter((b) => b.route === a.route).map((b) => b.label).join('/')])).entries()]
  .map(([route, labels]) => `${route} (${labels})`).join(', ');

/** the rule body; the route checks districts and categories against the shipped lists (refinements JSON Schema cannot show) */
const ruleBody = ruleInputSchema({ districts: [], categories: [] });
const ruleNote = 'definition.scope.districts and .categories must be names GET /api/v1/alert-rules lists in `options`.';
const ADMIN = STAFF_AREAS.admin;
const statsNote = 'From the rollups the workers keep; cached briefly (Cache-Control). A period: from–to, or the last `days` (at most 366).';

export const ROUTE_DOCS: RouteDoc[] = [
  { method: 'GET', path: '/health', summary: 'Liveness and readiness: database and queue', tag: 'System', auth: 'public', responses: { 200: { description: 'all up', schema: R.health }, 503: { description: 'degraded', schema: R.health } } },
  { method: 'GET', path: '/api/docs/openapi.json', summary: 'This OpenAPI 3.1 document', tag: 'System', auth: 'public', responses: { 200: { description: 'the document', schema: z.looseObject({ openapi: z.literal('3.1.0') }) } } },
  { method: 'GET', path: '/api/docs', summary: 'The API reference as a readable page', tag: 'System', auth: 'public', responses: { 200: { description: 'HTML page', contentType: 'text/html', schema: z.string() } } },

  // residents: the portal form and what a tracking number + 查询码 opens
  {
    method: 'POST', path: '/api/v1/messages', summary: '留言板: submit a message', tag: 'Residents', auth: 'public',
    description: 'Optional Idempotency-Key header. isPublic is the consent to the public board (default no). With photos, send the same fields as multipart/form-data (isPublic "true"/"1", location as JSON text) plus up to 4 JPEG/PNG files of at most 5 MB each in `photos`: checked by content, stored without EXIF/GPS/XMP/comments in the message\'s own transaction.',
    body: { contentType: 'application/json', schema: portalFormSchema },
    responses: { 201: { description: 'stored (受理)', schema: R.accepted }, 200: { description: 'a replay of the same Idempotency-Key', schema: R.accepted }, 400: E400, 409: err('Idempotency-Key reused for another body'), 413: err('body over 64 KiB (JSON) or over 4 × 5 MB (multipart)'), 415: err('neither JSON nor multipart'), 429: E429 },
  },
  {
    method: 'GET', path: '/api/v1/messages/:trackingNo', summary: 'A resident reads the status of their message, with the deadline and whether it is 暂定', tag: 'Residents', auth: 'public', params: trackingParam, query: statusQuery,
    responses: { 200: { description: 'the status', schema: R.residentStatus }, 400: E400, 404: E404, 429: E429 },
  },
  {
    method: 'POST', path: '/api/v1/messages/:trackingNo/rating', summary: '回访: rate the reply', tag: 'Residents', auth: 'public', params: residentTrackingParam,
    body: { contentType: 'application/json', schema: ratingBody },
    responses: { 200: { description: 'rated (不满意 reopens)', schema: R.residentRated }, 400: E400, 404: E404, 409: err('no case yet, or not ratable now'), 429: E429 },
  },
  {
    method: 'POST', path: '/api/v1/messages/:trackingNo/photos', summary: 'Add photos to an open case (status page)', tag: 'Residents', auth: 'public', params: residentTrackingParam,
    description: 'multipart/form-data with `code` (查询码) and up to 4 JPEG/PNG files in `photos` (5 MB each, 12 in all per tracking number); checked by content and stored without metadata.',
    body: { contentType: 'multipart/form-data', schema: z.object({ code: z.string(), photos: z.array(z.string().describe('binary')) }) },
    responses: { 201: { description: 'stored (the same bytes twice are one photo)', schema: R.photosAdded }, 400: E400, 404: E404, 409: err('the case is closed'), 413: err('body too large'), 415: err('not multipart'), 429: E429 },
  },
  {
    method: 'GET', path: '/api/v1/messages/:trackingNo/photos/:photoId', summary: 'One photo of the resident\'s own message', tag: 'Residents', auth: 'public',
    params: residentTrackingParam.extend({ photoId: z.coerce.number().int().positive() }), query: statusQuery,
    responses: { 200: { description: 'the cleaned image', contentType: 'image/jpeg', otherContent: { 'image/png': z.string() }, schema: z.string() }, 400: E400, 404: E404, 429: E429 },
  },
  {
    method: 'POST', path: '/api/v1/messages/:trackingNo/supplement', summary: '补充材料 for a paused case', tag: 'Residents', auth: 'public', params: residentTrackingParam,
    body: { contentType: 'application/json', schema: supplementBody },
    responses: { 200: { description: 'the case runs again', schema: R.residentSupplemented }, 400: E400, 404: E404, 409: err('not waiting for a supplement'), 429: E429 },
  },
  {
    method: 'GET', path: '/api/v1/messages/failed', summary: '处理失败: messages without a case after every attempt failed (or parked), with their error', tag: 'Triage', auth: 'staff', roles: STAFF_AREAS.triage, query: failedPage,
    responses: {
      200: { description: 'one page, oldest first', schema: z.object({ total: z.number().int(), items: z.array(z.object({ id: z.number().int(), channel: z.string(), attempts: z.number().int(), lastError: z.string().nullable(), parked: z.boolean(), receivedAt: z.string(), storedAt: z.string() }).loose()) }) },
      400: E400, 401: E401, 403: E403,
    },
  },
  {
    method: 'POST', path: '/api/v1/messages/:id/retry', summary: '重试: send a failed message through the pipeline again', tag: 'Triage', auth: 'staff', roles: STAFF_AREAS.triage, params: messageIdParam,
    responses: {
      200: { description: 'the message already has a case: nothing to do', schema: z.object({ retried: z.literal(false) }).loose() },
      202: { description: 'sent again (the sweep takes it if the queue is slow)', schema: z.object({ retried: z.literal(true), enqueued: z.boolean() }).loose() },
      400: E400, 401: E401, 403: E403, 404: E404,
    },
  },
  {
    method: 'GET', path: '/api/v1/board', summary: '公开留言选登: consented cases with reply and rating, personal data masked', tag: 'Residents', auth: 'public', query: boardQuery,
    responses: { 200: { description: 'one page', schema: boardPage }, 400: E400 },
  },
  {
    method: 'GET', path: '/api/v1/board/:trackingNo', summary: 'One published case', tag: 'Residents', auth: 'public', params: boardParam,
    responses: { 200: { description: 'the case', schema: boardItem }, 400: E400, 404: E404 },
  },

  // channels
  {
    method: 'POST', path: '/api/v1/channels/hotline/orders', summary: '12345 hotline work order webhook', tag: 'Channels', auth: 'hotline-signature',
    description: 'Signed: X-Timestamp and X-Signature = sha256=<hex HMAC-SHA256 of "<X-Timestamp>.<body>">.',
    body: { contentType: 'application/json', schema: hotlineOrderSchema },
    responses: { 201: { description: 'stored', schema: R.hotlineAccepted }, 200: { description: 'a repeated order', schema: R.hotlineAccepted }, 400: E400, 401: err('bad or stale signature'), 413: err('body over 64 KiB'), 503: err('the channel is not configured') },
  },
  {
    method: 'GET', path: '/api/v1/channels/wechat', summary: 'WeChat server URL verification', tag: 'Channels', auth: 'wechat-signature', query: verifyQuery,
    responses: { 200: { description: 'the echostr', contentType: 'text/plain', schema: z.string() }, 400: E400, 401: err('bad signature'), 503: err('not configured') },
  },
  {
    method: 'POST', path: '/api/v1/channels/wechat', summary: 'WeChat message push (plain or AES)', tag: 'Channels', auth: 'wechat-signature', query: pushQuery,
    body: { contentType: 'text/xml', schema: z.string().describe('WeChat message XML') },
    responses: { 200: { description: '"success" (the reply goes through the outbox)', contentType: 'text/plain', schema: z.string() }, 400: E400, 401: err('bad signature'), 413: err('body over 64 KiB'), 503: err('not configured') },
  },

  // staff sign-in: a session cookie (browsers) or a bearer token (scripts)
  {
    method: 'GET', path: '/api/v1/session', summary: '会话: who is signed in (or null), the CSRF token, demo accounts, reference lists', tag: 'Auth', auth: 'optional-staff',
    description: 'Nobody signed in answers user: null. A bearer token that is sent must be valid (401); a stale session cookie is dropped.',
    responses: { 200: { description: 'the session', schema: R.session }, 401: E401 },
  },
  {
    method: 'POST', path: '/api/v1/auth/login', summary: '登录: sign in with name and password; sets the session cookie', tag: 'Auth', auth: 'public',
    description: `Sets the HttpOnly, SameSite=Strict cookie \`${SESSION_COOKIE}\` (12 h at most, 2 h idle) and answers the CSRF token to send as X-CSRF-Token on state-changing requests. Failed logins are limited per name and per address; five wrong passwords in a row lock the account for 15 minutes.`,
    body: { contentType: 'application/json', schema: loginBody },
    responses: { 200: { description: 'signed in', schema: R.loggedIn }, 400: E400, 401: err('用户名或密码错误 (wrong name or password)'), 429: err('too many failed logins, or the account is locked (see Retry-After)') },
  },
  {
    method: 'POST', path: '/api/v1/auth/logout', summary: '退出: end the session and clear the cookie', tag: 'Auth', auth: 'staff', body: { contentType: 'application/json', schema: z.object({}), optional: true },
    responses: { 200: { description: 'signed out', schema: R.ok }, 401: E401, 403: E403 },
  },
  { method: 'GET', path: '/api/v1/auth/me', summary: 'Who is calling, how (session or token), the CSRF token', tag: 'Auth', auth: 'staff', responses: { 200: { description: 'the caller', schema: R.me }, 401: E401, 403: E403 } },
  {
    method: 'POST', path: '/api/v1/auth/password', summary: '修改密码: change the caller’s own password (the current one required)', tag: 'Auth', auth: 'staff',
    description: 'Ends the caller’s other sessions (the current one stays).',
    body: { contentType: 'application/json', schema: passwordBody },
    responses: { 200: { description: 'changed', schema: R.ok }, 400: err('the current password is wrong, or the new one is too weak (field messages)'), 401: E401, 403: E403 },
  },

  // cases and the desk
  {
    method: 'GET', path: '/api/v1/cases', summary: '工单列表: the case queue, filters, full-text search, keyset pages (department users: their own)', tag: 'Cases', auth: 'staff', query: listQuery,
    responses: { 200: { description: 'a page of cases', schema: R.caseList }, 400: E400, 401: E401, 403: E403 },
  },
  {
    method: 'GET', path: '/api/v1/cases/queues', summary: '工作队列: counts of 待派单, 答复审核 and 延期审批', tag: 'Cases', auth: 'staff', roles: STAFF_AREAS.triage,
    responses: { 200: { description: 'the counts', schema: R.queueCounts }, 401: E401, 403: E403 },
  },
  {
    method: 'GET', path: '/api/v1/cases/queues/:kind', summary: 'One work queue, oldest first, with why each case waits, suggestions and actions', tag: 'Cases', auth: 'staff', roles: STAFF_AREAS.triage,
    params: kindParam, query: queueQuery,
    responses: { 200: { description: 'the queue', schema: R.queueList }, 400: E400, 401: E401, 403: E403 },
  },
  {
    method: 'POST', path: '/api/v1/cases/bulk/dispatch', summary: '批量派单: dispatch the selected cases to one department', tag: 'Cases', auth: 'staff', roles: STAFF_AREAS.triage,
    description: 'Each case in its own transaction with the single-case checks; a refusal of one (with its reason in Chinese) never blocks the rest. `versions` skips a case changed since it was seen.',
    body: { contentType: 'application/json', schema: bulkBody },
    responses: { 200: { description: 'what happened to each case', schema: R.bulkDispatched }, 400: E400, 401: E401, 403: E403 },
  },
  {
    method: 'GET', path: '/api/v1/cases/:id', summary: 'One case with history, deadlines, notes, suggestions and allowed actions', tag: 'Cases', auth: 'staff', params: idParam,
    responses: { 200: { description: 'the case', schema: R.caseDetail }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'GET', path: '/api/v1/cases/:id/contact', summary: '联系诉求人: the residents’ unmasked name, phone, handle and address', tag: 'Cases', auth: 'staff', roles: CONTACT_ROLES, params: idParam,
    description: 'Written to the audit trail before the data is answered. Leaders read masked views only (403); a department only its own cases.',
    responses: { 200: { description: 'the contacts', schema: R.caseContacts }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'GET', path: '/api/v1/cases/:id/photos', summary: '居民上传的图片: the photos of the case\'s messages (metadata stripped)', tag: 'Cases', auth: 'staff', params: idParam,
    responses: { 200: { description: 'the photos, oldest first, without their bytes', schema: R.casePhotos }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'GET', path: '/api/v1/cases/:id/photos/:photoId', summary: 'One photo of the case', tag: 'Cases', auth: 'staff', params: casePhotoParam,
    responses: { 200: { description: 'the cleaned image', contentType: 'image/jpeg', otherContent: { 'image/png': z.string() }, schema: z.string() }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'GET', path: '/api/v1/cases/:id/assignees', summary: '经办人: the active staff of the case’s department (for 指派经办人)', tag: 'Cases', auth: 'staff', params: idParam,
    responses: { 200: { description: 'whom the case may be assigned to', schema: R.assignees }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'POST', path: '/api/v1/cases/:id/reply-check', summary: 'Check a draft reply (答复质量), never a gate', tag: 'Cases', auth: 'staff', params: idParam,
    body: { contentType: 'application/json', schema: replyText },
    responses: { 200: { description: 'the advice', schema: R.replyCheck }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'POST', path: '/api/v1/cases/:id/:action', summary: '办理: a case action (派单, 签收, 退单, 延期, 答复, 办结, 合并, 拆分, 备注, 催办, 指派, 批示…)', tag: 'Cases', auth: 'staff', params: actionParam,
    description: `action is one of: ${actionList}. The body is the action's form (the case's \`actions\` list describes its fields); \`version\` (the case version the user saw) guards against a stale view. Who may take each action is the lifecycle's table (403 otherwise).`,
    body: { contentType: 'application/json', schema: actionBodies, description: 'one of the actions’ bodies' },
    responses: {
      200: { description: 'done: the new status and the actions the caller may take next', schema: R.actionResult }, 201: { description: 'a split made a new case', schema: R.splitResult },
      400: E400, 401: E401, 403: E403, 404: err('no such case, action or message'), 409: err('not allowed in this state (illegal_transition, in Chinese and English), or the case changed (version)'),
    },
  },
  {
    method: 'GET', path: '/api/v1/triage', summary: '人工复核: cases the NLP was unsure of', tag: 'Triage', auth: 'staff', roles: STAFF_AREAS.triage, query: triagePage,
    responses: { 200: { description: 'a page', schema: R.triageList }, 400: E400, 401: E401, 403: E403 },
  },
  { method: 'GET', path: '/api/v1/triage/labels', summary: 'Counts of training labels', tag: 'Triage', auth: 'staff', roles: STAFF_AREAS.triage, responses: { 200: { description: 'counts', schema: R.triageLabels }, 401: E401, 403: E403 } },
  {
    method: 'POST', path: '/api/v1/triage/:caseId', summary: 'Correct a classification', tag: 'Triage', auth: 'staff', roles: STAFF_AREAS.triage, params: triageIdParam,
    body: { contentType: 'application/json', schema: correctionSchema },
    responses: { 200: { description: 'corrected', schema: R.triageResult }, 400: E400, 401: E401, 403: E403, 404: E404, 409: err('the case cannot be corrected now') },
  },

  // statistics
  {
    method: 'GET', path: '/api/v1/stats/overview', summary: '总览: counts of messages and cases for a period, by district, category, channel, status, sentiment and day', tag: 'Statistics', auth: 'public', query: period,
    description: statsNote, responses: { 200: { description: 'the counts', schema: R.overview }, 400: E400 },
  },
  {
    method: 'GET', path: '/api/v1/stats/metrics', summary: '三率: response, on-time, satisfaction', tag: 'Statistics', auth: 'public', query: period,
    description: statsNote, responses: { 200: { description: 'the rates', schema: R.metrics }, 400: E400 },
  },
  {
    method: 'GET', path: '/api/v1/stats/departments', summary: '部门排名: department ranking (staff only: it names single offices)', tag: 'Statistics', auth: 'staff', query: rankingQuery,
    description: statsNote, responses: { 200: { description: 'the ranking', schema: R.departmentRanking }, 400: E400, 401: E401, 403: E403 },
  },
  {
    method: 'GET', path: '/api/v1/stats/service-times', summary: '办理时长: response and resolution times per department (median, p90, histogram) with 超期在办', tag: 'Statistics', auth: 'staff', roles: SERVICE_TIMES_ROLES,
    query: period, description: statsNote, responses: { 200: { description: 'the times', schema: R.serviceTimes }, 400: E400, 401: E401, 403: E403 },
  },
  { method: 'GET', path: '/api/v1/stats/topics', summary: '热点: hot topics (aggregates and masked public samples)', tag: 'Statistics', auth: 'public', query: topicsQuery, responses: { 200: { description: 'the topics', schema: R.hotTopics }, 400: E400 } },
  {
    method: 'GET', path: '/api/v1/stats/recurring', summary: '每月一题: problems that come back week after week up to `to`, with their cases (a department user: its own department\'s)', tag: 'Statistics', auth: 'staff', query: recurringQuery,
    responses: { 200: { description: 'the problems, most weeks first', schema: R.recurringProblems }, 400: E400, 401: E401, 403: E403 },
  },

  // 舆情: topics, alerts, rules, reports
  {
    method: 'GET', path: '/api/v1/topics/:id', summary: '话题详情: one topic with members (masked), hourly and daily counts, bursts', tag: 'Opinion', auth: 'staff', params: topicIdParam, query: detailQuery,
    description: 'A merged topic answers with its survivor’s id in topic.mergedInto.',
    responses: { 200: { description: 'the topic', schema: R.topicDetail }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'GET', path: '/api/v1/topics/instructions', summary: '话题批示: for a department the topic 批示 it has still to answer; for others the open ones (open=false: the latest)', tag: 'Opinion', auth: 'staff', query: topicInstructionsQuery,
    responses: { 200: { description: 'the instructions, newest first', schema: R.topicInstructionList }, 400: E400, 401: E401, 403: E403 },
  },
  {
    method: 'GET', path: '/api/v1/topics/:id/instructions', summary: '话题批示: the 批示 on one topic, with each department\'s answer', tag: 'Opinion', auth: 'staff', params: topicIdParam,
    responses: { 200: { description: 'the instructions, newest first', schema: R.topicInstructionList }, 400: E400, 401: E401, 403: E403 },
  },
  {
    method: 'POST', path: '/api/v1/topics/:id/instructions', summary: '领导批示 on a topic: every department with a case of the topic must answer it', tag: 'Opinion', auth: 'staff', roles: ['leader'], params: topicIdParam, body: { contentType: 'application/json', schema: topicInstructBody },
    description: 'A topic merged into another is instructed as its survivor. A topic none of whose cases has a department answers 409.',
    responses: { 201: { description: 'the instruction', schema: R.topicInstruction }, 400: E400, 401: E401, 403: E403, 404: E404, 409: err('none of the topic’s cases has a department yet') },
  },
  {
    method: 'POST', path: '/api/v1/topics/instructions/:id/answer', summary: '答复批示: a department answers a topic 批示 (once)', tag: 'Opinion', auth: 'staff', roles: ['department'], params: topicIdParam, body: { contentType: 'application/json', schema: topicAnswerBody },
    responses: { 200: { description: 'the instruction with the answers so far', schema: R.topicInstruction }, 400: E400, 401: E401, 403: E403, 404: E404, 409: err('this department answered it already') },
  },
  {
    method: 'GET', path: '/api/v1/alerts', summary: '舆情预警: alerts opened in [from, to), of a district (未识别: none), with messages of a category / channel in their window, newest first, with rule, topic, evidence and deliveries', tag: 'Opinion', auth: 'staff', query: alertsQuery,
    responses: { 200: { description: 'a page of alerts', schema: R.alertList }, 400: E400, 401: E401, 403: E403 },
  },
  {
    method: 'GET', path: '/api/v1/alerts/:id', summary: 'One alert', tag: 'Opinion', auth: 'staff', params: alertIdParam,
    responses: { 200: { description: 'the alert', schema: R.alert }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'POST', path: '/api/v1/alerts/:id/ack', summary: '确认预警: acknowledge an alert (a second acknowledgement keeps the first)', tag: 'Opinion', auth: 'staff', roles: ACK_ROLES, params: alertIdParam,
    body: { contentType: 'application/json', schema: ackBody, optional: true },
    responses: { 200: { description: 'acknowledged', schema: R.alertAcked }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'GET', path: '/api/v1/alert-rules', summary: '预警规则: the rules and what the rule form offers', tag: 'Opinion', auth: 'staff', roles: STAFF_AREAS.alertRules,
    responses: { 200: { description: 'the rules', schema: R.alertRules }, 401: E401, 403: E403 },
  },
  {
    method: 'POST', path: '/api/v1/alert-rules', summary: 'Create an alert rule', tag: 'Opinion', auth: 'staff', roles: STAFF_AREAS.alertRules,
    description: ruleNote, body: { contentType: 'application/json', schema: ruleBody },
    responses: { 201: { description: 'created', schema: R.alertRule }, 400: E400, 401: E401, 403: E403 },
  },
  {
    method: 'GET', path: '/api/v1/alert-rules/:id', summary: 'One alert rule', tag: 'Opinion', auth: 'staff', roles: STAFF_AREAS.alertRules, params: ruleIdParam,
    responses: { 200: { description: 'the rule', schema: R.alertRule }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'PUT', path: '/api/v1/alert-rules/:id', summary: 'Replace an alert rule', tag: 'Opinion', auth: 'staff', roles: STAFF_AREAS.alertRules, params: ruleIdParam,
    description: ruleNote, body: { contentType: 'application/json', schema: ruleBody },
    responses: { 200: { description: 'the rule as stored', schema: R.alertRule }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'DELETE', path: '/api/v1/alert-rules/:id', summary: 'Delete an alert rule', tag: 'Opinion', auth: 'staff', roles: STAFF_AREAS.alertRules, params: ruleIdParam,
    responses: { 204: { description: 'deleted' }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'GET', path: '/api/v1/reports', summary: '舆情日报 / 周报: the reports, newest period first, with links', tag: 'Opinion', auth: 'staff', query: reportsQuery,
    responses: { 200: { description: 'a page of reports', schema: R.reportList }, 400: E400, 401: E401, 403: E403 },
  },
  {
    method: 'GET', path: '/api/v1/reports/:file', summary: 'One report: {id} its figures as JSON, {id}.html the kept page, {id}.pdf the A4 PDF', tag: 'Opinion', auth: 'staff', params: fileParam,
    responses: {
      200: { description: 'the report (the media type follows the extension)', schema: R.report, otherContent: { 'text/html': z.string(), 'application/pdf': z.string().meta({ format: 'binary' }) } },
      400: E400, 401: E401, 403: E403, 404: E404, 503: err('the PDF font is not installed (REPORT_FONT_PATH)'),
    },
  },

  // administration
  { method: 'GET', path: '/api/v1/admin/users', summary: '账号: staff accounts', tag: 'Admin', auth: 'staff', roles: ADMIN, responses: { 200: { description: 'the accounts', schema: R.accounts }, 401: E401, 403: E403 } },
  {
    method: 'POST', path: '/api/v1/admin/users', summary: 'Create a staff account', tag: 'Admin', auth: 'staff', roles: ADMIN, body: { contentType: 'application/json', schema: newUser },
    responses: { 201: { description: 'created', schema: R.accountCreated }, 400: E400, 401: E401, 403: E403, 409: err('the name is taken') },
  },
  {
    method: 'POST', path: '/api/v1/admin/users/:id/disable', summary: '停用: disable an account (not one’s own)', tag: 'Admin', auth: 'staff', roles: ADMIN, params: adminIdParam,
    responses: { 200: { description: 'disabled', schema: R.ok }, 400: E400, 401: E401, 403: E403, 404: E404, 409: err('you cannot disable your own account') },
  },
  {
    method: 'POST', path: '/api/v1/admin/users/:id/enable', summary: '启用: enable an account', tag: 'Admin', auth: 'staff', roles: ADMIN, params: adminIdParam,
    responses: { 200: { description: 'enabled', schema: R.ok }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'POST', path: '/api/v1/admin/users/:id/reset-password', summary: '重置密码: set a password, or have a random one made and answered once', tag: 'Admin', auth: 'staff', roles: ADMIN, params: adminIdParam,
    body: { contentType: 'application/json', schema: resetBody, optional: true },
    responses: { 200: { description: 'reset', schema: R.passwordReset }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  { method: 'GET', path: '/api/v1/admin/tokens', summary: 'API 令牌: the API tokens (never their secret)', tag: 'Admin', auth: 'staff', roles: ADMIN, responses: { 200: { description: 'the tokens', schema: R.apiTokens }, 401: E401, 403: E403 } },
  {
    method: 'POST', path: '/api/v1/admin/tokens', summary: 'Make an API token for a user (the token is answered once)', tag: 'Admin', auth: 'staff', roles: ADMIN, body: { contentType: 'application/json', schema: newToken },
    responses: { 201: { description: 'made', schema: R.tokenCreated }, 400: E400, 401: E401, 403: E403, 404: err('no such user') },
  },
  {
    method: 'POST', path: '/api/v1/admin/tokens/:id/revoke', summary: '吊销: revoke an API token', tag: 'Admin', auth: 'staff', roles: ADMIN, params: adminIdParam,
    responses: { 200: { description: 'revoked', schema: R.ok }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'GET', path: '/api/v1/admin/audit', summary: '审计日志: the audit trail, newest first, filtered', tag: 'Admin', auth: 'staff', roles: ADMIN, query: auditQuery,
    description: 'action: an exact action or a prefix ending in * (case.*). Page with `before` = the answer’s `next`.',
    responses: { 200: { description: 'a page of the trail', schema: R.auditPage }, 400: E400, 401: E401, 403: E403 },
  },

  ...open311Docs(),
  ...kbDocs(),
];
