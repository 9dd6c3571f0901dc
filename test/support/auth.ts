// Staff sessions for tests: a password login through the API, or a session made directly (no scrypt
// per request) for tests that need many; both answer the Cookie header and the CSRF token.
import { randomBytes } from 'node:crypto';
import type { createApp } from '../../api/app';
import { csrfTokenFor, SESSION_COOKIE, SESSION_MAX_AGE_S } from '../../core/auth/login';
import { hashToken, type StaffRole } from '../../core/auth/staff';
import type { Sql } from '../../core/db/connect';
import { insertSession } from '../../core/db/sessions';
import { upsertStaffUserRow } from '../../core/db/staff-users';

export interface TestSession {
  cookie: string;
  csrf: string;
  /** headers for a request with the session: the cookie, and the CSRF token unless `csrf: false` */
  headers(opts?: { csrf?: boolean; json?: boolean }): Record<string, string>;
}

function session(token: string): TestSession {
  const cookie = `${SESSION_COOKIE}=${token}`;
  const csrf = csrfTokenFor(token);
  return {
    cookie,
    csrf,
    headers: (o = {}) => ({ cookie, ...(o.csrf === false ? {} : { 'x-csrf-token': csrf }), ...(o.json === false ? {} : { 'content-type': 'application/json' }) }),
  };
}

/** The session cookie a Set-Cookie header sets (value only). */
export function sessionCookieOf(res: Response): string | null {
  const raw = res.headers.get('set-cookie') ?? '';
  return new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(raw)?.[1] || null;
}

/** POST /api/v1/auth/login; throws unless it answers 200. */
export async function loginAs(app: ReturnType<typeof createApp>, name: string, password: string): Promise<TestSession & { csrfFromServer: string }> {
  const res = await app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  if (res.status !== 200) throw new Error(`login ${name}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { csrfToken: string };
  const token = sessionCookieOf(res);
  if (!token) throw new Error('login set no session cookie');
  return { ...session(token), csrfFromServer: body.csrfToken };
}

/** A user (made if new, without a password) and a live session for it, without a login request. */
export async function staffSession(sql: Sql, role: StaffRole, departmentCode: string | null = null): Promise<TestSession & { userId: number; username: string }> {
  const username = `s-${role}-${departmentCode ?? 'x'}-${randomBytes(4).toString('hex')}`;
  const user = await upsertStaffUserRow<StaffRole>(sql, { username, displayName: 'test', role, departmentCode });
  const token = randomBytes(32).toString('base64url');
  await insertSession(sql, { userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + SESSION_MAX_AGE_S * 1000), ip: null, userAgent: null });
  return { ...session(token), userId: user.id, username };
}
