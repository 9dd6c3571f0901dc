// Who may take which action on a case is declared once: the lifecycle's table (TRANSITIONS roles and
// ownerOnly, read through core/auth/permissions' staff-account mapping) and the declarations of
// core/cases/staff-actions.ts. The actions listed with each case and the API's 403s come from that one
// place — change the table and both follow (the dashboard renders the list: test/browser-flow.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseActionSchema, TRANSITIONS, type CaseStatus } from '../core/cases/lifecycle';
import { actionForRoute, describeAction, permit, STAFF_ACTION_ROUTES, STAFF_ACTIONS, type ActionDescription, type StaffAction } from '../core/cases/staff-actions';
import { findStaffByToken } from '../core/auth/staff';
import { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp } from './support/app';
import { openTestCase, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
let tokens: Record<'admin' | 'centre' | 'leader' | 'housing' | 'urban', string>;
let cases: Record<'dispatched' | 'extension' | 'replied' | 'returned', number>;

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
async function act(caseId: number, route: string, token: string, body: unknown) {
  const res = await postJson(app, `/api/v1/cases/${caseId}/${route}`, body, auth(token));
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
async function view(caseId: number, token: string) {
  const res = await app.request(`/api/v1/cases/${caseId}`, { headers: auth(token) });
  return { status: res.status, body: (await res.json()) as { case: { departmentCode: string | null; status: CaseStatus }; actions: ActionDescription[] } };
}
async function listed(caseId: number, token: string): Promise<string[]> {
  const v = await view(caseId, token);
  return v.status === 200 ? v.body.actions.map((a) => a.key) : [];
}

/** A body the declaration accepts, made from the fields it describes (the dashboard's view of it). */
function sampleBody(a: StaffAction): Record<string, unknown> {
  const d = describeAction(a);
  const value = (f: ActionDescription['fields'][number]) =>
    f.widget === 'department' ? 'transport' : f.widget === 'number' || f.widget === 'message' ? (f.minimum ?? 1) : f.widget === 'text' ? 'MS2612010000001' : '请核实处理';
  const body: Record<string, unknown> = { ...d.fixed };
  for (const f of d.fields.filter((x) => x.required)) body[f.name] = value(f);
  // a declaration whose fields are all optional may still need one of them (合并: one target or the other)
  for (const f of d.fields.filter((x) => !x.required)) {
    if (a.parse(body).ok) break;
    body[f.name] = value(f);
  }
  return body;
}

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue(); // no processors: jobs are only recorded
  app = testApp(db, queue);
  tokens = {
    admin: await staffToken(db.sql, 'admin'),
    centre: await staffToken(db.sql, 'centre'),
    leader: await staffToken(db.sql, 'leader'),
    housing: await staffToken(db.sql, 'department', 'housing'),
    urban: await staffToken(db.sql, 'department', 'urban-mgmt'),
  };
  const open = async () => (await openTestCase(db.sql, { department: 'housing' })).caseId;
  cases = { dispatched: await open(), extension: await open(), replied: await open(), returned: await open() };
  const ok = async (id: number, route: string, body: unknown = {}) => expect((await act(id, route, tokens.housing, body)).status).toBe(200);
  await ok(cases.extension, 'accept');
  await ok(cases.extension, 'request-extension', { workingDays: 2, reason: '需协调施工单位' });
  await ok(cases.replied, 'accept');
  await ok(cases.replied, 'reply', { text: '您好，经核实已处理完毕，如有问题请联系 0553-1234567。' });
  await ok(cases.returned, 'return', { reason: '不属于本单位职责' });
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

describe('the actions a user may take come from one table', () => {
  it('lists the actions permitted and possible now; a 403 exactly where the table forbids; the lifecycle refuses the rest', async () => {
    let checked = 0;
    for (const [who, token] of Object.entries(tokens)) {
      const user = (await findStaffByToken(db.sql, token))!;
      for (const [state, caseId] of Object.entries(cases)) {
        const row = (await view(caseId, tokens.centre)).body.case;
        const mine = await listed(caseId, token);
        for (const a of STAFF_ACTIONS) {
          const probeBody = { ...describeAction(a).fixed, version: -1 };
          // a route shared by two actions (派单/改派) means the one the case's status allows
          const meant = actionForRoute(a.route, probeBody, row.status)!;
          const allowed = permit(user, meant, { ownerDepartmentId: row.departmentCode }).ok;
          // an invalid version: a permitted action is refused for its body (400), a forbidden one before (403); nothing changes
          const probe = await act(caseId, a.route, token, probeBody);
          const where = `${who} ${a.key} on the ${state} case`;
          expect(probe.status, where).toBe(allowed ? 400 : 403);
          if (!allowed) expect(mine, where).not.toContain(a.key);
          // permitted but not listed: the state machine refuses it even with a good body
          if (allowed && !mine.includes(a.key) && a.does && meant === a) {
            // (合并 names a real open case, so that only the lifecycle can refuse it)
            const tried = await act(caseId, a.route, token, a.key === 'merge' ? { intoCaseId: cases.dispatched } : sampleBody(a));
            expect(tried.status, `${where}: ${JSON.stringify(tried.body)}`).toBe(409);
          }
          checked++;
        }
      }
    }
    expect(checked).toBe(Object.keys(tokens).length * Object.keys(cases).length * STAFF_ACTIONS.length);
    // and what is listed is what each role is for
    // the lifecycle's transitions first, then the desk work beside it (内部备注, 催办, 指派经办人, 批示)
    expect(await listed(cases.dispatched, tokens.housing)).toEqual(['accept', 'return', 'note', 'assign']);
    expect(await listed(cases.dispatched, tokens.centre)).toEqual(['override', 'merge', 'note', 'urge', 'assign']);
    expect(await listed(cases.extension, tokens.admin)).toEqual(expect.arrayContaining(['approve-extension', 'refuse-extension', 'pause']));
    // a reply not under review (lexicons/review-policy.json) went out at once: it can only be closed, not recalled
    expect(await listed(cases.replied, tokens.centre)).toEqual(['close', 'note', 'assign']);
    expect(await listed(cases.returned, tokens.centre)).toEqual(['dispatch', 'designate', 'merge', 'note']);
    // a leader reads, and gives 批示
    expect(await listed(cases.dispatched, tokens.leader)).toEqual(['instruct']);
    expect((await view(cases.returned, tokens.housing)).status).toBe(403);
  });

  it('changing who may do an action in the lifecycle table changes the list and the 403 together', async () => {
    const pauseRoles = TRANSITIONS.pause.roles;
    const closeRoles = TRANSITIONS.close.roles;
    try {
      expect(await listed(cases.extension, tokens.centre)).toContain('pause');
      TRANSITIONS.pause.roles = pauseRoles.filter((r) => r !== 'centre');
      expect(await listed(cases.extension, tokens.centre)).not.toContain('pause');
      expect((await act(cases.extension, 'pause', tokens.centre, { reason: '等待市民补充' })).status).toBe(403);
      expect(await listed(cases.extension, tokens.housing)).toContain('pause');

      expect(await listed(cases.replied, tokens.housing)).not.toContain('close');
      expect((await act(cases.replied, 'close', tokens.housing, {})).status).toBe(403);
      TRANSITIONS.close.roles = [...closeRoles, 'department'];
      expect(await listed(cases.replied, tokens.housing)).toContain('close');
      expect(await listed(cases.replied, tokens.urban)).toEqual([]); // still only on its own department's cases
      const closed = await act(cases.replied, 'close', tokens.housing, {});
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ status: 'closed', visible: true });
      expect(closed.body.actions.map((a: ActionDescription) => a.key)).toEqual(['note', 'assign']);
    } finally {
      TRANSITIONS.pause.roles = pauseRoles;
      TRANSITIONS.close.roles = closeRoles;
    }
  });

  it('each answer carries the next actions; a department that returned a case is told it is no longer theirs', async () => {
    const { caseId } = await openTestCase(db.sql, { department: 'housing' });
    const accepted = await act(caseId, 'accept', tokens.housing, {});
    expect(accepted.body.visible).toBe(true);
    expect(accepted.body.actions.map((a: ActionDescription) => a.key)).toEqual(await listed(caseId, tokens.housing));
    const returned = await act(caseId, 'return', tokens.housing, { reason: '不属于本单位职责' });
    expect(returned.body).toMatchObject({ status: 'returned', visible: false, actions: [] });
  });
});

