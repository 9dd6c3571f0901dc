// Every route of the app with its documentation: the one table the OpenAPI document is generated
// from. Request schemas are the zod schemas the routes validate with (imported from the routes);
// response schemas are in ./responses. test/openapi.test.ts walks `app.routes` and fails on a route
// missing here, so a new route is documented by adding one entry.
import { z, type ZodType } from 'zod';
import { hotlineOrderSchema } from '../../core/channels/hotline/order';
import { CONSENT_ATTRIBUTE, TITLE_ATTRIBUTE } from '../../core/channels/open311/services';
import { open311RequestFields } from '../../core/channels/open311/request';
import { correctionSchema } from '../../core/cases/corrections';
import { boardPage, boardItem, boardParam, boardQuery } from '../routes/board/schemas';
import { actionParam, anyBody, replyText } from '../routes/cases/actions';
import { listQuery } from '../routes/cases/index';
import { idParam } from '../routes/cases/service';
import { pushQuery, verifyQuery } from '../routes/channels/wechat';
import { portalFormSchema, statusQuery, trackingParam } from '../routes/messages/index';
import { rankingQuery } from '../routes/metrics/index';
import { statsQuerySchema as period } from '../routes/stats/query';
import {
  discoverySchema, formatParam, open311ErrorSchema, postResponseSchema, requestsQuerySchema, serviceDefinitionSchema, serviceRequestSchema,
  serviceSchema, servicesQuerySchema, singleQuerySchema, tokenResponseSchema,
} from '../routes/open311/schemas';
import { codeQuery, ratingBody, supplementBody, trackingParam as residentTrackingParam } from '../routes/resident/index';
import { topicsQuery } from '../routes/topics/index';
import { idParam as triageIdParam, page as triagePage } from '../routes/triage/index';
import * as R from './responses';

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
  params?: ZodType;
  query?: ZodType;
  /** extra path parameters documented by hand (those of a docPath) */
  pathParams?: { name: string; description: string; schema: ZodType }[];
  body?: { contentType: string; schema: ZodType; description?: string };
  responses: Record<number, ResponseDoc>;
}

/** Entries Hono lists for middleware and catch-alls: not operations, but each must be named here. */
export const NON_OPERATIONS: { method: 'ALL' | 'GET'; path: string; why: string }[] = [
  { method: 'ALL', path: '/*', why: 'middleware on every request (security headers, request id, log) and the dashboard files' },
  { method: 'ALL', path: '/api/*', why: 'unknown API paths: 404 in the API error format' },
  { method: 'ALL', path: '/api/v1/channels/wechat/*', why: 'the WeChat webhook body limit (middleware)' },
  { method: 'ALL', path: '/api/v1/triage/*', why: 'staff-only guard of the triage routes (middleware)' },
  { method: 'ALL', path: '/open311/v2/*', why: 'unknown Open311 resources: 404 in the GeoReport error format' },
  { method: 'GET', path: '/assets/*', why: 'a missing dashboard asset: 404 (never the app shell)' },
  { method: 'GET', path: '/*', why: 'the dashboard shell (index.html) for client-side routes' },
];

const err = (description: string): ResponseDoc => ({ description, schema: R.errorBody });
const E400 = err('输入不合规：逐字段中文说明 (validation failed, field by field)');
const E401 = err('未登录或令牌无效 (no or bad staff token)');
const E403 = err('无权访问 (not allowed for this role)');
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

