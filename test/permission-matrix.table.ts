// Who may call what: one entry per route of the app (`METHOD path` exactly as Hono lists it in
// createApp(...).routes), each with one or more probes (a concrete request) and the outcome designed
// for every kind of caller. test/permission-matrix.test.ts runs every probe as every caller, with a
// bearer token and with a session cookie (+ X-CSRF-Token), and fails on a route with no entry here.
//
// Outcomes: 'ok' = let through access control (any answer but 401/403/404 and below 500: a 400 for a
// body that does not fit, a 409 from the lifecycle, are the handler's, not the gate's); 401 = nobody
// logged in (or the route's own credentials missing: webhook signatures); 403 = logged in, not allowed;
// 404 = hidden or nothing there, as designed.
// Callers: anon (no login), admin, centre, deptOwn (the department holding the probe case,
// urban-mgmt), deptOther (another department, housing), leader.

export const CALLERS = ['anon', 'admin', 'centre', 'deptOwn', 'deptOther', 'leader'] as const;
export type Caller = (typeof CALLERS)[number];
export type Outcome = 'ok' | 401 | 403 | 404;
export type Expectation = Record<Caller, Outcome>;

/** What probes may point at, made by the test before it runs them. */
export interface MatrixContext {
  /** a case of urban-mgmt in 待签收 (dispatched), with two messages */
  caseId: number;
  trackingNo: string;
  queryCode: string;
  /** a user and an API token nobody needs (admin probes disable, reset and revoke them) */
  spareUserId: number;
  spareTokenId: number;
}

export interface Probe {
  /** names the probe when a route has several (the case actions) */
  label?: string;
  path: (c: MatrixContext) => string;
  /** JSON body (POST); a string is sent as XML, URLSearchParams as a form; absent: none */
  body?: (c: MatrixContext) => unknown;
  expect: Expectation;
  /** the request ends the session it is made with (logout): the test gives it a session of its own */
  endsSession?: boolean;
}

/** Middleware that every request passes through; probed through the routes it guards. */
export type Entry = Probe[] | 'middleware';

const all = (o: Outcome): Expectation => ({ anon: o, admin: o, centre: o, deptOwn: o, deptOther: o, leader: o });
export const PUBLIC = all('ok');
/** any logged-in staff user */
export const STAFF = { ...all('ok'), anon: 401 } satisfies Expectation;
/** staff who may see this case (department users: only their own department's) */
export const CASE_READERS = { ...STAFF, deptOther: 403 } satisfies Expectation;
/** the centre's work; admins act as the centre */
export const CENTRE = { anon: 401, admin: 'ok', centre: 'ok', deptOwn: 403, deptOther: 403, leader: 403 } satisfies Expectation;
/** the department holding the case */
export const OWN_DEPARTMENT = { anon: 401, admin: 403, centre: 403, deptOwn: 'ok', deptOther: 403, leader: 403 } satisfies Expectation;
/** the holding department and the centre */
export const OWN_DEPARTMENT_OR_CENTRE = { anon: 401, admin: 'ok', centre: 'ok', deptOwn: 'ok', deptOther: 403, leader: 403 } satisfies Expectation;
export const ADMIN = { anon: 401, admin: 'ok', centre: 403, deptOwn: 403, deptOther: 403, leader: 403 } satisfies Expectation;

const get = (path: Probe['path'], expect: Expectation, more: Partial<Probe> = {}): Probe[] => [{ path, expect, ...more }];
const post = (path: Probe['path'], body: Probe['body'], expect: Expectation, more: Partial<Probe> = {}): Probe[] => [{ path, body, expect, ...more }];

