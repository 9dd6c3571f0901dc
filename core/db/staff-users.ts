// Staff users (工作人员), their password hashes and their API tokens (hashed); hashing, roles and
// the rules around them live in core/auth.
import type { Db } from './connect';

/** `R`: the roles core/auth declares (the column holds one of them; the table's CHECK says which). */
export interface StaffUserRow<R extends string = string> {
  id: number;
  username: string;
  displayName: string;
  role: R;
  departmentCode: string | null;
}

export interface StaffAccountRow<R extends string = string> extends StaffUserRow<R> {
  active: boolean;
  hasPassword: boolean;
  createdAt: Date;
  lastSeenAt: Date | null;
  lastLoginAt: Date | null;
  lockedUntil: Date | null;
  failedLogins: number;
}

const cols = (sql: Db) => sql`u.id, u.username, u.display_name, u.role, u.department_code`;

/** The active user holding this (unrevoked, unexpired) API token hash, marked as seen now, with the token's scopes. */
export async function touchStaffByTokenHash<R extends string>(sql: Db, tokenHash: string): Promise<(StaffUserRow<R> & { scopes: string[]; tokenId: number }) | undefined> {
  const [u] = await sql<(StaffUserRow<R> & { scopes: string[]; tokenId: number })[]>`
    WITH t AS (
      UPDATE api_tokens SET last_used_at = now()
      WHERE token_hash = ${tokenHash} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
      RETURNING id, user_id, scopes)
    UPDATE staff_users u SET last_seen_at = now() FROM t
    WHERE u.id = t.user_id AND u.active
    RETURNING ${cols(sql)}, t.scopes, t.id AS token_id`;
  return u;
}

export async function getStaffUserByName<R extends string>(sql: Db, username: string): Promise<(StaffUserRow<R> & { active: boolean; passwordHash: string | null; failedLogins: number; lockedUntil: Date | null }) | undefined> {
  const [u] = await sql<(StaffUserRow<R> & { active: boolean; passwordHash: string | null; failedLogins: number; lockedUntil: Date | null })[]>`
    SELECT ${cols(sql)}, u.active, u.password_hash, u.failed_logins, u.locked_until FROM staff_users u WHERE u.username = ${username}`;
  return u;
}

export async function getStaffUserById<R extends string>(sql: Db, id: number): Promise<(StaffUserRow<R> & { active: boolean; passwordHash: string | null }) | undefined> {
  const [u] = await sql<(StaffUserRow<R> & { active: boolean; passwordHash: string | null })[]>`
    SELECT ${cols(sql)}, u.active, u.password_hash FROM staff_users u WHERE u.id = ${id}`;
  return u;
}

/** Creates or updates a user by name (re-activating it); a null passwordHash leaves the stored one alone. */
export async function upsertStaffUserRow<R extends string>(
  sql: Db,
  u: { username: string; displayName: string; role: R; departmentCode: string | null; passwordHash?: string | null },
): Promise<StaffUserRow<R>> {
  const hash = u.passwordHash ?? null;
  const [row] = await sql<StaffUserRow<R>[]>`
    INSERT INTO staff_users AS u (username, display_name, role, department_code, password_hash, password_changed_at)
    VALUES (${u.username}, ${u.displayName}, ${u.role}, ${u.departmentCode}, ${hash}, ${hash ? sql`now()` : null})
    ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role,
      department_code = EXCLUDED.department_code, active = true,
      password_hash = COALESCE(EXCLUDED.password_hash, u.password_hash),
      password_changed_at = COALESCE(EXCLUDED.password_changed_at, u.password_changed_at)
    RETURNING ${cols(sql)}`;
  return row;
}

/** Inserts a new user; undefined when the name is taken. */
export async function insertStaffUserRow<R extends string>(
  sql: Db,
  u: { username: string; displayName: string; role: R; departmentCode: string | null; passwordHash: string | null },
): Promise<StaffUserRow<R> | undefined> {
  const [row] = await sql<StaffUserRow<R>[]>`
    INSERT INTO staff_users AS u (username, display_name, role, department_code, password_hash, password_changed_at)
    VALUES (${u.username}, ${u.displayName}, ${u.role}, ${u.departmentCode}, ${u.passwordHash}, ${u.passwordHash ? sql`now()` : null})
    ON CONFLICT (username) DO NOTHING
    RETURNING ${cols(sql)}`;
  return row;
}

export async function listStaffAccounts<R extends string>(sql: Db): Promise<StaffAccountRow<R>[]> {
  return sql<StaffAccountRow<R>[]>`
    SELECT ${cols(sql)}, u.active, (u.password_hash IS NOT NULL) AS has_password, u.created_at, u.last_seen_at, u.last_login_at,
      u.locked_until, u.failed_logins
    FROM staff_users u ORDER BY u.active DESC, u.role, u.username`;
}

/** Sets the password (and clears a lock-out); false when there is no such user. */
export async function setPasswordHash(sql: Db, userId: number, passwordHash: string): Promise<boolean> {
  const r = await sql`UPDATE staff_users SET password_hash = ${passwordHash}, password_changed_at = now(), failed_logins = 0, locked_until = NULL WHERE id = ${userId}`;
  return r.count > 0;
}

