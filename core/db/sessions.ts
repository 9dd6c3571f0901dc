// Staff browser sessions: only the sha256 of the cookie's value is stored; expiry and idle timeout
// are checked in the lookup itself.
import type { Db } from './connect';
import type { StaffUserRow } from './staff-users';

export async function insertSession(
  sql: Db,
  s: { userId: number; tokenHash: string; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<{ id: number }> {
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO staff_sessions (user_id, token_hash, expires_at, ip, user_agent)
    VALUES (${s.userId}, ${s.tokenHash}, ${s.expiresAt}, ${s.ip}, ${s.userAgent ? s.userAgent.slice(0, 300) : null})
    RETURNING id`;
  return row;
}

/**
 * The live session with this hash (not revoked, not expired, seen within `idleSeconds`) and its
 * active user; its last_seen_at moves to now.
 */
export async function touchSession<R extends string>(sql: Db, tokenHash: string, idleSeconds: number): Promise<(StaffUserRow<R> & { sessionId: number }) | undefined> {
  const [row] = await sql<(StaffUserRow<R> & { sessionId: number })[]>`
    WITH s AS (
      UPDATE staff_sessions SET last_seen_at = now()
      WHERE token_hash = ${tokenHash} AND revoked_at IS NULL AND expires_at > now()
        AND last_seen_at > now() - make_interval(secs => ${idleSeconds})
      RETURNING id, user_id)
    SELECT u.id, u.username, u.display_name, u.role, u.department_code, s.id AS session_id
    FROM s JOIN staff_users u ON u.id = s.user_id WHERE u.active`;
  return row;
}

export async function revokeSession(sql: Db, id: number): Promise<void> {
  await sql`UPDATE staff_sessions SET revoked_at = COALESCE(revoked_at, now()) WHERE id = ${id}`;
}

/** Ends every session of the user (a password change keeps `exceptId`, the session that made it). */
export async function revokeUserSessions(sql: Db, userId: number, exceptId?: number): Promise<void> {
  await sql`UPDATE staff_sessions SET revoked_at = now() WHERE user_id = ${userId} AND revoked_at IS NULL AND id <> ${exceptId ?? 0}`;
}

/** Forgets the user's sessions that ended more than 30 days ago (run at each login, so the table stays the size of its live sessions). */
export async function purgeEndedSessions(sql: Db, userId: number): Promise<void> {
  await sql`DELETE FROM staff_sessions WHERE user_id = ${userId} AND (expires_at < now() - interval '30 days' OR revoked_at < now() - interval '30 days')`;
}