/** a version no case has: an allowed action answers 409 conflict (or 400 for a missing field) and changes nothing */
const NO_SUCH_VERSION = 999_999_999;
/** who may take each case action (README "Working a case"; core/cases/lifecycle.ts TRANSITIONS) */
export const CASE_ACTIONS: Record<string, { expect: Expectation; body?: Record<string, unknown> }> = {
  dispatch: { expect: CENTRE },
  designate: { expect: CENTRE },
  accept: { expect: OWN_DEPARTMENT },
  return: { expect: OWN_DEPARTMENT },
  contact: { expect: OWN_DEPARTMENT },
  pause: { expect: OWN_DEPARTMENT_OR_CENTRE },
  resume: { expect: OWN_DEPARTMENT_OR_CENTRE },
  'request-extension': { expect: OWN_DEPARTMENT },
  'decide-extension': { expect: CENTRE, body: { approve: false } },
  reply: { expect: OWN_DEPARTMENT },
  'reject-reply': { expect: CENTRE },
  close: { expect: CENTRE },
  merge: { expect: CENTRE },
  split: { expect: CENTRE },
  'approve-reply': { expect: CENTRE },
  note: { expect: { ...OWN_DEPARTMENT_OR_CENTRE } },
  urge: { expect: CENTRE },
  assign: { expect: OWN_DEPARTMENT_OR_CENTRE },
  instruct: { expect: { anon: 401, admin: 403, centre: 403, deptOwn: 403, deptOther: 403, leader: 'ok' } },
  'answer-instruction': { expect: OWN_DEPARTMENT },
};

/** a WeChat signature query that is well formed and wrong */
const wrongSignature = () => `signature=${'0'.repeat(40)}&timestamp=${Math.floor(Date.now() / 1000)}&nonce=12345`;
const trackingPath = (suffix = '') => (c: MatrixContext) => `/api/v1/messages/${c.trackingNo}${suffix}?code=${c.queryCode}`;

