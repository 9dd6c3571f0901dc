// F14: reply advice (POST /cases/:id/reply-check) is for who may reply — the owning department —
// and scores the reply against masked message text, so it cannot confirm a guess of a resident's number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp } from './support/app';
import { openTestCase, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
let caseId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  app = testApp(db, queue);
  ({ caseId } = await openTestCase(db.sql, {
    department: 'housing',
    message: { body: '我家楼道漏水三个月了，我的电话是13905531234，身份证340202199001011231，请物业来修。', contactPhone: '13905531234' },
  }));
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

const check = async (token: string, text: string) => {
  const res = await postJson(app, `/api/v1/cases/${caseId}/reply-check`, { text }, { authorization: `Bearer ${token}` });
  return { status: res.status, body: (await res.json()) as { score?: number; relevance?: number } };
};

describe('reply-check', () => {
  it('403 for another department and for a leader; 200 for the owning department', async () => {
    expect((await check(await staffToken(db.sql, 'department', 'urban-mgmt'), '您好，经核实楼道漏水已修复。')).status).toBe(403);
    expect((await check(await staffToken(db.sql, 'leader'), '您好，经核实楼道漏水已修复。')).status).toBe(403);
    expect((await check(await staffToken(db.sql, 'department', 'housing'), '您好，经核实楼道漏水已修复。')).status).toBe(200);
  });

  it('a right and a wrong guess of the hidden digits score the same', async () => {
    const token = await staffToken(db.sql, 'department', 'housing');
    const score = async (guess: string) => (await check(token, `您好，请问您是 ${guess} 吗`)).body.relevance;
    // staff see 139****1234 and 340202********1231: the masked digits must not be testable
    expect(await score('13905531234')).toBe(await score('13988761234'));
    expect(await score('340202199001011231')).toBe(await score('340202198807071231'));
  });
});
