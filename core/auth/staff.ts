// Staff users and their bearer API tokens. Only the sha256 of a token is stored; the bootstrap
// administrator comes from ADMIN_TOKEN, and the demo installation gets one account per role.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Sql } from '../db/connect';
import { listDepartments } from '../db/departments';

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

const cols = (sql: Sql) => sql`id, username, display_name AS "displayName", role, department_code AS "departmentCode"`;

export async function findStaffByToken(sql: Sql, token: string): Promise<StaffUser | undefined> {
  const [u] = await sql<StaffUser[]>`
    UPDATE staff_users SET last_seen_at = now() WHERE token_hash = ${hashToken(token)} AND active RETURNING ${cols(sql)}`;
  return u;
}

export async function upsertStaffUser(
  sql: Sql,
  u: { username: string; displayName: string; role: StaffRole; departmentCode: string | null; token: string },
): Promise<StaffUser> {
  if (u.role === 'department' && !u.departmentCode) throw new Error(`staff user ${u.username}: a department user needs a department`);
  const [row] = await sql<StaffUser[]>`
    INSERT INTO staff_users (username, display_name, role, department_code, token_hash)
    VALUES (${u.username}, ${u.displayName}, ${u.role}, ${u.departmentCode}, ${hashToken(u.token)})
    ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role,
      department_code = EXCLUDED.department_code, token_hash = EXCLUDED.token_hash, active = true
    RETURNING ${cols(sql)}`;
  return row;
}

/** The administrator named by ADMIN_TOKEN (created or re-keyed when the token changes). */
export function ensureAdmin(sql: Sql, token: string): Promise<StaffUser> {
  return upsertStaffUser(sql, { username: 'admin', displayName: '系统管理员', role: 'admin', departmentCode: null, token });
}

/**
 * Demo accounts for the embedded demo: their tokens are public (README, start-up log), so they
 * exist only in an installation that loaded the demo data set.
 */
export async function ensureDemoStaff(sql: Sql): Promise<{ username: string; role: StaffRole; department: string | null; token: string }[]> {
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