export const MATRIX: Record<string, Entry> = {
  'ALL /*': 'middleware', // security headers, request id, request log
  'GET /health': get(() => '/health', PUBLIC),

  // residents: the portal form, and their own message with the tracking number and 查询码
  'POST /api/v1/messages': post(() => '/api/v1/messages', () => ({}), PUBLIC),
  'GET /api/v1/messages/:trackingNo': get(trackingPath(), PUBLIC),
  'POST /api/v1/messages/:trackingNo/rating': post((c) => `/api/v1/messages/${c.trackingNo}/rating`, () => ({}), PUBLIC),
  // photos by tracking number + 查询码 (a photo of another message, or none, is 404 for everyone)
  'POST /api/v1/messages/:trackingNo/photos': post((c) => `/api/v1/messages/${c.trackingNo}/photos`, () => ({}), PUBLIC),
  'GET /api/v1/messages/:trackingNo/photos/:photoId': get((c) => `/api/v1/messages/${c.trackingNo}/photos/999999999?code=${c.queryCode}`, all(404)),
  'POST /api/v1/messages/:trackingNo/supplement': post((c) => `/api/v1/messages/${c.trackingNo}/supplement`, () => ({}), PUBLIC),

  // messages without a case after a failure, and their retry: the centre (as 人工复核)
  'GET /api/v1/messages/failed': get(() => '/api/v1/messages/failed', CENTRE),
  'POST /api/v1/messages/:id/retry': post(() => '/api/v1/messages/999999999/retry', () => ({}), { ...CENTRE, admin: 404, centre: 404 }),

  // webhooks answer to their own signatures only: a staff login opens none of them
  'ALL /api/v1/channels/wechat/*': 'middleware',
  'GET /api/v1/channels/wechat': get(() => `/api/v1/channels/wechat?${wrongSignature()}&echostr=x`, all(401)),
  'POST /api/v1/channels/wechat': post(() => `/api/v1/channels/wechat?${wrongSignature()}`, () => '<xml></xml>', all(401)),
  'POST /api/v1/channels/hotline/orders': post(() => '/api/v1/channels/hotline/orders', () => ({}), all(401)),

  // counts and rates are public; the per-department ranking (超期在办 by office) is for staff
  'GET /api/v1/stats/overview': get(() => '/api/v1/stats/overview', PUBLIC),
  'GET /api/v1/stats/metrics': get(() => '/api/v1/stats/metrics', PUBLIC),
  'GET /api/v1/stats/topics': get(() => '/api/v1/stats/topics', PUBLIC),
  'GET /api/v1/stats/departments': get(() => '/api/v1/stats/departments', STAFF),

  // per-department response and resolution times with 超期在办: admins, the centre and leaders
  'GET /api/v1/stats/service-times': get(() => '/api/v1/stats/service-times', { anon: 401, admin: 'ok', centre: 'ok', deptOwn: 403, deptOther: 403, leader: 'ok' }),

  'GET /api/v1/session': get(() => '/api/v1/session', PUBLIC),
  'POST /api/v1/auth/login': post(() => '/api/v1/auth/login', () => ({}), PUBLIC),
  'POST /api/v1/auth/logout': post(() => '/api/v1/auth/logout', () => ({}), STAFF, { endsSession: true }),
  'GET /api/v1/auth/me': get(() => '/api/v1/auth/me', STAFF),
  'POST /api/v1/auth/password': post(() => '/api/v1/auth/password', () => ({}), STAFF),

  'ALL /api/v1/admin/*': 'middleware',
  'GET /api/v1/admin/users': get(() => '/api/v1/admin/users', ADMIN),
  'POST /api/v1/admin/users': post(() => '/api/v1/admin/users', () => ({}), ADMIN),
  'POST /api/v1/admin/users/:id/disable': post((c) => `/api/v1/admin/users/${c.spareUserId}/disable`, () => ({}), ADMIN),
  'POST /api/v1/admin/users/:id/enable': post((c) => `/api/v1/admin/users/${c.spareUserId}/enable`, () => ({}), ADMIN),
  'POST /api/v1/admin/users/:id/reset-password': post((c) => `/api/v1/admin/users/${c.spareUserId}/reset-password`, () => ({}), ADMIN),
  'GET /api/v1/admin/tokens': get(() => '/api/v1/admin/tokens', ADMIN),
  'POST /api/v1/admin/tokens': post(() => '/api/v1/admin/tokens', () => ({}), ADMIN),
  'POST /api/v1/admin/tokens/:id/revoke': post((c) => `/api/v1/admin/tokens/${c.spareTokenId}/revoke`, () => ({}), ADMIN),
  'GET /api/v1/admin/audit': get(() => '/api/v1/admin/audit', ADMIN),

  // cases: every staff user sees the queue (department users their own department's only)
  'GET /api/v1/cases': get(() => '/api/v1/cases', STAFF),
  'GET /api/v1/cases/:id': [
    { path: (c) => `/api/v1/cases/${c.caseId}`, expect: CASE_READERS },
    { label: 'no such case', path: () => '/api/v1/cases/999999999', expect: { ...all(404), anon: 401 } },
  ],
  // the residents' name, phone and address: for who calls them back (leaders: masked views only)
  // the centre's queues (待派单, 答复审核, 延期审批) and bulk dispatch
  'GET /api/v1/cases/queues': get(() => '/api/v1/cases/queues', CENTRE),
  'GET /api/v1/cases/queues/:kind': get(() => '/api/v1/cases/queues/dispatch', CENTRE),
  'POST /api/v1/cases/bulk/dispatch': post(() => '/api/v1/cases/bulk/dispatch', () => ({}), CENTRE),
  'GET /api/v1/cases/:id/assignees': get((c) => `/api/v1/cases/${c.caseId}/assignees`, CASE_READERS),
  'GET /api/v1/cases/:id/contact': get((c) => `/api/v1/cases/${c.caseId}/contact`, { ...OWN_DEPARTMENT_OR_CENTRE }),
  // residents' photos of the case (thumbnails in the drawer): whoever may see the case
  'GET /api/v1/cases/:id/photos': get((c) => `/api/v1/cases/${c.caseId}/photos`, CASE_READERS),
  'GET /api/v1/cases/:id/photos/:photoId': get((c) => `/api/v1/cases/${c.caseId}/photos/999999999`, { ...all(404), anon: 401, deptOther: 403 }),
  'POST /api/v1/cases/:id/reply-check': post((c) => `/api/v1/cases/${c.caseId}/reply-check`, () => ({ text: '您好，已处理。' }), OWN_DEPARTMENT),
  'POST /api/v1/cases/:id/:action': [
    ...Object.entries(CASE_ACTIONS).map(([action, a]): Probe => ({
      label: action,
      path: (c) => `/api/v1/cases/${c.caseId}/${action}`,
      body: () => ({ ...a.body, version: NO_SUCH_VERSION }),
      expect: a.expect,
    })),
    { label: 'no such action', path: (c) => `/api/v1/cases/${c.caseId}/shred`, body: () => ({}), expect: { ...all(404), anon: 401 } },
  ],

  // 人工复核: the centre
  'ALL /api/v1/triage/*': 'middleware',
  'GET /api/v1/triage': get(() => '/api/v1/triage', CENTRE),
  'GET /api/v1/triage/labels': get(() => '/api/v1/triage/labels', CENTRE),
  'POST /api/v1/triage/:caseId': post((c) => `/api/v1/triage/${c.caseId}`, () => ({}), CENTRE),

  // 舆情: a topic's members and trend, recurring problems (staff); alerts for all staff, acknowledged by
  // all but the read-only leaders; alert rules for admins; reports for all staff
  'ALL /api/v1/topics/*': 'middleware',
  'GET /api/v1/topics/:id': get(() => '/api/v1/topics/999999999', { ...all(404), anon: 401 }),
  // 批示 on a topic: leaders give it, the departments of its cases answer it (no such topic / instruction here: 404)
  'GET /api/v1/topics/instructions': get(() => '/api/v1/topics/instructions', STAFF),
  'GET /api/v1/topics/:id/instructions': get(() => '/api/v1/topics/999999999/instructions', STAFF),
  'POST /api/v1/topics/:id/instructions': post(() => '/api/v1/topics/999999999/instructions', () => ({ text: '请研究解决' }), { ...all(403), anon: 401, leader: 404 }),
  'POST /api/v1/topics/instructions/:id/answer': post(() => '/api/v1/topics/instructions/999999999/answer', () => ({ text: '已研究' }), { ...all(403), anon: 401, deptOwn: 404, deptOther: 404 }),
  // every staff user, a department user with its own department's cases only (test/topics-api.test.ts)
  'GET /api/v1/stats/recurring': [
    ...get(() => '/api/v1/stats/recurring', STAFF),
    ...get(() => '/api/v1/stats/recurring?weeks=4&to=2026-11-30T00:00:00%2B08:00', STAFF, { label: 'the cockpit period' }),
  ],
  'ALL /api/v1/alerts/*': 'middleware',
  'GET /api/v1/alerts': [
    ...get(() => '/api/v1/alerts', STAFF),
    ...get(() => '/api/v1/alerts?from=2026-11-01T00:00:00%2B08:00&to=2026-12-01T00:00:00%2B08:00&district=%E9%95%9C%E6%B9%96%E5%8C%BA', STAFF, { label: 'period and district' }),
  ],
  'GET /api/v1/alerts/:id': get(() => '/api/v1/alerts/999999999', { ...all(404), anon: 401 }),
  'POST /api/v1/alerts/:id/ack': post(() => '/api/v1/alerts/999999999/ack', () => ({}), { ...all(404), anon: 401, leader: 403 }),
  'ALL /api/v1/alert-rules/*': 'middleware',
  'GET /api/v1/alert-rules': get(() => '/api/v1/alert-rules', ADMIN),
  'POST /api/v1/alert-rules': post(() => '/api/v1/alert-rules', () => ({}), ADMIN),
  'GET /api/v1/alert-rules/:id': get(() => '/api/v1/alert-rules/999999999', { ...ADMIN, admin: 404 }),
  'PUT /api/v1/alert-rules/:id': post(() => '/api/v1/alert-rules/999999999', () => ({}), ADMIN),
  'DELETE /api/v1/alert-rules/:id': get(() => '/api/v1/alert-rules/999999999', { ...ADMIN, admin: 404 }),
  'ALL /api/v1/reports/*': 'middleware',
  'GET /api/v1/reports': get(() => '/api/v1/reports', STAFF),
  'GET /api/v1/reports/:file': get(() => '/api/v1/reports/999999999.html', { ...all(404), anon: 401 }),

  // 知识库: every staff user reads; centre, admins and departments write (a department its own entries:
  // test/kb.test.ts); suggestions for who may see the case; 答复模板 written by the centre and admins
  'GET /api/v1/kb/entries': get(() => '/api/v1/kb/entries', STAFF),
  'GET /api/v1/kb/entries/:id': get(() => '/api/v1/kb/entries/999999999', { ...all(404), anon: 401 }),
  'POST /api/v1/kb/entries': post(() => '/api/v1/kb/entries', () => ({}), { anon: 401, admin: 'ok', centre: 'ok', deptOwn: 'ok', deptOther: 'ok', leader: 403 }),
  'PUT /api/v1/kb/entries/:id': post(() => '/api/v1/kb/entries/999999999', () => ({ question: '路灯不亮找谁', answer: '请拨打 12345 报修。' }), { ...all(404), anon: 401, leader: 403 }),
  'DELETE /api/v1/kb/entries/:id': get(() => '/api/v1/kb/entries/999999999', { ...all(404), anon: 401, leader: 403 }),
  'POST /api/v1/kb/entries/from-case/:caseId': post((c) => `/api/v1/kb/entries/from-case/${c.caseId}`, () => ({}), { ...OWN_DEPARTMENT_OR_CENTRE }),
  'GET /api/v1/kb/suggestions': get((c) => `/api/v1/kb/suggestions?caseId=${c.caseId}`, CASE_READERS),
  'GET /api/v1/reply-templates': get(() => '/api/v1/reply-templates', STAFF),
  'POST /api/v1/reply-templates': post(() => '/api/v1/reply-templates', () => ({}), CENTRE),
  'PUT /api/v1/reply-templates/:id': post(() => '/api/v1/reply-templates/999999999', () => ({ name: '通用', body: '您好，已处理。' }), { ...CENTRE, admin: 404, centre: 404 }),
  'DELETE /api/v1/reply-templates/:id': get(() => '/api/v1/reply-templates/999999999', { ...CENTRE, admin: 404, centre: 404 }),
  'GET /api/v1/reply-templates/:id/render': get((c) => `/api/v1/reply-templates/999999999/render?caseId=${c.caseId}`, { ...all(404), anon: 401, leader: 403 }),

  // the public board (公开留言选登) and the API reference: anyone
  'GET /api/v1/board': get(() => '/api/v1/board', PUBLIC),
  'GET /api/v1/board/:trackingNo': get(() => '/api/v1/board/MS0000000000000', all(404)),
  'GET /api/docs': get(() => '/api/docs', PUBLIC),
  'GET /api/docs/openapi.json': get(() => '/api/docs/openapi.json', PUBLIC),

  // Open311 GeoReport v2: reading is public; creating needs an Open311 API key (a staff login is none)
  'GET /open311/v2/discovery.json': get(() => '/open311/v2/discovery.json', PUBLIC),
  'GET /open311/v2/discovery.xml': get(() => '/open311/v2/discovery.xml', PUBLIC),
  'GET /open311/v2/services.json': get(() => '/open311/v2/services.json', PUBLIC),
  'GET /open311/v2/services.xml': get(() => '/open311/v2/services.xml', PUBLIC),
  'GET /open311/v2/requests.json': get(() => '/open311/v2/requests.json', PUBLIC),
  'GET /open311/v2/requests.xml': get(() => '/open311/v2/requests.xml', PUBLIC),
  'POST /open311/v2/requests.json': post(() => '/open311/v2/requests.json', () => new URLSearchParams({ api_key: 'not-a-key', service_code: 'x', description: '路灯不亮', lat: '31.3', long: '118.4' }), all(403)),
  'POST /open311/v2/requests.xml': post(() => '/open311/v2/requests.xml', () => new URLSearchParams({ api_key: 'not-a-key', service_code: 'x', description: '路灯不亮', lat: '31.3', long: '118.4' }), all(403)),
  'GET /open311/v2/services/:file{[^/]+\\.(?:json|xml)}': get(() => '/open311/v2/services/no-such-service.json', all(404)),
  'GET /open311/v2/requests/:file{[^/]+\\.(?:json|xml)}': get(() => '/open311/v2/requests/MS0000000000000.json', all(404)),
  'GET /open311/v2/tokens/:file{[^/]+\\.(?:json|xml)}': get(() => '/open311/v2/tokens/no-such-token.json', all(404)),
  'ALL /open311/v2/*': get(() => '/open311/v2/no-such-thing.json', all(404)),

  // anything else under /api: 404 for everyone
  'ALL /api/*': get(() => '/api/v1/no-such-thing', all(404)),
};
