// Staff users and their bearer API tokens. Only the sha256 of a token is stored; the bootstrap
// administrator comes from ADMIN_TOKEN, and the demo installation gets one account per role.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/connect';
import { listDepartments } from '../db/departments';
import { touchStaffByTokenHash, upsertStaffUserRow } from '../db/staff-users';

export const STAFF_ROLES = ['admin', 'centre', 'department', 'leader'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface StaffUser {
  id: number;
  username: string;
  displayName: string;
  role: StaffRole;
  departmentCode: string | null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

export async function findStaffByToken(sql: Db, token: string): Promise<StaffUser | undefined> {
  return touchStaffByTokenHash<StaffRole>(sql, hashToken(token));
}

export async function upsertStaffUser(
  sql: Db,
  u: { username: string; displayName: string; role: StaffRole; departmentCode: string | null; token: string },
): Promise<StaffUser> {
  if (u.role === 'department' && !u.departmentCode) throw new Error(`staff user ${u.username}: a department user needs a department`);
  const { token, ...rest } = u;
  return upsertStaffUserRow(sql, { ...rest, tokenHash: hashToken(token) });
}

/** The administrator named by ADMIN_TOKEN (created or re-keyed when the token changes). */
export function ensureAdmin(sql: Db, token: string): Promise<StaffUser> {
  return upsertStaffUser(sql, { username: 'admin', displayName: '系统管理员', role: 'admin', departmentCode: null, token });
}

/**
 * Demo accounts for the embedded demo: their tokens are public (README, start-up log), so they
 * exist only in an installation that loaded the demo data set.
 */
export async function ensureDemoStaff(sql: Db): Promise<{ username: string; role: StaffRole; department: string | null; token: string }[]> {
  const out: { username: string; role: StaffRole; department: string | null; token: string }[] = [
    { username: 'demo-centre', role: 'centre', department: null, token: 'demo-centre' },
    { username: 'demo-leader', role: 'leader', department: null, token: 'demo-leader' },
  ];
  for (const d of await listDepartments(sql)) {
    if (d.kind !== 'centre') out.push({ username: `demo-${d.code}`, role: 'department', department: d.code, token: `demo-${d.code}` });
  }
  const names: Record<string, string> = { 'demo-centre': '演示·12345协调中心', 'demo-leader': '演示·督办领导' };
  for (const u of out) {
    await upsertStaffUser(sql, { username: u.username, displayName: names[u.username] ?? `演示·${u.department}`, role: u.role, departmentCode: u.department, token: u.token });
  }
  return out;
}
