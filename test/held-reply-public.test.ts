// A reply held for 答复审核 has not reached the resident, so no public face shows it: not the board
// (公开留言选登), not Open311's status_notes, whose status stays open until the centre approves it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnCase } from '../core/cases/act-on-case';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp } from './support/app';
import { openTestCase, serviceDeps } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
const clerk = { role: 'department' as const, id: 'clerk', departmentId: 'urban-mgmt' };
const centre = { role: 'centre' as const, id: 'centre' };

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue({ concurrency: 1 });
  app = testApp(db, queue);
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

describe('a held reply on the public faces', () => {
  it('stays off the board and out of Open311 until approved, then both show it', async () => {
    const { caseId, message } = await openTestCase(db.sql, { message: { isPublic: true, body: '鸠江区湾里路路灯不亮已经一周，晚上出行不便，请尽快修复。' } });
    const deps = { ...serviceDeps(db.sql), review: { version: 1 as const, default: 'review' as const, categories: {}, departments: {} } };
    await actOnCase(deps, caseId, { type: 'accept' }, { actor: clerk });
    await actOnCase(deps, caseId, { type: 'reply', text: '待审核的答复草稿：路灯已安排维修。' }, { actor: clerk });

    const board = await (await app.request('/api/v1/board')).text();
    expect(board).not.toContain('待审核的答复草稿');
    const held = await app.request(`/open311/v2/requests/${message.trackingNo}.json?extensions=true`);
    const heldText = await held.text();
    expect(heldText).not.toContain('待审核的答复草稿');
    const [h] = JSON.parse(heldText) as { status: string; status_notes: string | null }[];
    expect(h.status).toBe('open');
    expect(h.status_notes).toBeNull();

    await actOnCase(deps, caseId, { type: 'approveReply' }, { actor: centre });
    expect(await (await app.request('/api/v1/board')).text()).toContain('待审核的答复草稿');
    const [a] = (await (await app.request(`/open311/v2/requests/${message.trackingNo}.json`)).json()) as { status: string; status_notes: string | null }[];
    expect(a.status).toBe('closed');
    expect(a.status_notes).toContain('待审核的答复草稿');
  });
});