export const ROUTE_DOCS: RouteDoc[] = [
  { method: 'GET', path: '/health', summary: 'Liveness and readiness: database and queue', tag: 'System', auth: 'public', responses: { 200: { description: 'all up', schema: R.health }, 503: { description: 'degraded', schema: R.health } } },
  { method: 'GET', path: '/api/docs/openapi.json', summary: 'This OpenAPI 3.1 document', tag: 'System', auth: 'public', responses: { 200: { description: 'the document', schema: z.looseObject({ openapi: z.literal('3.1.0') }) } } },
  { method: 'GET', path: '/api/docs', summary: 'The API reference as a readable page', tag: 'System', auth: 'public', responses: { 200: { description: 'HTML page', contentType: 'text/html', schema: z.string() } } },

  // residents: the portal form and what a tracking number + 查询码 opens
  {
    method: 'POST', path: '/api/v1/messages', summary: '留言板: submit a message', tag: 'Residents', auth: 'public',
    description: 'Optional Idempotency-Key header. isPublic is the consent to the public board (default no).',
    body: { contentType: 'application/json', schema: portalFormSchema },
    responses: { 201: { description: 'stored (受理)', schema: R.accepted }, 200: { description: 'a replay of the same Idempotency-Key', schema: R.accepted }, 400: E400, 409: err('Idempotency-Key reused for another body'), 413: err('body over 64 KiB'), 415: err('not JSON'), 429: E429 },
  },
  {
    method: 'GET', path: '/api/v1/messages/:trackingNo', summary: 'A resident reads the status of their message', tag: 'Residents', auth: 'public', params: trackingParam, query: statusQuery,
    responses: { 200: { description: 'the status', schema: R.residentStatus }, 400: E400, 404: E404, 429: E429 },
  },
  {
    method: 'GET', path: '/api/v1/messages/:trackingNo/deadline', summary: 'The deadline and whether it is provisional (暂定)', tag: 'Residents', auth: 'public', params: residentTrackingParam, query: codeQuery,
    responses: { 200: { description: 'the deadline', schema: R.residentDeadline }, 400: E400, 404: E404 },
  },
  {
    method: 'POST', path: '/api/v1/messages/:trackingNo/rating', summary: '回访: rate the reply', tag: 'Residents', auth: 'public', params: residentTrackingParam,
    body: { contentType: 'application/json', schema: ratingBody },
    responses: { 200: { description: 'rated (不满意 reopens)', schema: R.residentRated }, 400: E400, 404: E404, 409: err('no case yet, or not ratable now'), 429: E429 },
  },
  {
    method: 'POST', path: '/api/v1/messages/:trackingNo/supplement', summary: '补充材料 for a paused case', tag: 'Residents', auth: 'public', params: residentTrackingParam,
    body: { contentType: 'application/json', schema: supplementBody },
    responses: { 200: { description: 'the case runs again', schema: R.residentSupplemented }, 400: E400, 404: E404, 409: err('not waiting for a supplement'), 429: E429 },
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

  // staff
  {
    method: 'GET', path: '/api/v1/session', summary: 'Who is signed in, demo accounts, reference lists', tag: 'Staff', auth: 'optional-staff',
    responses: { 200: { description: 'the session', schema: R.session }, 401: E401 },
  },
  {
    method: 'GET', path: '/api/v1/cases', summary: 'The case queue (department users: their own)', tag: 'Staff', auth: 'staff', query: listQuery,
    responses: { 200: { description: 'a page of cases', schema: R.caseList }, 400: E400, 401: E401, 403: E403 },
  },
  {
    method: 'GET', path: '/api/v1/cases/:id', summary: 'One case with history, deadlines and allowed actions', tag: 'Staff', auth: 'staff', params: idParam,
    responses: { 200: { description: 'the case', schema: R.caseDetail }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'POST', path: '/api/v1/cases/:id/reply-check', summary: 'Check a draft reply (答复质量)', tag: 'Staff', auth: 'staff', params: idParam,
    body: { contentType: 'application/json', schema: replyText },
    responses: { 200: { description: 'the advice', schema: R.replyCheck }, 400: E400, 401: E401, 403: E403, 404: E404 },
  },
  {
    method: 'POST', path: '/api/v1/cases/:id/:action', summary: 'A lifecycle action (sign, reply, return, extend, close…)', tag: 'Staff', auth: 'staff', params: actionParam,
    description: "The body is the action's form, as the case's `actions` list describes it; `version` guards against a stale view.",
    body: { contentType: 'application/json', schema: anyBody },
    responses: { 200: { description: 'done', schema: R.actionResult }, 201: { description: 'a split made a new case', schema: R.splitResult }, 400: E400, 401: E401, 403: E403, 404: E404, 409: err('not allowed in this state, or the case changed') },
  },
  {
    method: 'GET', path: '/api/v1/triage', summary: '人工复核: cases the NLP was unsure of', tag: 'Staff', auth: 'staff', query: triagePage,
    responses: { 200: { description: 'a page', schema: R.triageList }, 400: E400, 401: E401, 403: E403 },
  },
  { method: 'GET', path: '/api/v1/triage/labels', summary: 'Counts of training labels', tag: 'Staff', auth: 'staff', responses: { 200: { description: 'counts', schema: R.triageLabels }, 401: E401, 403: E403 } },
  {
    method: 'POST', path: '/api/v1/triage/:caseId', summary: 'Correct a classification', tag: 'Staff', auth: 'staff', params: triageIdParam,
    body: { contentType: 'application/json', schema: correctionSchema },
    responses: { 200: { description: 'corrected', schema: R.triageResult }, 400: E400, 401: E401, 403: E403, 404: E404, 409: err('the case cannot be corrected now') },
  },

  // statistics
  { method: 'GET', path: '/api/v1/stats/overview', summary: 'Counts for the overview page', tag: 'Statistics', auth: 'public', responses: { 200: { description: 'the counts', schema: R.overview } } },
  { method: 'GET', path: '/api/v1/stats/metrics', summary: '三率: response, on-time, satisfaction', tag: 'Statistics', auth: 'public', query: period, responses: { 200: { description: 'the rates', schema: R.metrics }, 400: E400 } },
  { method: 'GET', path: '/api/v1/stats/departments', summary: 'Department ranking', tag: 'Statistics', auth: 'public', query: rankingQuery, responses: { 200: { description: 'the ranking', schema: R.departmentRanking }, 400: E400 } },
  { method: 'GET', path: '/api/v1/stats/topics', summary: '舆情: hot topics', tag: 'Statistics', auth: 'public', query: topicsQuery, responses: { 200: { description: 'the topics', schema: R.hotTopics }, 400: E400 } },

  ...open311Docs(),
];
