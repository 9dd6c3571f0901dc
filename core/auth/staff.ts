// Staff users, their passwords and their API tokens (for integrations: stored as sha256, scoped,
// with an expiry, revocable). The bootstrap administrator comes from ADMIN_TOKEN; the demo
// installation gets one account per role whose name, password and token are all public.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/connect';
import { listDepartments } from '../db/departments';
import {
  getStaffUserByName, insertApiToken, insertStaffUserRow, listStaffAccounts, replaceNamedApiToken,
  setPasswordHash, setPasswordHashIfNone, setStaffActive, touchStaffByTokenHash, upsertStaffUserRow, type ApiTokenRow, type StaffAccountRow,
} from '../db/staff-users';
import { revokeUserSessions } from '../db/sessions';
import { hashPassword, passwordProblem } from './passwords';

export const STAFF_ROLES = ['admin', 'centre', 'department', 'leader'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** read: GET requests; write: every other request the role may make; admin: the /api/v1/admin area */
export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
/** what staff call each scope (the admin page and the API's messages) */
export const TOKEN_SCOPE_LABELS: Record<TokenScope, string> = { read: '只读', write: '读写', admin: '系统管理' };
/** what staff call each role */
export const STAFF_ROLE_LABELS: Record<'admin' | 'centre' | 'department' | 'leader', string> = { admin: '系统管理员', centre: '12345协调中心', department: '承办单位', leader: '督办领导' };

export interface StaffUser {
  id: number;
  username: string;
  displayName: string;
  role: StaffRole;
  departmentCode: string | null;
}

/** A rule about accounts broken (a taken name, a department user without a department…): the API answers 400/409, the CLI exits 1. */
export class AccountError extends Error {
  constructor(readonly code: 'validation_failed' | 'conflict' | 'not_found', message: string, readonly field?: string) {
    super(message);
    this.name = 'AccountError';
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

export const USERNAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

export async function findStaffByToken(sql: Db, token: string): Promise<(StaffUser & { scopes: TokenScope[]; tokenId: number }) | undefined> {
  return touchStaffByTokenHash<StaffRole>(sql, hashToken(token)) as Promise<(StaffUser & { scopes: TokenScope[]; tokenId: number }) | undefined>;
}

async function checkDepartment(sql: Db, role: StaffRole, departmentCode: string | null): Promise<void> {
  if (role === 'department') {
    if (!departmentCode) throw new AccountError('validation_failed', '承办单位账号须指定单位 (a department user needs --department)', 'departmentCode');
    const known = (await listDepartments(sql)).some((d) => d.code === departmentCode && d.active);
    if (!known) throw new AccountError('validation_failed', `未知单位 "${departmentCode}" (unknown department)`, 'departmentCode');
  } else if (departmentCode) {
    throw new AccountError('validation_failed', `只有承办单位账号绑定单位 (only department users have a department; role ${role})`, 'departmentCode');
  }
}

/** A new account with a password (CLI `user add`, the admin page). */
export async function createStaffAccount(
  sql: Db,
  u: { username: string; displayName?: string; role: StaffRole; departmentCode?: string | null; password: string },
): Promise<StaffUser> {
  if (!USERNAME_RE.test(u.username)) throw new AccountError('validation_failed', '用户名为 2-64 个字母、数字或 . _ - (2-64 letters, digits, . _ -)', 'name');
  if (!(STAFF_ROLES as readonly string[]).includes(u.role)) throw new AccountError('validation_failed', `未知角色 "${u.role}" (role must be one of ${STAFF_ROLES.join(', ')})`, 'role');
  const departmentCode = u.departmentCode ?? null;
  await checkDepartment(sql, u.role, departmentCode);
  const problem = passwordProblem(u.password);
  if (problem) throw new AccountError('validation_failed', problem, 'password');
  const row = await insertStaffUserRow<StaffRole>(sql, {
    username: u.username, displayName: u.displayName?.trim() || u.username, role: u.role, departmentCode, passwordHash: await hashPassword(u.password),
  });
  if (!row) throw new AccountError('conflict', `用户名 ${u.username} 已存在 (the name is taken)`, 'name');
  return row;
}

export function listAccounts(sql: Db): Promise<StaffAccountRow<StaffRole>[]> {
  return listStaffAccounts<StaffRole>(sql);
}

async function userNamed(sql: Db, username: string) {
  const u = await getStaffUserByName<StaffRole>(sql, username);
  if (!u) throw new AccountError('not_found', `没有用户 ${username} (no such user)`, 'name');
  return u;
}

/** Disables (or re-enables) an account; a disabled account's sessions end and its tokens stop working at once. */
export async function setAccountActive(sql: Db, username: string, active: boolean): Promise<StaffUser> {
  const u = await userNamed(sql, username);
  await setStaffActive(sql, u.id, active);
  if (!active) await revokeUserSessions(sql, u.id);
  return u;
}

/** Sets a new password (reset by an admin or changed by the user): every other session of the user ends. */
export async function setAccountPassword(sql: Db, username: string, password: string, opts: { keepSessionId?: number } = {}): Promise<StaffUser> {
  const problem = passwordProblem(password);
  if (problem) throw new AccountError('validation_failed', problem, 'password');
  const u = await userNamed(sql, username);
  await setPasswordHash(sql, u.id, await hashPassword(password));
  await revokeUserSessions(sql, u.id, opts.keepSessionId);
  return u;
}

/** A new API token for the user: the clear token is answered once and never stored. */
export async function createApiToken(
  sql: Db,
  t: { username: string; name: string; scopes: TokenScope[]; expiresAt: Date | null; createdBy: string | null },
): Promise<{ token: string; row: ApiTokenRow }> {
  const u = await userNamed(sql, t.username);
  if (!u.active) throw new AccountError('conflict', `用户 ${t.username} 已停用 (the user is disabled)`, 'name');
  if (t.expiresAt && t.expiresAt <= new Date()) throw new AccountError('validation_failed', '有效期须在将来 (the expiry must be in the future)', 'expiresAt');
  const token = `ms_${randomBytes(24).toString('base64url')}`;
  const row = await insertApiToken(sql, { userId: u.id, name: t.name, tokenHash: hashToken(token), scopes: [...new Set(t.scopes)], expiresAt: t.expiresAt, createdBy: t.createdBy });
  return { token, row };
}

export { listApiTokens, revokeApiToken } from '../db/staff-users';

/**
 * Creates or updates a user with a known bearer token (its one token named `default`, every scope):
 * the bootstrap administrator, the demo accounts and tests' staff.
 */
export async function upsertStaffUser(
  sql: Db,
  u: { username: string; displayName: string; role: StaffRole; departmentCode: string | null; token: string; password?: string },
): Promise<StaffUser> {
  if (u.role === 'department' && !u.departmentCode) throw new Error(`staff user ${u.username}: a department user needs a department`);
  const { token, password, ...rest } = u;
  const user = await upsertStaffUserRow<StaffRole>(sql, rest);
  await replaceNamedApiToken(sql, { userId: user.id, name: 'default', tokenHash: hashToken(token), scopes: [...TOKEN_SCOPES] });
  // hashed only when the account has none yet: a restart neither re-hashes nor undoes a changed password
  if (password && !(await getStaffUserByName(sql, u.username))?.passwordHash) await setPasswordHashIfNone(sql, u.username, await hashPassword(password));
  return user;
}

/** The administrator named by ADMIN_TOKEN (created, or re-keyed when the token changes). */
export function ensureAdmin(sql: Db, token: string): Promise<StaffUser> {
  return upsertStaffUser(sql, { username: 'admin', displayName: '系统管理员', role: 'admin', departmentCode: null, token });
}

/**
 * Demo accounts for the embedded demo: their names, passwords and tokens are public (README,
 * start-up log, login page), so they exist only in an installation that loaded the demo data set.
 * Name = password = token, e.g. `demo-centre`.
 */
export async function ensureDemoStaff(sql: Db): Promise<{ username: string; role: StaffRole; department: string | null; token: string; password: string }[]> {
  const out: { username: string; role: StaffRole; department: string | null; token: string; password: string }[] = [
    { username: 'demo-admin', role: 'admin', department: null, token: 'demo-admin', password: 'demo-admin' },
    { username: 'demo-centre', role: 'centre', department: null, token: 'demo-centre', password: 'demo-centre' },
    { username: 'demo-leader', role: 'leader', department: null, token: 'demo-leader', password: 'demo-leader' },
  ];
  const names: Record<string, string> = { 'demo-admin': '演示·系统管理员', 'demo-centre': '演示·12345协调中心', 'demo-leader': '演示·督办领导' };
  for (const d of await listDepartments(sql)) {
    if (d.kind === 'centre') continue;
    out.push({ username: `demo-${d.code}`, role: 'department', department: d.code, token: `demo-${d.code}`, password: `demo-${d.code}` });
    names[`demo-${d.code}`] = `演示·${d.shortName || d.name}`; // the office's Chinese name, never its code
  }
  for (const u of out) {
    await upsertStaffUser(sql, {
      username: u.username, displayName: names[u.username] ?? `演示·${u.department}`, role: u.role, departmentCode: u.department, token: u.token, password: u.password,
    });
  }
  return out;
}
