// Leaders' 批示 on a 舆情 topic: every department with a case of the topic must answer; the instruction
// is listed on the topic and in each department's list until that department answered; only leaders
// give one, only the departments asked answer, once; bad bodies answer 400 in Chinese, per field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopic } from '../core/db/topics';
import { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp } from './support/app';
import { openTestCase, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
let leader: string;
let centre: string;
let urban: string;
let housing: string;
let police: string;
let topicId: number;

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
async function get(path: string, token: string) {
  const res = await app.request(path, { headers: auth(token) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
async function post(path: string, token: string, body: unknown) {
  const res = await postJson(app, path, body, auth(token));
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function topicWith(departments: (string | null)[]): Promise<number> {
  const id = await createTopic(db.sql, { district: '镜湖区', firstAt: new Date() });
  await db.sql`UPDATE opinion_topics SET label = '赭山路路灯不亮' WHERE id = ${id}`;
  for (const department of departments) {
    const { caseId, message } = await openTestCase(db.sql, { department });
    await db.sql`
      INSERT INTO opinion_topic_members (message_id, topic_id, case_id, received_at, channel, district, is_public, terms)
      VALUES (${message.id}, ${id}, ${caseId}, now(), 'portal', '镜湖区', true, '{}'::jsonb)`;
  }
  return id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  app = testApp(db, queue);
  leader = await staffToken(db.sql, 'leader');
  centre = await staffToken(db.sql, 'centre');
  urban = await staffToken(db.sql, 'department', 'urban-mgmt');
  housing = await staffToken(db.sql, 'department', 'housing');
  police = await staffToken(db.sql, 'department', 'police');
  // two cases of urban-mgmt, one of housing, one nobody has yet (待派单)
  topicId = await topicWith(['urban-mgmt', 'urban-mgmt', 'housing', null]);
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

describe('批示 on a topic', () => {
  it('goes to every department with a case of the topic, stays listed until each answered, once', async () => {
    const made = await post(`/api/v1/topics/${topicId}/instructions`, leader, { text: '请相关单位联合排查，三日内报结果。' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ topicId, topicLabel: '赭山路路灯不亮', body: '请相关单位联合排查，三日内报结果。' });
    const depts = made.body.departments as { departmentCode: string; cases: unknown[]; answeredAt: string | null }[];
    expect(depts.map((d) => d.departmentCode)).toEqual(['housing', 'urban-mgmt']);
    expect(depts.find((d) => d.departmentCode === 'urban-mgmt')!.cases).toHaveLength(2);
    const id = made.body.id as number;

    // each department asked sees it in its list; one not asked does not
    expect((await get('/api/v1/topics/instructions', urban)).body.items.map((i: { id: number }) => i.id)).toContain(id);
    expect((await get('/api/v1/topics/instructions', housing)).body.items.map((i: { id: number }) => i.id)).toContain(id);
    expect((await get('/api/v1/topics/instructions', police)).body.items).toEqual([]);

    // the answers: the department asked, once; another is refused
    expect((await post(`/api/v1/topics/instructions/${id}/answer`, police, { text: '收到' })).status).toBe(403);
    const answered = await post(`/api/v1/topics/instructions/${id}/answer`, urban, { text: '已组织排查，更换灯具12处。' });
    expect(answered.status).toBe(200);
    expect(answered.body.departments.find((d: { departmentCode: string }) => d.departmentCode === 'urban-mgmt')).toMatchObject({ answer: '已组织排查，更换灯具12处。' });
    const again = await post(`/api/v1/topics/instructions/${id}/answer`, urban, { text: '再答一次' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('已答复');

    // answered: off urban-mgmt's list, still on housing's and on the topic (open for the centre)
    expect((await get('/api/v1/topics/instructions', urban)).body.items.map((i: { id: number }) => i.id)).not.toContain(id);
    expect((await get('/api/v1/topics/instructions', housing)).body.items.map((i: { id: number }) => i.id)).toContain(id);
    expect((await get('/api/v1/topics/instructions', centre)).body.items.map((i: { id: number }) => i.id)).toContain(id);
    const onTopic = await get(`/api/v1/topics/${topicId}/instructions`, centre);
    expect(onTopic.body.items[0].departments.map((d: { answeredAt: string | null }) => d.answeredAt !== null)).toEqual([false, true]);

    // the last answer closes it everywhere
    expect((await post(`/api/v1/topics/instructions/${id}/answer`, housing, { text: '已核查小区内路灯。' })).status).toBe(200);
    expect((await get('/api/v1/topics/instructions', centre)).body.items.map((i: { id: number }) => i.id)).not.toContain(id);
    expect((await get('/api/v1/topics/instructions?open=false', centre)).body.items.map((i: { id: number }) => i.id)).toContain(id);
  });

  it('only leaders give one; a body that does not fit says what to fix, in Chinese', async () => {
    expect((await post(`/api/v1/topics/${topicId}/instructions`, centre, { text: '请处理' })).status).toBe(403);
    const empty = await post(`/api/v1/topics/${topicId}/instructions`, leader, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('提交的内容有误：请填写批示内容');
    expect(empty.body.error.details).toEqual([{ field: 'text', message: '请填写批示内容' }]);
    const long = await post(`/api/v1/topics/${topicId}/instructions`, leader, { text: '批'.repeat(2001) });
    expect(long.body.error.message).toContain('批示内容最多 2000 字');
    expect((await post('/api/v1/topics/999999999/instructions', leader, { text: '请处理' })).status).toBe(404);
  });

  it('a topic none of whose cases has a department cannot be instructed yet (409, in Chinese)', async () => {
    const waiting = await topicWith([null]);
    const r = await post(`/api/v1/topics/${waiting}/instructions`, leader, { text: '请尽快派单' });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/尚未派给任何承办单位/);
  });
});
