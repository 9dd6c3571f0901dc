// 知识库 entries are read by every staff account and go into other residents' replies: personal data a
// clerk typed (mobile number, ID card, a name) is masked when an entry is saved — POST, PUT and from-case —
// and the response says how much was masked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskEntryPii } from '../core/kb/knowledge-base';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp } from './support/app';
import { openTestCase, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
let centre: string;
let urban: string;

async function req(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await app.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  app = testApp(db, queue);
  centre = await staffToken(db.sql, 'centre');
  urban = await staffToken(db.sql, 'department', 'urban-mgmt');
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

const MOBILE = '13812345678';
const ID_CARD = '11010519491231002X';

describe('personal data is masked when an entry is saved', () => {
  it('maskEntryPii masks mobiles, ID cards and names; keeps an office landline in the answer', () => {
    const r = maskEntryPii({ question: `我叫张伟，电话 ${MOBILE}，公租房怎么申请？`, answer: `请携带身份证（如 ${ID_CARD}）到窗口办理，咨询电话 0553-1234567。` });
    expect(r.masked).toBe(3);
    expect(r.maskedKinds.sort()).toEqual(['id_card', 'mobile', 'name']);
    expect(r.fields.question).not.toContain(MOBILE);
    expect(r.fields.question).not.toContain('张伟');
    expect(r.fields.question).toContain('公租房怎么申请');
    expect(r.fields.answer).not.toContain(ID_CARD);
    expect(r.fields.answer).toContain('0553-1234567');
    const clean = maskEntryPii({ question: '路灯不亮找哪个部门报修？', answer: '您好！可拨打 12345 报修。' });
    expect(clean).toMatchObject({ masked: 0, maskedKinds: [], fields: { question: '路灯不亮找哪个部门报修？', answer: '您好！可拨打 12345 报修。' } });
  });

  it('POST and PUT store the masked text and say how much was masked', async () => {
    const made = await req('POST', '/api/v1/kb/entries', centre, { question: `居民 ${MOBILE} 问：垃圾分类怎么投放？`, answer: '您好！按可回收物、有害垃圾、厨余垃圾、其他垃圾分类投放。' });
    expect(made.status).toBe(201);
    expect(made.body.masked).toBe(1);
    expect(made.body.maskedKinds).toEqual(['mobile']);
    expect(made.body.question).not.toContain(MOBILE);
    const [row] = await db.sql<{ question: string }[]>`SELECT question FROM kb_entries WHERE id = ${made.body.id}`;
    expect(row.question).not.toContain(MOBILE);
    expect((await req('GET', `/api/v1/kb/entries/${made.body.id}`, centre)).body.question).toBe(made.body.question);

    const put = await req('PUT', `/api/v1/kb/entries/${made.body.id}`, centre, { question: '垃圾分类怎么投放？', answer: `您好！详情可咨询，身份证号 ${ID_CARD} 的居民已登记。` });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ masked: 1, maskedKinds: ['id_card'], question: '垃圾分类怎么投放？' });
    expect(put.body.answer).not.toContain(ID_CARD);
    const again = await req('PUT', `/api/v1/kb/entries/${made.body.id}`, centre, { question: '垃圾分类怎么投放？', answer: '您好！按四类分类投放。' });
    expect(again.body.masked).toBe(0);
  });

  it('from-case masks what the sent reply carried', async () => {
    const { caseId } = await openTestCase(db.sql, { classification: { requestType: '咨询' }, message: { body: '请问路灯坏了多久能修好？', contactName: '王先生' } });
    expect((await req('POST', `/api/v1/cases/${caseId}/accept`, urban, {})).status).toBe(200);
    expect((await req('POST', `/api/v1/cases/${caseId}/reply`, urban, { text: `王先生：您好！路灯已安排维修，维修人员手机 ${MOBILE}。` })).status).toBe(200);
    const saved = await req('POST', `/api/v1/kb/entries/from-case/${caseId}`, urban, {});
    expect(saved.status).toBe(201);
    expect(saved.body.masked).toBe(1);
    expect(saved.body.answer).not.toContain(MOBILE);
    expect(saved.body.answer).toContain('{居民称呼}');
  });

  it('from-case masks the residents of the case by name, phone and handle, even without a cue word', async () => {
    const { caseId } = await openTestCase(db.sql, { classification: { requestType: '咨询' }, message: { body: '张三反映：请问小区停车位怎么申请？', contactName: '张三', contactPhone: '13955520001' } });
    expect((await req('POST', `/api/v1/cases/${caseId}/accept`, urban, {})).status).toBe(200);
    expect((await req('POST', `/api/v1/cases/${caseId}/reply`, urban, { text: '张三您好：停车位请到社区服务中心申请，已与张三（1395552 0001）电话沟通。' })).status).toBe(200);
    const saved = await req('POST', `/api/v1/kb/entries/from-case/${caseId}`, urban, {});
    expect(saved.status).toBe(201);
    for (const field of ['question', 'answer']) {
      expect(saved.body[field]).not.toContain('张三');
      expect(saved.body[field].replace(/\s/g, '')).not.toContain('13955520001');
    }
    expect(saved.body.answer).toContain('停车位请到社区服务中心申请');
  });
});
