// Password login, the session cookie's attributes, CSRF on state changes, lock-out, logout, password
// change, idle and absolute expiry, and scoped, expiring, revocable API tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCKOUT } from '../core/auth/login';
import { createStaffAccount } from '../core/auth/staff';
import { InProcessQueue } from '../core/queue/in-process';
import { LOGIN_LIMITS } from '../api/routes/auth/index';
import { testApp, testConfig } from './support/app';
import { loginAs, sessionCookieOf } from './support/auth';
import { openTestCase, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
const json = (body: unknown, headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const login = (name: string, password: string, headers: Record<string, string> = {}) => app.request('/api/v1/auth/login', json({ name, password }, headers));

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  app = testApp(db, queue);
  await createStaffAccount(db.sql, { username: 'wang.centre', displayName: '王主任', role: 'centre', password: 'correct horse 1' });
  await createStaffAccount(db.sql, { username: 'li.urban', role: 'department', departmentCode: 'urban-mgmt', password: 'correct horse 2' });
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

describe('password login and the session cookie', () => {
  it('refuses a wrong password or name with one message, and sets an HttpOnly SameSite=Strict cookie on success', async () => {
    const wrong = await login('wang.centre', 'wrong password');
    expect(wrong.status).toBe(401);
    const unknown = await login('nobody-here', 'correct horse 1');
    expect(unknown.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe(((await unknown.json()) as { error: { message: string } }).error.message);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const bad = await app.request('/api/v1/auth/login', json({ name: '' }));
    expect(bad.status).toBe(400);
    const fields = ((await bad.json()) as { error: { details: { field: string; message: string }[] } }).error.details;
    expect(fields.map((f) => f.field).sort()).toEqual(['name', 'password']);
    expect(fields.find((f) => f.field === 'password')!.message).toMatch(/密码/);

    const ok = await login('wang.centre', 'correct horse 1');
    expect(ok.status).toBe(200);
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^minsheng_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // plain http (the embedded default on 127.0.0.1)
    const body = (await ok.json()) as { user: { username: string; role: string; areas: string[] }; csrfToken: string };
    expect(body.user).toMatchObject({ username: 'wang.centre', role: 'centre' });
    expect(body.user.areas).toContain('triage');
    // the session is stored only as its hash
    const token = sessionCookieOf(ok)!;
    const stored = await db.sql<{ tokenHash: string }[]>`SELECT token_hash FROM staff_sessions`;
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.some((s) => s.tokenHash === token)).toBe(false);

    const me = await app.request('/api/v1/auth/me', { headers: { cookie: `minsheng_session=${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { username: 'wang.centre' }, via: 'session', csrfToken: body.csrfToken });
    const s = (await (await app.request('/api/v1/session', { headers: { cookie: `minsheng_session=${token}` } })).json()) as { user: { username: string }; csrfToken: string };
    expect(s.user.username).toBe('wang.centre');
    expect(s.csrfToken).toBe(body.csrfToken);
    expect((await app.request('/api/v1/auth/me')).status).toBe(401);
  });

  it('marks the cookie Secure over TLS: https itself, or X-Forwarded-Proto https from a trusted proxy only', async () => {
    const https = await app.request('https://minsheng.example/api/v1/auth/login', json({ name: 'wang.centre', password: 'correct horse 1' }));
    expect(https.headers.get('set-cookie')).toMatch(/; Secure/);
    const untrusted = await login('wang.centre', 'correct horse 1', { 'x-forwarded-proto': 'https' });
    expect(untrusted.headers.get('set-cookie')).not.toMatch(/Secure/);
    const proxied = testApp(db, queue, testConfig({ TRUST_PROXY: '1' }));
    const behind = await proxied.request('/api/v1/auth/login', json({ name: 'wang.centre', password: 'correct horse 1' }, { 'x-forwarded-proto': 'https' }));
    expect(behind.status).toBe(200);
    expect(behind.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('needs X-CSRF-Token on every state change made with the cookie, not with a bearer token', async () => {
    const { caseId } = await openTestCase(db.sql, { department: 'urban-mgmt' });
    const dept = await loginAs(app, 'li.urban', 'correct horse 2');
    expect(dept.csrfFromServer).toBe(dept.csrf);
    // reads need no token
    expect((await app.request(`/api/v1/cases/${caseId}`, { headers: { cookie: dept.cookie } })).status).toBe(200);
    const noToken = await app.request(`/api/v1/cases/${caseId}/accept`, { method: 'POST', headers: dept.headers({ csrf: false }), body: '{}' });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { error: { details: { reason: string } } }).error.details.reason).toBe('csrf');
    const wrongToken = await app.request(`/api/v1/cases/${caseId}/accept`, { method: 'POST', headers: { ...dept.headers({ csrf: false }), 'x-csrf-token': 'x'.repeat(43) }, body: '{}' });
    expect(wrongToken.status).toBe(403);
    // another session's token is no good either
    const other = await loginAs(app, 'li.urban', 'correct horse 2');
    expect((await app.request(`/api/v1/cases/${caseId}/accept`, { method: 'POST', headers: { ...dept.headers({ csrf: false }), 'x-csrf-token': other.csrf }, body: '{}' })).status).toBe(403);
    const [state] = await db.sql<{ status: string }[]>`SELECT status FROM cases WHERE id = ${caseId}`;
    expect(state.status).toBe('dispatched'); // nothing happened
    const ok = await app.request(`/api/v1/cases/${caseId}/accept`, { method: 'POST', headers: dept.headers(), body: '{}' });
    expect(ok.status).toBe(200);
    // bearer requests carry no ambient authority: no CSRF token needed
    const { caseId: second } = await openTestCase(db.sql, { department: 'urban-mgmt' });
    const token = await staffToken(db.sql, 'department', 'urban-mgmt');
    expect((await app.request(`/api/v1/cases/${second}/accept`, json({}, { authorization: `Bearer ${token}` }))).status).toBe(200);
    // logout is a state change too
    expect((await app.request('/api/v1/auth/logout', { method: 'POST', headers: other.headers({ csrf: false }) })).status).toBe(403);
  });

  it('locks an account after five wrong passwords in a row; an admin reset opens it', async () => {
    await createStaffAccount(db.sql, { username: 'zhao.locked', role: 'leader', password: 'the right one' });
    for (let i = 1; i < LOCKOUT.maxFailures; i++) expect((await login('zhao.locked', `wrong ${i}`)).status).toBe(401);
    const locked = await login('zhao.locked', 'wrong again');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(LOCKOUT.lockSeconds - 60);
    // while locked, even the right password is refused
    expect((await login('zhao.locked', 'the right one')).status).toBe(429);
    const failed = await db.sql<{ action: string }[]>`SELECT action FROM audit_log WHERE actor = 'zhao.locked'`;
    expect(failed.filter((f) => f.action === 'auth.login-failed')).toHaveLength(LOCKOUT.maxFailures + 1);

    const adminToken = await staffToken(db.sql, 'admin');
    const [{ id }] = await db.sql<{ id: number }[]>`SELECT id FROM staff_users WHERE username = 'zhao.locked'`;
    const reset = await app.request(`/api/v1/admin/users/${id}/reset-password`, json({}, { authorization: `Bearer ${adminToken}` }));
    expect(reset.status).toBe(200);
    const { password } = (await reset.json()) as { password: string };
    expect(password).toHaveLength(16);
    expect((await login('zhao.locked', 'the right one')).status).toBe(401);
    expect((await login('zhao.locked', password)).status).toBe(200);
  });

  it('limits failed logins per name even for names that do not exist', async () => {
    for (let i = 0; i < LOGIN_LIMITS.perName; i++) expect((await login('ghost', `guess ${i}`)).status).toBe(401);
    const res = await login('ghost', 'one more');
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('logs out, changes a password (ending the other sessions) and expires idle and old sessions', async () => {
    await createStaffAccount(db.sql, { username: 'sun.leader', role: 'leader', password: 'first password' });
    const a = await loginAs(app, 'sun.leader', 'first password');
    const b = await loginAs(app, 'sun.leader', 'first password');
    const wrongCurrent = await app.request('/api/v1/auth/password', { method: 'POST', headers: a.headers(), body: JSON.stringify({ currentPassword: 'nope', newPassword: 'second password' }) });
    expect(wrongCurrent.status).toBe(400);
    const tooShort = await app.request('/api/v1/auth/password', { method: 'POST', headers: a.headers(), body: JSON.stringify({ currentPassword: 'first password', newPassword: 'short' }) });
    expect(tooShort.status).toBe(400);
    expect(((await tooShort.json()) as { error: { details: { field: string }[] } }).error.details[0].field).toBe('newPassword');
    const changed = await app.request('/api/v1/auth/password', { method: 'POST', headers: a.headers(), body: JSON.stringify({ currentPassword: 'first password', newPassword: 'second password' }) });
    expect(changed.status).toBe(200);
    expect((await app.request('/api/v1/auth/me', { headers: { cookie: a.cookie } })).status).toBe(200);
    expect((await app.request('/api/v1/auth/me', { headers: { cookie: b.cookie } })).status).toBe(401);
    expect((await login('sun.leader', 'first password')).status).toBe(401);

    const out = await app.request('/api/v1/auth/logout', { method: 'POST', headers: a.headers() });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/minsheng_session=;.*Max-Age=0/);
    expect((await app.request('/api/v1/auth/me', { headers: { cookie: a.cookie } })).status).toBe(401);
    // a stale cookie on the public session endpoint: anonymous, and the cookie is cleared
    const anon = await app.request('/api/v1/session', { headers: { cookie: a.cookie } });
    expect(((await anon.json()) as { user: unknown }).user).toBeNull();
    expect(anon.headers.get('set-cookie')).toMatch(/Max-Age=0/);

    const idle = await loginAs(app, 'sun.leader', 'second password');
    await db.sql`UPDATE staff_sessions SET last_seen_at = now() - interval '3 hours' WHERE revoked_at IS NULL AND user_id = (SELECT id FROM staff_users WHERE username = 'sun.leader')`;
    expect((await app.request('/api/v1/auth/me', { headers: { cookie: idle.cookie } })).status).toBe(401);
    const old = await loginAs(app, 'sun.leader', 'second password');
    await db.sql`UPDATE staff_sessions SET expires_at = now() - interval '1 second' WHERE revoked_at IS NULL AND user_id = (SELECT id FROM staff_users WHERE username = 'sun.leader')`;
    expect((await app.request('/api/v1/auth/me', { headers: { cookie: old.cookie } })).status).toBe(401);
  });

  it('ends the sessions of a disabled account at once', async () => {
    await createStaffAccount(db.sql, { username: 'qian.gone', role: 'centre', password: 'soon disabled' });
    const s = await loginAs(app, 'qian.gone', 'soon disabled');
    const admin = await staffToken(db.sql, 'admin');
    const [{ id }] = await db.sql<{ id: number }[]>`SELECT id FROM staff_users WHERE username = 'qian.gone'`;
    expect((await app.request(`/api/v1/admin/users/${id}/disable`, json({}, { authorization: `Bearer ${admin}` }))).status).toBe(200);
    expect((await app.request('/api/v1/auth/me', { headers: { cookie: s.cookie } })).status).toBe(401);
    expect((await login('qian.gone', 'soon disabled')).status).toBe(401);
  });
});

describe('API tokens for integrations', () => {
  it('are shown once, stored hashed, limited to their scopes, expire and can be revoked', async () => {
    const admin = { authorization: `Bearer ${await staffToken(db.sql, 'admin')}` };
    const { caseId } = await openTestCase(db.sql, { department: 'urban-mgmt' });
    const made = await app.request('/api/v1/admin/tokens', json({ user: 'wang.centre', name: '大屏只读', scopes: ['read'], expiresInDays: 30 }, admin));
    expect(made.status).toBe(201);
    const { token, item } = (await made.json()) as { token: string; item: { id: number; scopes: string[]; expiresAt: string } };
    expect(item.scopes).toEqual(['read']);
    expect(new Date(item.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const listed = JSON.stringify(await (await app.request('/api/v1/admin/tokens', { headers: admin })).json());
    expect(listed).not.toContain(token);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await app.request(`/api/v1/cases/${caseId}`, { headers: bearer })).status).toBe(200);
    const write = await app.request(`/api/v1/cases/${caseId}/pause`, json({ reason: '缺少材料' }, bearer));
    expect(write.status).toBe(403);
    expect(((await write.json()) as { error: { details: { reason: string } } }).error.details.reason).toBe('scope');
    // an admin's token without the admin scope does not open the admin area
    const limited = await app.request('/api/v1/admin/tokens', json({ user: 'admin-x', name: 'x' }, admin));
    expect(limited.status).toBe(404); // no such user
    const [adm] = await db.sql<{ username: string }[]>`SELECT username FROM staff_users WHERE role = 'admin' LIMIT 1`;
    const adminRead = (await (await app.request('/api/v1/admin/tokens', json({ user: adm.username, name: 'read only', scopes: ['read', 'write'] }, admin))).json()) as { token: string };
    expect((await app.request('/api/v1/admin/users', { headers: { authorization: `Bearer ${adminRead.token}` } })).status).toBe(403);

    expect((await app.request(`/api/v1/admin/tokens/${item.id}/revoke`, json({}, admin))).status).toBe(200);
    expect((await app.request(`/api/v1/cases/${caseId}`, { headers: bearer })).status).toBe(401);
    const soon = (await (await app.request('/api/v1/admin/tokens', json({ user: 'wang.centre', name: 'short', scopes: ['read'], expiresInDays: 1 }, admin))).json()) as { token: string; item: { id: number } };
    await db.sql`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = ${soon.item.id}`;
    expect((await app.request(`/api/v1/cases/${caseId}`, { headers: { authorization: `Bearer ${soon.token}` } })).status).toBe(401);
    const badScope = await app.request('/api/v1/admin/tokens', json({ user: 'wang.centre', name: 'x', scopes: ['everything'] }, admin));
    expect(badScope.status).toBe(400);
  });
});
