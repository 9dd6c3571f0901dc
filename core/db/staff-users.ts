// Staff users (工作人员) and their token hashes; hashing and roles live in core/auth/staff.ts.
import type { Db } from './connect';

/** `R`: the roles core/auth declares (the column holds one of them; the table's CHECK says which). */
export interface StaffUserRow<R extends string = string> {
  id: number;
  username: string;
  displayName: string;
  role: R;
  departmentCode: string | null;
}

const cols = (sql: Db) => sql`id, username, display_name, role, department_code`;

/** The active user holding this token hash, marked as seen now. */
export async function touchStaffByTokenHash<R extends string>(sql: Db, tokenHash: string): Promise<StaffUserRow<R> | undefined> {
  const [u] = await sql<StaffUserRow<R>[]>`
    UPDATE staff_users SET last_seen_at = now() WHERE token_hash = ${tokenHash} AND active RETURNING ${cols(sql)}`;
  return u;
}

export async function upsertStaffUserRow<R extends string>(
  sql: Db,
  u: { username: string; displayName: string; role: R; departmentCode: string | null; tokenHash: string },
): Promise<StaffUserRow<R>> {
  const [row] = await sql<StaffUserRow<R>[]>`
    INSERT INTO staff_users (username, display_name, role, department_code, token_hash)
    VALUES (${u.username}, ${u.displayName}, ${u.role}, ${u.departmentCode}, ${u.tokenHash})
    ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role,
      department_code = EXCLUDED.department_code, token_hash = EXCLUDED.token_hash, active = true
    RETURNING ${cols(sql)}`;
  return row;
}

/** Active demo accounts (username `demo-…`, which is also their public token), centre and leader first. */
export async function listDemoStaff<R extends string>(sql: Db): Promise<{ token: string; displayName: string; role: R; departmentCode: string | null; departmentName: string | null }[]> {
  return sql<{ token: string; displayName: string; role: R; departmentCode: string | null; departmentName: string | null }[]>`
    SELECT u.username AS token, u.display_name, u.role, u.department_code, d.short_name AS department_name
    FROM staff_users u LEFT JOIN departments d ON d.code = u.department_code
    WHERE u.active AND u.username LIKE 'demo-%' ORDER BY (u.role = 'department'), u.username`;
}
