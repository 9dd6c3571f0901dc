// Password login and browser sessions. The cookie holds a random token whose sha256 is the stored
// session; the CSRF token is derived from the session token (HMAC), so it needs no storage, cannot
// be guessed without the HttpOnly cookie, and dies with the session.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/connect';
import { insertSession, purgeEndedSessions, revokeSession, touchSession } from '../db/sessions';
import { getStaffUserByName, recordFailedLogin, recordSuccessfulLogin } from '../db/staff-users';
import { dummyHash, verifyPassword } from './passwords';
import { hashToken, type StaffRole, type StaffUser } from './staff';

export const SESSION_COOKIE = 'minsheng_session';
/** a session ends 12 hours after login, or after 2 hours without a request */
export const SESSION_MAX_AGE_S = 12 * 3600;
export const SESSION_IDLE_S = 2 * 3600;
/** wrong passwords in a row that lock an account, and for how long */
export const LOCKOUT = { maxFailures: 5, lockSeconds: 15 * 60 };

export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', 'minsheng-csrf-v1').update(sessionToken).digest('base64url');
}

export function csrfMatches(sessionToken: string, header: string | undefined): boolean {
  if (!header) return false;
  const a = Buffer.from(csrfTokenFor(sessionToken));
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type LoginResult =
  | { ok: true; user: StaffUser; sessionToken: string; sessionId: number; csrfToken: string; expiresAt: Date }
  | { ok: false; reason: 'bad_credentials'; userKnown: boolean }
  | { ok: false; reason: 'locked'; retryAfterS: number };

export async function loginWithPassword(sql: Db, name: string, password: string, meta: { ip: string | null; userAgent: string | null }): Promise<LoginResult> {
  const u = await getStaffUserByName<StaffRole>(sql, name);
  if (!u || !u.active || !u.passwordHash) {
    await verifyPassword(password, await dummyHash()); // the same time as a known name
    return { ok: false, reason: 'bad_credentials', userKnown: false };
  }
  const now = Date.now();
  if (u.lockedUntil && u.lockedUntil.getTime() > now) return { ok: false, reason: 'locked', retryAfterS: Math.ceil((u.lockedUntil.getTime() - now) / 1000) };
  if (!(await verifyPassword(password, u.passwordHash))) {
    const locked = await recordFailedLogin(sql, u.id, LOCKOUT.maxFailures, LOCKOUT.lockSeconds);
    if (locked) return { ok: false, reason: 'locked', retryAfterS: Math.ceil((locked.getTime() - Date.now()) / 1000) };
    return { ok: false, reason: 'bad_credentials', userKnown: true };
  }
  await recordSuccessfulLogin(sql, u.id);
  await purgeEndedSessions(sql, u.id);
  const sessionToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now + SESSION_MAX_AGE_S * 1000);
  const { id } = await insertSession(sql, { userId: u.id, tokenHash: hashToken(sessionToken), expiresAt, ip: meta.ip, userAgent: meta.userAgent });
  const user: StaffUser = { id: u.id, username: u.username, displayName: u.displayName, role: u.role, departmentCode: u.departmentCode };
  return { ok: true, user, sessionToken, sessionId: id, csrfToken: csrfTokenFor(sessionToken), expiresAt };
}

/** The live session's user (expired, idle, revoked or a disabled user: undefined). */
export async function sessionUser(sql: Db, sessionToken: string): Promise<(StaffUser & { sessionId: number }) | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(sessionToken)) return undefined;
  return touchSession<StaffRole>(sql, hashToken(sessionToken), SESSION_IDLE_S);
}

export function endSession(sql: Db, sessionId: number): Promise<void> {
  return revokeSession(sql, sessionId);
}