/** Only sets a password where none is set (the demo accounts: a password changed since is kept). */
export async function setPasswordHashIfNone(sql: Db, username: string, passwordHash: string): Promise<void> {
  await sql`UPDATE staff_users SET password_hash = ${passwordHash}, password_changed_at = now() WHERE username = ${username} AND password_hash IS NULL`;
}

export async function setStaffActive(sql: Db, userId: number, active: boolean): Promise<boolean> {
  const r = await sql`UPDATE staff_users SET active = ${active}, failed_logins = 0, locked_until = NULL WHERE id = ${userId}`;
  return r.count > 0;
}

/** Counts a wrong password; locks the account for `lockSeconds` once `maxFailures` in a row are reached. Returns the lock's end, if locked. */
export async function recordFailedLogin(sql: Db, userId: number, maxFailures: number, lockSeconds: number): Promise<Date | null> {
  const [r] = await sql<{ lockedUntil: Date | null }[]>`
    UPDATE staff_users SET
      failed_logins = CASE WHEN failed_logins + 1 >= ${maxFailures} THEN 0 ELSE failed_logins + 1 END,
      locked_until = CASE WHEN failed_logins + 1 >= ${maxFailures} THEN now() + make_interval(secs => ${lockSeconds}) ELSE locked_until END
    WHERE id = ${userId} RETURNING locked_until`;
  return r?.lockedUntil && r.lockedUntil > new Date() ? r.lockedUntil : null;
}

export async function recordSuccessfulLogin(sql: Db, userId: number): Promise<void> {
  await sql`UPDATE staff_users SET failed_logins = 0, locked_until = NULL, last_login_at = now(), last_seen_at = now() WHERE id = ${userId}`;
}

/** Active demo accounts (username `demo-…`, which is also their public token and password), centre and leader first. */
export async function listDemoStaff<R extends string>(sql: Db): Promise<{ token: string; displayName: string; role: R; departmentCode: string | null; departmentName: string | null }[]> {
  return sql<{ token: string; displayName: string; role: R; departmentCode: string | null; departmentName: string | null }[]>`
    SELECT u.username AS token, u.display_name, u.role, u.department_code, d.short_name AS department_name
    FROM staff_users u LEFT JOIN departments d ON d.code = u.department_code
    WHERE u.active AND u.username LIKE 'demo-%' ORDER BY (u.role = 'department'), u.username`;
}

// ---- API tokens ----

export interface ApiTokenRow {
  id: number;
  userId: number;
  username: string;
  name: string;
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
}

export async function insertApiToken(
  sql: Db,
  t: { userId: number; name: string; tokenHash: string; scopes: string[]; expiresAt: Date | null; createdBy: string | null },
): Promise<ApiTokenRow> {
  const [row] = await sql<ApiTokenRow[]>`
    WITH t AS (
      INSERT INTO api_tokens (user_id, name, token_hash, scopes, expires_at, created_by)
      VALUES (${t.userId}, ${t.name}, ${t.tokenHash}, ${t.scopes}, ${t.expiresAt}, ${t.createdBy})
      RETURNING id, user_id, name, scopes, expires_at, revoked_at, created_at, created_by, last_used_at)
    SELECT t.*, u.username FROM t JOIN staff_users u ON u.id = t.user_id`;
  return row;
}

/** The user's one token of this name, replaced (the bootstrap and demo tokens: re-keyed when they change). */
export async function replaceNamedApiToken(sql: Db, t: { userId: number; name: string; tokenHash: string; scopes: string[] }): Promise<void> {
  // one statement: the old token is gone the moment the new one is in
  await sql`
    WITH gone AS (DELETE FROM api_tokens WHERE user_id = ${t.userId} AND name = ${t.name} AND token_hash <> ${t.tokenHash})
    INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_by) VALUES (${t.userId}, ${t.name}, ${t.tokenHash}, ${t.scopes}, 'system')
    ON CONFLICT (token_hash) DO UPDATE SET revoked_at = NULL, scopes = EXCLUDED.scopes, user_id = EXCLUDED.user_id`;
}

export async function listApiTokens(sql: Db): Promise<ApiTokenRow[]> {
  return sql<ApiTokenRow[]>`
    SELECT t.id, t.user_id, u.username, t.name, t.scopes, t.expires_at, t.revoked_at, t.created_at, t.created_by, t.last_used_at
    FROM api_tokens t JOIN staff_users u ON u.id = t.user_id ORDER BY t.revoked_at IS NOT NULL, t.created_at DESC, t.id DESC`;
}

export async function revokeApiToken(sql: Db, id: number): Promise<boolean> {
  const r = await sql`UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = ${id}`;
  return r.count > 0;
}

export async function revokeUserApiTokens(sql: Db, userId: number): Promise<void> {
  await sql`UPDATE api_tokens SET revoked_at = now() WHERE user_id = ${userId} AND revoked_at IS NULL`;
}
