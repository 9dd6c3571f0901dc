// Staff authentication, one middleware for both ways in:
// - `Authorization: Bearer <token>`: an API token (integrations, scripts, tests), looked up by its
//   sha256, with its scopes (read: GET; write: other methods; admin: /api/v1/admin); ADMIN_TOKEN is
//   the bootstrap administrator. No CSRF check: a browser never adds this header by itself.
// - the `minsheng_session` cookie set by POST /api/v1/auth/login: every state-changing request must
//   also carry `X-CSRF-Token` (the value login and GET /session answer), else 403.
// Every state-changing staff request that succeeds is written to the audit trail here, unless its
// handler recorded it in more detail itself. Handlers read the user from c.var.staff.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { recordAudit, type AuditContext, type AuditEvent } from '../core/audit/audit';
import { csrfMatches, csrfTokenFor, SESSION_COOKIE, SESSION_MAX_AGE_S, sessionUser } from '../core/auth/login';
import { ensureAdmin, findStaffByToken, sameSecret, STAFF_ROLE_LABELS, TOKEN_SCOPE_LABELS, TOKEN_SCOPES, type StaffRole, type StaffUser, type TokenScope } from '../core/auth/staff';
import type { AppDeps } from './deps';
import { ApiError } from './errors';
import { callerAddress } from './routes/messages/caller';

export type AuthInfo =
  | { via: 'session'; sessionId: number; csrfToken: string }
  | { via: 'token'; tokenId: number | null; scopes: readonly TokenScope[] };

export type StaffEnv = { Variables: { requestId: string; staff: StaffUser; auth: AuthInfo; audited?: boolean } };

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const BEARER = /^Bearer\s+(\S{6,200})$/i;

/** Whether the client reached us over TLS (directly, or through a trusted proxy that says so). */
export function overTls(c: Context, deps: AppDeps): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return deps.config.TRUST_PROXY && (c.req.header('x-forwarded-proto') ?? '').split(',')[0].trim().toLowerCase() === 'https';
}

export function setSessionCookie(c: Context, deps: AppDeps, token: string): void {
  // SameSite=Strict: no other site's page can make the browser send it, not even by a link
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', secure: overTls(c, deps), path: '/', maxAge: SESSION_MAX_AGE_S });
}

export function clearSessionCookie(c: Context, deps: AppDeps): void {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: 'Strict', secure: overTls(c, deps), path: '/' });
}

type Resolved = { user: StaffUser; auth: AuthInfo } | null;