describe('staff action declarations', () => {
  const cjk = /[\u4e00-\u9fff]/;
  it('keep the existing routes, label every button and field in Chinese, and map a valid body to their lifecycle action', () => {
    expect(STAFF_ACTION_ROUTES).toEqual(expect.arrayContaining([
      'dispatch', 'designate', 'accept', 'return', 'contact', 'pause', 'resume', 'request-extension', 'decide-extension', 'reply', 'reject-reply', 'close', 'merge', 'split',
    ]));
    expect(new Set(STAFF_ACTIONS.map((a) => a.key)).size).toBe(STAFF_ACTIONS.length);
    for (const a of STAFF_ACTIONS) {
      const d = describeAction(a);
      expect(d.label, a.key).toMatch(cjk);
      for (const f of d.fields) expect(f.label, `${a.key}.${f.name}`).toMatch(cjk);
      const parsed = a.parse(sampleBody(a));
      expect(parsed.ok, a.key).toBe(true);
      if (!parsed.ok) continue;
      if (parsed.request.kind === 'transition') {
        expect(parsed.request.action.type, a.key).toBe(a.does);
        expect(caseActionSchema.safeParse(parsed.request.action).success, a.key).toBe(true);
      } else expect(parsed.request.kind === 'merge' ? 'merge' : null, a.key).toBe(a.does);
      // a bad body is refused with a Chinese message per field
      const bad = a.parse({ ...d.fixed, ...Object.fromEntries(d.fields.map((f) => [f.name, f.widget === 'number' || f.widget === 'message' ? 'x' : 7])) });
      if (d.fields.length) {
        expect(bad.ok, a.key).toBe(false);
        if (!bad.ok) for (const issue of bad.error.issues) expect(issue.message, `${a.key} ${issue.path.join('.')}`).toMatch(cjk);
      }
    }
  });

  it('never leave a route ambiguous: actions sharing a route differ in their fixed values or in the statuses they start from', () => {
    for (const route of STAFF_ACTION_ROUTES) {
      const same = STAFF_ACTIONS.filter((a) => a.route === route);
      for (const a of same) {
        for (const b of same) {
          if (a === b) continue;
          const fa = describeAction(a).fixed;
          const fb = describeAction(b).fixed;
          const fixedDiffer = Object.keys({ ...fa, ...fb }).some((k) => fa[k] !== fb[k]);
          const fromA = a.does ? TRANSITIONS[a.does].from : [];
          const fromB = b.does ? TRANSITIONS[b.does].from : [];
          expect(fixedDiffer || !fromA.some((s) => fromB.includes(s)), `${a.key} / ${b.key}`).toBe(true);
        }
      }
    }
  });
});
