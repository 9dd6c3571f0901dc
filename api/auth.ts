// Staff authentication: `Authorization: Bearer <token>`, looked up by its sha256; ADMIN_TOKEN is
// the bootstrap administrator. Handlers read the user from c.var.staff.
import { createMiddleware } from 'hono/factory';
import { ensureAdmin, findStaffByToken, sameSecret, type StaffRole, type StaffUser } from '../core/auth/staff';
import type { AppDeps } from './deps';
import { ApiError } from './errors';

export type StaffEnv = { Variables: { requestId: string; staff: StaffUser } };

export function requireStaff(deps: AppDeps, roles?: readonly StaffRole[]) {
  return createMiddleware<StaffEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S{6,200})$/i.exec(header);
    if (!m) throw new ApiError('unauthorized', '请先登录：Authorization: Bearer <token> (staff token required)', undefined, { 'WWW-Authenticate': 'Bearer' });
    const token = m[1];
    let user = await findStaffByToken(deps.db.sql, token);
    if (!user && deps.config.ADMIN_TOKEN && sameSecret(token, deps.config.ADMIN_TOKEN)) user = await ensureAdmin(deps.db.sql, token);
    if (!user) throw new ApiError('unauthorized', '令牌无效或已停用 (unknown or inactive token)', undefined, { 'WWW-Authenticate': 'Bearer' });
    if (roles && !roles.includes(user.role)) throw new ApiError('forbidden', `角色 ${user.role} 无权执行此操作 (role ${user.role} may not do this)`);
    c.set('staff', user);
    await next();
  });
}
