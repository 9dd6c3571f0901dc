// POST /api/v1/auth/login {name, password} sets the session cookie and answers the user and the
// CSRF token; POST /logout ends the session; GET /me says who is calling; POST /password changes
// the caller's own password (the current one required). Failed logins are limited per name and
// per address (token buckets, shared through Redis when there is one) and lock the account after
// five wrong passwords in a row (core/auth/login.ts LOCKOUT).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../../../core/audit/audit';
import { endSession, loginWithPassword, SESSION_IDLE_S, SESSION_MAX_AGE_S } from '../../../core/auth/login';
import { verifyPassword } from '../../../core/auth/passwords';
import { areasOf } from '../../../core/auth/permissions';
import { AccountError, setAccountPassword } from '../../../core/auth/staff';
import { getStaffUserById } from '../../../core/db/staff-users';
import { makeRateLimiter } from '../../../core/channels/portal';
import { audit, clearSessionCookie, requireStaff, setSessionCookie, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';
import { callerAddress } from '../messages/caller';
import { hasUnstorable } from '../../../core/messages/storable';

export const loginBody = z.object({
  name: z.string({ message: '请填写用户名' }).trim().min(1, '请填写用户名').max(64, '用户名最多 64 个字符').refine((s) => !hasUnstorable(s), '用户名含有无法识别的字符'),
  password: z.string({ message: '请填写密码' }).min(1, '请填写密码').max(200, '密码最多 200 个字符'),
});
export const passwordBody = z.object({
  currentPassword: z.string({ message: '请填写当前密码' }).max(200),
  newPassword: z.string({ message: '请填写新密码' }).min(1, '请填写新密码').max(200, '密码最多 200 个字符'),
});

/** failed logins allowed per name and per address in a burst; each bucket refills over the window */
export const LOGIN_LIMITS = { perName: 10, perAddress: 30, windowMs: 15 * 60_000 };

export function authRoutes(deps: AppDeps) {
  const onFailover = (err: unknown) => deps.logger.warn({ err }, 'rate limiter: Redis unavailable, limiting in this process');
  const byName = makeRateLimiter({ redis: deps.redis, prefix: deps.config.QUEUE_PREFIX, name: 'login:name', limit: LOGIN_LIMITS.perName, windowMs: LOGIN_LIMITS.windowMs, onFailover });
  const byAddress = makeRateLimiter({ redis: deps.redis, prefix: deps.config.QUEUE_PREFIX, name: 'login:address', limit: LOGIN_LIMITS.perAddress, windowMs: LOGIN_LIMITS.windowMs, onFailover });
  const tooMany = (s: number) =>
    new ApiError('rate_limited', `登录失败次数过多，请 ${Math.ceil(s / 60)} 分钟后再试 (too many failed logins; try again in ${s} s)`, undefined, { 'Retry-After': String(s) });
  const staff = requireStaff(deps);

  const me = (c: Context<StaffEnv>) => {
    const user = c.get('staff');
    const auth = c.get('auth');
    return {
      user: { ...user, areas: areasOf(user.role) },
      via: auth.via,
      csrfToken: auth.via === 'session' ? auth.csrfToken : null,
      session: auth.via === 'session' ? { maxAgeS: SESSION_MAX_AGE_S, idleTimeoutS: SESSION_IDLE_S } : null,
    };
  };

  return new Hono<StaffEnv>()
    .post('/login', validate('json', loginBody), async (c) => {
      const { name, password } = c.req.valid('json');
      const ip = callerAddress(c, deps);
      const [n, a] = await Promise.all([byName.take(name.toLowerCase(), 0), byAddress.take(ip, 0)]);
      if (!n.allowed || !a.allowed) throw tooMany(Math.max(n.allowed ? 0 : n.retryAfterS, a.allowed ? 0 : a.retryAfterS));
      const r = await loginWithPassword(deps.db.sql, name, password, { ip, userAgent: c.req.header('user-agent') ?? null });
      const who = { actor: name, actorRole: null, requestId: c.get('requestId') ?? null, ip };
      if (!r.ok) {
        await Promise.all([byName.take(name.toLowerCase()), byAddress.take(ip)]);
        await recordAudit(deps.db.sql, who, { action: 'auth.login-failed', detail: { reason: r.reason } });
        if (r.reason === 'locked') throw tooMany(r.retryAfterS);
        throw new ApiError('unauthorized', '用户名或密码错误 (wrong name or password)');
      }
      setSessionCookie(c, deps, r.sessionToken);
      await recordAudit(deps.db.sql, { ...who, actorRole: r.user.role }, { action: 'auth.login', detail: { sessionId: r.sessionId } });
      return c.json({ user: { ...r.user, areas: areasOf(r.user.role) }, csrfToken: r.csrfToken, expiresAt: r.expiresAt.toISOString() });
    })
    .post('/logout', staff, async (c) => {
      const auth = c.get('auth');
      if (auth.via === 'session') await endSession(deps.db.sql, auth.sessionId);
      clearSessionCookie(c, deps);
      await audit(c, deps, { action: 'auth.logout', detail: { via: auth.via } });
      return c.json({ ok: true });
    })
    .get('/me', staff, (c) => c.json(me(c)))
    .post('/password', staff, validate('json', passwordBody), async (c) => {
      const body = c.req.valid('json');
      const user = c.get('staff');
      const stored = await getStaffUserById(deps.db.sql, user.id);
      if (stored?.passwordHash && !(await verifyPassword(body.currentPassword, stored.passwordHash))) {
        throw new ApiError('validation_failed', '当前密码不正确 (the current password is wrong)', [{ field: 'currentPassword', message: '当前密码不正确' }]);
      }
      const auth = c.get('auth');
      try {
        await setAccountPassword(deps.db.sql, user.username, body.newPassword, { keepSessionId: auth.via === 'session' ? auth.sessionId : undefined });
      } catch (err) {
        if (err instanceof AccountError) throw new ApiError(err.code, err.message, err.field ? [{ field: err.field === 'password' ? 'newPassword' : err.field, message: err.message }] : undefined);
        throw err;
      }
      await audit(c, deps, { action: 'auth.password-changed' });
      return c.json({ ok: true });
    });
}