/** Who is calling: a bearer token (a bad one: 401), a live session cookie, or nobody (null). */
async function resolve(c: Context, deps: AppDeps): Promise<Resolved> {
  const header = c.req.header('authorization');
  if (header) {
    const m = BEARER.exec(header);
    if (!m) throw new ApiError('unauthorized', '请先登录：Authorization: Bearer <token> (staff token required)', undefined, { 'WWW-Authenticate': 'Bearer' });
    const token = m[1];
    const found = await findStaffByToken(deps.db.sql, token);
    if (found) {
      const { scopes, tokenId, ...user } = found;
      return { user, auth: { via: 'token', tokenId, scopes } };
    }
    if (deps.config.ADMIN_TOKEN && sameSecret(token, deps.config.ADMIN_TOKEN)) {
      return { user: await ensureAdmin(deps.db.sql, token), auth: { via: 'token', tokenId: null, scopes: TOKEN_SCOPES } };
    }
    throw new ApiError('unauthorized', '令牌无效、已过期或已停用 (unknown, expired or revoked token)', undefined, { 'WWW-Authenticate': 'Bearer' });
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  if (!cookie) return null;
  const s = await sessionUser(deps.db.sql, cookie);
  if (!s) {
    clearSessionCookie(c, deps);
    return null;
  }
  const { sessionId, ...user } = s;
  return { user, auth: { via: 'session', sessionId, csrfToken: csrfTokenFor(cookie) } };
}

function checkRequest(c: Context, r: NonNullable<Resolved>, roles: readonly StaffRole[] | undefined, opts: { scope?: TokenScope }) {
  const safe = SAFE.has(c.req.method);
  if (r.auth.via === 'session' && !safe && !csrfMatches(getCookie(c, SESSION_COOKIE) ?? '', c.req.header('x-csrf-token'))) {
    throw new ApiError('forbidden', '缺少或错误的 X-CSRF-Token，请刷新页面后重试 (missing or wrong X-CSRF-Token header)', { reason: 'csrf' });
  }
  if (r.auth.via === 'token') {
    const scopes = r.auth.scopes;
    const need: TokenScope[] = [safe ? 'read' : 'write', ...(opts.scope ? [opts.scope] : [])];
    const missing = need.filter((s) => !scopes.includes(s) && !(s === 'read' && scopes.includes('write')));
    if (missing.length) throw new ApiError('forbidden', `此令牌没有「${missing.map((m) => TOKEN_SCOPE_LABELS[m]).join('、')}」权限，请由管理员另发令牌 (the token lacks scope ${missing.join(', ')})`, { reason: 'scope', missing });
  }
  if (roles && !roles.includes(r.user.role)) throw new ApiError('forbidden', `${STAFF_ROLE_LABELS[r.user.role] ?? r.user.role}账号无权执行此操作 (role ${r.user.role} may not do this)`);
}

/** What a case or triage request did, for the trail (the route's own id and action). */
function describe(path: string): AuditEvent {
  const action = /\/api\/v1\/cases\/(\d+)\/([a-z-]+)$/.exec(path);
  if (action) return { action: 'case.action', caseId: Number(action[1]), detail: { action: action[2] } };
  const triage = /\/api\/v1\/triage\/(\d+)$/.exec(path);
  if (triage) return { action: 'triage.correct', caseId: Number(triage[1]) };
  return { action: 'staff.request' };
}

/** Not actions: advice while typing, and the session's own end (recorded by its handler). */
const NOT_AUDITED = /\/reply-check$/;

export function auditContext(c: Context<StaffEnv>, deps: AppDeps): AuditContext {
  const staff = c.get('staff') as StaffUser | undefined;
  return { actor: staff?.username ?? 'anonymous', actorRole: staff?.role ?? null, requestId: c.get('requestId') ?? null, ip: callerAddress(c, deps) };
}

/** Records an audit row for this request (and marks it so the middleware does not record it twice). */
export async function audit(c: Context<StaffEnv>, deps: AppDeps, e: AuditEvent): Promise<void> {
  c.set('audited', true);
  await recordAudit(deps.db.sql, auditContext(c, deps), e);
}

export function requireStaff(deps: AppDeps, roles?: readonly StaffRole[], opts: { scope?: TokenScope } = {}) {
  return createMiddleware<StaffEnv>(async (c, next) => {
    const r = await resolve(c, deps);
    if (!r) throw new ApiError('unauthorized', '请先登录 (log in, or send Authorization: Bearer <token>)', undefined, { 'WWW-Authenticate': 'Bearer' });
    checkRequest(c, r, roles, opts);
    c.set('staff', r.user);
    c.set('auth', r.auth);
    await next();
    if (SAFE.has(c.req.method) || c.get('audited') || c.res.status >= 400 || NOT_AUDITED.test(c.req.path)) return;
    // a route guarded twice (a router's `use` and a stricter check on one route) is written once
    c.set('audited', true);
    const e = describe(c.req.path);
    await recordAudit(deps.db.sql, auditContext(c, deps), { ...e, detail: { ...e.detail, method: c.req.method, path: c.req.path, status: c.res.status } }).catch((err: unknown) => {
      // the action is done: a lost audit row is logged loudly rather than answering 500 for work that happened
      deps.logger.error({ err, requestId: c.get('requestId'), path: c.req.path }, 'audit row could not be written');
    });
  });
}

/** Like requireStaff, but nobody logged in passes as anonymous (c.var.staff unset); a bad bearer token is still 401. */
export function optionalStaff(deps: AppDeps) {
  return createMiddleware<StaffEnv>(async (c, next) => {
    const r = await resolve(c, deps);
    if (r) {
      checkRequest(c, r, undefined, {});
      c.set('staff', r.user);
      c.set('auth', r.auth);
    }
    await next();
  });
}
