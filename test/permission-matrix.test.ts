// Every route of the app × every kind of caller, with a bearer token and with a session cookie:
// the outcome must be the one test/permission-matrix.table.ts designs. A route the app has and the
// table does not (or the other way round) fails the test: a new route needs its line in the table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, createStaffAccount, type StaffRole } from '../core/auth/staff';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp, testConfig } from './support/app';
import { staffSession, type TestSession } from './support/auth';
import { attachMessage, openTestCase, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';
import { CALLERS, MATRIX, type Caller, type MatrixContext, type Outcome, type Probe } from './permission-matrix.table';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
let ctx: MatrixContext;

const ROLE_OF: Record<Exclude<Caller, 'anon'>, [StaffRole, string | null]> = {
  admin: ['admin', null],
  centre: ['centre', null],
  deptOwn: ['department', 'urban-mgmt'],
  deptOther: ['department', 'housing'],
  leader: ['leader', null],
};
const tokens = {} as Record<Exclude<Caller, 'anon'>, string>;
const sessions = {} as Record<Exclude<Caller, 'anon'>, TestSession>;

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  // the webhooks configured, so they answer to their signatures (not 503 "not configured")
  app = testApp(db, queue, testConfig({ WECHAT_TOKEN: 'matrix-wechat-token', HOTLINE_WEBHOOK_SECRET: 'matrix-hotline-secret-0123456789' }));
  const { caseId, message } = await openTestCase(db.sql, { department: 'urban-mgmt' });
  await attachMessage(db.sql, caseId, { channel: 'hotline' });
  const spare = await createStaffAccount(db.sql, { username: 'spare-user', role: 'leader', password: 'spare password' });
  const { row } = await createApiToken(db.sql, { username: 'spare-user', name: 'spare', scopes: ['read'], expiresAt: null, createdBy: null });
  ctx = { caseId, trackingNo: message.trackingNo, queryCode: message.queryCode, spareUserId: spare.id, spareTokenId: row.id };
  for (const [who, [role, dept]] of Object.entries(ROLE_OF) as [Exclude<Caller, 'anon'>, [StaffRole, string | null]][]) {
    tokens[who] = await staffToken(db.sql, role, dept);
    sessions[who] = await staffSession(db.sql, role, dept);
  }
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

function outcomeOf(status: number): Outcome | `unexpected ${number}` {
  if (status === 401 || status === 403 || status === 404) return status;
  return status < 500 ? 'ok' : `unexpected ${status}`;
}

async function run(method: string, probe: Probe, who: Caller, via: 'token' | 'session'): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  if (who !== 'anon') {
    if (via === 'token') headers.authorization = `Bearer ${tokens[who]}`;
    else {
      const s = probe.endsSession ? await staffSession(db.sql, ...ROLE_OF[who]) : sessions[who];
      Object.assign(headers, s.headers({ json: false }));
    }
  }
  const body = probe.body?.(ctx);
  const init: RequestInit = { method: method === 'ALL' ? 'GET' : method, headers };
  if (body !== undefined) {
    if (body instanceof URLSearchParams) headers['content-type'] = 'application/x-www-form-urlencoded';
    else headers['content-type'] = typeof body === 'string' ? 'text/xml' : 'application/json';
    init.body = body instanceof URLSearchParams || typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await app.request(probe.path(ctx), init);
  return { status: res.status, text: (await res.text()).slice(0, 160) };
}

describe('permission matrix', () => {
  it('has an entry for every route of the app, and none for a route that is gone', () => {
    const routes = [...new Set(app.routes.map((r) => `${r.method} ${r.path}`))];
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => !(r in MATRIX)), 'routes without an entry in test/permission-matrix.table.ts').toEqual([]);
    expect(Object.keys(MATRIX).filter((k) => !routes.includes(k)), 'entries for routes the app no longer has').toEqual([]);
  });

  it('answers every route as designed for every caller, by token and by session', { timeout: 300_000 }, async () => {
    const wrong: string[] = [];
    let requests = 0;
    for (const [key, entry] of Object.entries(MATRIX)) {
      if (entry === 'middleware') continue;
      const method = key.split(' ')[0];
      for (const probe of entry) {
        for (const who of CALLERS) {
          for (const via of who === 'anon' ? (['token'] as const) : (['token', 'session'] as const)) {
            const { status, text } = await run(method, probe, who, via);
            requests++;
            const got = outcomeOf(status);
            if (got !== probe.expect[who]) wrong.push(`${key}${probe.label ? ` [${probe.label}]` : ''} as ${who} by ${via}: expected ${probe.expect[who]}, got ${status} ${text}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(requests).toBeGreaterThan(300);
    // the probes changed nothing that matters to the others: the case is still urban-mgmt's
    const [c] = await db.sql<{ departmentCode: string }[]>`SELECT department_code FROM cases WHERE id = ${ctx.caseId}`;
    expect(c.departmentCode).toBe('urban-mgmt');
  });
});
