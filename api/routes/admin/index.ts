// /api/v1/admin: accounts, API tokens and the audit trail, for admins only (an API token also needs
// the `admin` scope). Every change is written to the audit trail; clear passwords and tokens are
// answered once and never stored.
import { Hono } from 'hono';
import { z } from 'zod';
import { findAudit } from '../../../core/audit/audit';
import { randomPassword } from '../../../core/auth/passwords';
import {
  AccountError, createApiToken, createStaffAccount, listAccounts, listApiTokens, revokeApiToken, setAccountActive, setAccountPassword,
  STAFF_ROLE_LABELS, STAFF_ROLES, TOKEN_SCOPE_LABELS, TOKEN_SCOPES,
} from '../../../core/auth/staff';
import { getStaffUserById } from '../../../core/db/staff-users';
import { audit, requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { boundedDateTime, validate } from '../../validate';

export const idParam = z.object({ id: z.coerce.number({ message: '编号须为正整数' }).int('编号须为正整数').positive('编号须为正整数') });
export const newUser = z.object({
  name: z.string({ message: '请填写用户名' }).trim().min(1, '请填写用户名').max(64, '用户名最多 64 个字符'),
  displayName: z.string().trim().max(100, '姓名最多 100 个字符').optional(),
  role: z.enum(STAFF_ROLES, { message: `角色须为${STAFF_ROLES.map((r) => `${STAFF_ROLE_LABELS[r]}（${r}）`).join('、')}之一` }),
  departmentCode: z.string({ message: '单位代码须为文字' }).trim().max(64, '单位代码最多 64 个字符').nullish(),
  password: z.string({ message: '请填写初始密码' }).max(200, '密码最多 200 个字符'),
});
export const resetBody = z.object({ password: z.string({ message: '密码须为文字' }).max(200, '密码最多 200 个字符').optional() });
export const newToken = z.object({
  user: z.string({ message: '请填写令牌所属用户' }).trim().min(1, '请填写令牌所属用户').max(64, '用户名最多 64 个字符'),
  name: z.string({ message: '请填写令牌用途' }).trim().min(1, '请填写令牌用途').max(100, '令牌用途最多 100 个字'),
  scopes: z.array(z.enum(TOKEN_SCOPES, { message: `权限须为${TOKEN_SCOPES.map((x) => `${TOKEN_SCOPE_LABELS[x]}（${x}）`).join('、')}之一` }), { message: '请选择权限' }).min(1, '至少选择一项权限').default(['read']),
  expiresInDays: z.coerce.number({ message: '有效天数须为整数' }).int('有效天数须为整数').min(1, '有效期至少 1 天').max(3650, '有效期最多 3650 天').nullish(),
});
export const auditQuery = z.object({
  actor: z.string().trim().max(64, '操作人最多 64 个字符').optional(),
  action: z.string().trim().max(64, '操作最多 64 个字符').optional(),
  from: boundedDateTime().optional(),
  to: boundedDateTime().optional(),
  caseId: z.coerce.number({ message: '工单编号须为正整数' }).int('工单编号须为正整数').positive('工单编号须为正整数').optional(),
  limit: z.coerce.number({ message: '每页条数须为 1–200 的整数' }).int('每页条数须为 1–200 的整数').min(1, '每页条数须为 1–200 的整数').max(200, '每页条数须为 1–200 的整数').default(50),
  before: z.coerce.number({ message: '分页位置须为正整数' }).int('分页位置须为正整数').positive('分页位置须为正整数').optional(),
});

function accountError(err: unknown): never {
  if (err instanceof AccountError) throw new ApiError(err.code, err.message, err.field ? [{ field: err.field, message: err.message }] : undefined);
  throw err;
}

export function adminRoutes(deps: AppDeps) {
  const sql = deps.db.sql;
  async function userOr404(id: number) {
    const u = await getStaffUserById(sql, id);
    if (!u) throw new ApiError('not_found', `没有编号为 ${id} 的用户 (no such user)`);
    return u;
  }
  return new Hono<StaffEnv>()
    .use('*', requireStaff(deps, ['admin'], { scope: 'admin' }))
    .get('/users', async (c) => c.json({ items: await listAccounts(sql) }))
    .post('/users', validate('json', newUser), async (c) => {
      const b = c.req.valid('json');
      const user = await createStaffAccount(sql, { username: b.name, displayName: b.displayName, role: b.role, departmentCode: b.departmentCode ?? null, password: b.password }).catch(accountError);
      await audit(c, deps, { action: 'admin.user-created', detail: { user: user.username, role: user.role, departmentCode: user.departmentCode } });
      return c.json({ user }, 201);
    })
    .post('/users/:id/disable', validate('param', idParam), async (c) => {
      const u = await userOr404(c.req.valid('param').id);
      if (u.id === c.get('staff').id) throw new ApiError('conflict', '不能停用自己的账号 (you cannot disable your own account)');
      await setAccountActive(sql, u.username, false);
      await audit(c, deps, { action: 'admin.user-disabled', detail: { user: u.username } });
      return c.json({ ok: true });
    })
    .post('/users/:id/enable', validate('param', idParam), async (c) => {
      const u = await userOr404(c.req.valid('param').id);
      await setAccountActive(sql, u.username, true);
      await audit(c, deps, { action: 'admin.user-enabled', detail: { user: u.username } });
      return c.json({ ok: true });
    })
    // without a password in the body a random one is made and answered once
    .post('/users/:id/reset-password', validate('param', idParam), validate('json', resetBody), async (c) => {
      const u = await userOr404(c.req.valid('param').id);
      const given = c.req.valid('json').password;
      const password = given ?? randomPassword();
      await setAccountPassword(sql, u.username, password).catch(accountError);
      await audit(c, deps, { action: 'admin.password-reset', detail: { user: u.username } });
      return c.json({ ok: true, ...(given ? {} : { password }) });
    })
    .get('/tokens', async (c) => c.json({ items: await listApiTokens(sql) }))
    .post('/tokens', validate('json', newToken), async (c) => {
      const b = c.req.valid('json');
      const expiresAt = b.expiresInDays ? new Date(Date.now() + b.expiresInDays * 86_400_000) : null;
      const { token, row } = await createApiToken(sql, { username: b.user, name: b.name, scopes: b.scopes, expiresAt, createdBy: c.get('staff').username }).catch(accountError);
      await audit(c, deps, { action: 'admin.token-created', detail: { tokenId: row.id, user: row.username, name: row.name, scopes: row.scopes } });
      return c.json({ token, item: row }, 201);
    })
    .post('/tokens/:id/revoke', validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      if (!(await revokeApiToken(sql, id))) throw new ApiError('not_found', `没有编号为 ${id} 的令牌 (no such token)`);
      await audit(c, deps, { action: 'admin.token-revoked', detail: { tokenId: id } });
      return c.json({ ok: true });
    })
    .get('/audit', validate('query', auditQuery), async (c) => {
      const q = c.req.valid('query');
      return c.json(await findAudit(sql, { ...q, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined }));
    });
}
