// 知识库 and 答复模板 through the API: who may write which entry, the validity window of suggestions,
// a sent reply saved as an entry, templates filled from a case, Chinese field errors, the audit trail,
// and the database ranking giving the same order as the in-memory one `eval kb` uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKbSource } from '../core/db/kb';
import { kbToday } from '../core/kb/knowledge-base';
import { MemoryKbSource, rankEntries } from '../core/kb/rank';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp } from './support/app';
import { openTestCase, shipped, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
const tok: Record<'admin' | 'centre' | 'urban' | 'housing' | 'leader', string> = {} as never;

async function req(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
const day = (offsetDays: number) => kbToday(new Date(Date.now() + offsetDays * 86_400_000));

const ENTRIES = {
  socialSecurity: { question: '灵活就业人员如何办理社保缴费？需要带哪些材料？', answer: '您好！灵活就业人员可持身份证到街道社保服务窗口办理参保登记，也可在线上办理。' },
  parking: { question: '小区停车收费标准是怎么定的？物业能随意涨价吗？', answer: '您好！住宅小区停车服务收费实行市场调节价，调整须公示并与业主协商。' },
  school: { question: '孩子入学划片怎么查询？学区范围是哪些小区？', answer: '您好！义务教育入学划片范围由区教育局每年公布，可在教育局网站查询。' },
  lamp: { question: '路灯不亮找哪个部门报修？', answer: '您好！城市道路路灯由城管部门负责维护，可拨打 12345 报修。' },
};

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  app = testApp(db, queue);
  tok.admin = await staffToken(db.sql, 'admin');
  tok.centre = await staffToken(db.sql, 'centre');
  tok.urban = await staffToken(db.sql, 'department', 'urban-mgmt');
  tok.housing = await staffToken(db.sql, 'department', 'housing');
  tok.leader = await staffToken(db.sql, 'leader');
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

describe('entries: who writes what', () => {
  it('centre and admin write any entry, a department only its own, leaders none; everyone reads', async () => {
    const made = await req('POST', '/api/v1/kb/entries', tok.centre, { ...ENTRIES.parking, category: '城乡建设', departmentCode: 'housing' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ departmentCode: 'housing', validNow: true, createdBy: expect.stringContaining('centre') });
    const id = made.body.id;
    // a department's entry is its own department's by default
    const own = await req('POST', '/api/v1/kb/entries', tok.urban, ENTRIES.lamp);
    expect(own.status).toBe(201);
    expect(own.body.departmentCode).toBe('urban-mgmt');
    expect((await req('POST', '/api/v1/kb/entries', tok.urban, { ...ENTRIES.lamp, departmentCode: 'housing' })).status).toBe(403);
    expect((await req('POST', '/api/v1/kb/entries', tok.leader, ENTRIES.lamp)).status).toBe(403);
    expect((await req('PUT', `/api/v1/kb/entries/${id}`, tok.urban, { ...ENTRIES.parking, departmentCode: 'housing' })).status).toBe(403);
    const edited = await req('PUT', `/api/v1/kb/entries/${id}`, tok.housing, { ...ENTRIES.parking, answer: `${ENTRIES.parking.answer}如有疑问请联系物业主管部门。`, category: '城乡建设', departmentCode: 'housing' });
    expect(edited.status).toBe(200);
    // a department cannot hand its entry to another
    expect((await req('PUT', `/api/v1/kb/entries/${id}`, tok.housing, { ...ENTRIES.parking, departmentCode: 'urban-mgmt' })).status).toBe(403);
    for (const t of Object.values(tok)) expect((await req('GET', `/api/v1/kb/entries/${id}`, t)).status).toBe(200);
    expect((await req('DELETE', `/api/v1/kb/entries/${own.body.id}`, tok.housing)).status).toBe(403);
    expect((await req('DELETE', `/api/v1/kb/entries/${own.body.id}`, tok.urban)).status).toBe(200);
    expect((await req('GET', `/api/v1/kb/entries/${own.body.id}`, tok.urban)).status).toBe(404);

    // the audit trail: created, updated (with what changed), deleted
    const trail = await db.sql<{ action: string; detail: any }[]>`SELECT action, detail FROM audit_log WHERE action LIKE 'kb.%' ORDER BY id`;
    expect(trail.map((r) => r.action)).toEqual(['kb.entry-created', 'kb.entry-created', 'kb.entry-updated', 'kb.entry-deleted']);
    expect(trail[2].detail.changes.answer.to).toContain('物业主管部门');
    expect(Object.keys(trail[2].detail.changes)).toEqual(['answer']);
    expect(trail[3].detail).toMatchObject({ entryId: own.body.id, question: ENTRIES.lamp.question });
  });

  it('bad input: 400 with Chinese field messages', async () => {
    const r = await req('POST', '/api/v1/kb/entries', tok.centre, { question: '短', validFrom: '2026-13-01', validTo: 'tomorrow', departmentCode: 'no-such' });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^提交的内容有误：/);
    const fields = Object.fromEntries(r.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
    expect(fields).toMatchObject({ question: '问题至少 4 个字', answer: '请填写答案', validFrom: '生效日期不是有效日期', validTo: '失效日期须为 YYYY-MM-DD 格式的日期' });
    const order = await req('POST', '/api/v1/kb/entries', tok.centre, { ...ENTRIES.school, validFrom: '2026-05-02', validTo: '2026-05-01' });
    expect(order.body.error.details).toEqual([{ field: 'validTo', message: '失效日期不能早于生效日期' }]);
    const dept = await req('POST', '/api/v1/kb/entries', tok.centre, { ...ENTRIES.school, departmentCode: 'no-such' });
    expect(dept.status).toBe(400);
    expect(dept.body.error.details).toEqual([{ field: 'departmentCode', message: '没有代码为 no-such 的承办单位' }]);
    const notJson = await req('GET', '/api/v1/kb/entries/abc', tok.centre);
    expect(notJson.body.error.details[0].message).toBe('条目编号须为数字');
  });
});

describe('suggestions for a 咨询 case', () => {
  it('ranks the matching entry first, and never suggests an expired or not-yet-valid one', async () => {
    const ids: Record<string, number> = {};
    for (const [k, e] of Object.entries(ENTRIES)) ids[k] = (await req('POST', '/api/v1/kb/entries', tok.centre, e)).body.id;
    const expired = (await req('POST', '/api/v1/kb/entries', tok.centre, { ...ENTRIES.socialSecurity, question: `${ENTRIES.socialSecurity.question}（旧政策）`, validTo: day(-1) })).body.id;
    const future = (await req('POST', '/api/v1/kb/entries', tok.centre, { ...ENTRIES.socialSecurity, question: `${ENTRIES.socialSecurity.question}（新政策）`, validFrom: day(2) })).body.id;
    const lastDay = (await req('POST', '/api/v1/kb/entries', tok.centre, { ...ENTRIES.socialSecurity, question: `${ENTRIES.socialSecurity.question}（今天截止）`, validTo: day(0) })).body.id;
    const { caseId } = await openTestCase(db.sql, { classification: { requestType: '咨询' }, message: { body: '我是灵活就业人员，想问一下社保缴费怎么办理，要准备什么材料？' } });
    const r = await req('GET', `/api/v1/kb/suggestions?caseId=${caseId}`, tok.urban);
    expect(r.status).toBe(200);
    const got = r.body.items.map((i: { entry: { id: number } }) => i.entry.id);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThanOrEqual(5);
    expect([ids.socialSecurity, lastDay]).toContain(got[0]);
    expect(got).toContain(lastDay); // valid to today, inclusive
    expect(got).not.toContain(expired);
    expect(got).not.toContain(future);
    expect(r.body.items[0].score).toBeGreaterThan(r.body.items.at(-1).score - 1e-9);
    expect(r.body.items[0].score).toBeLessThanOrEqual(1);
    // why: the query's lexemes it holds (the most distinctive first)
    expect(r.body.items[0].matched.length).toBeGreaterThan(0);
    for (const l of r.body.items[0].matched) expect('我是灵活就业人员，想问一下社保缴费怎么办理，要准备什么材料？').toContain(l);
    // the management list shows them all, with whether each may be suggested today
    const list = await req('GET', '/api/v1/kb/entries?q=社保&limit=200', tok.leader);
    const valid = Object.fromEntries(list.body.items.map((e: { id: number; validNow: boolean }) => [e.id, e.validNow]));
    expect(valid).toMatchObject({ [expired]: false, [future]: false, [lastDay]: true, [ids.socialSecurity]: true });
    expect((await req('GET', '/api/v1/kb/entries?q=社保&valid=true&limit=200', tok.leader)).body.items.map((e: { id: number }) => e.id)).not.toContain(expired);
    // another department does not see the case, so not its suggestions either
    expect((await req('GET', `/api/v1/kb/suggestions?caseId=${caseId}`, tok.housing)).status).toBe(403);
    expect((await req('GET', '/api/v1/kb/suggestions?caseId=999999999', tok.centre)).status).toBe(404);
  });

  it('the database ranks exactly as the in-memory index eval kb uses', async () => {
    const rows = await db.sql<{ id: number; questionLexemes: string[]; answerLexemes: string[]; category: string | null }[]>`
      SELECT id, question_lexemes, answer_lexemes, category FROM kb_entries WHERE (valid_from IS NULL OR valid_from <= ${kbToday()}::date) AND (valid_to IS NULL OR valid_to >= ${kbToday()}::date)`;
    const mem = new MemoryKbSource();
    for (const r of rows) mem.add(r);
    for (const q of ['社保缴费需要什么材料', '小区物业停车费涨价', '入学划片查询', '晚上路灯不亮', '天然气']) {
      const a = await rankEntries(dbKbSource(db.sql, kbToday()), q, { limit: 10 });
      const b = await rankEntries(mem, q, { limit: 10 });
      expect(a, q).toEqual(b);
    }
  });
});

describe('a sent reply saved as an entry', () => {
  it('needs a reply the residents received; takes the case text as the question', async () => {
    const { caseId, message } = await openTestCase(db.sql, { classification: { requestType: '咨询' }, message: { body: '请问公租房申请需要满足哪些条件？在哪里提交材料？', contactName: '王先生' } });
    expect((await req('POST', `/api/v1/kb/entries/from-case/${caseId}`, tok.urban, {})).status).toBe(409);
    expect((await req('POST', `/api/v1/cases/${caseId}/accept`, tok.urban, {})).status).toBe(200);
    const reply = '王先生：您好！申请公租房须本市户籍、家庭人均收入低于规定标准，材料交街道住房保障窗口。如有疑问请联系 0553-1234567。';
    const sent = await req('POST', `/api/v1/cases/${caseId}/reply`, tok.urban, { text: `${reply}（受理编号 ${message.trackingNo}）` });
    expect(sent.status).toBe(200);
    expect((await req('POST', `/api/v1/kb/entries/from-case/${caseId}`, tok.housing, {})).status).toBe(403);
    expect((await req('POST', `/api/v1/kb/entries/from-case/${caseId}`, tok.leader, {})).status).toBe(403);
    const bad = await req('POST', `/api/v1/kb/entries/from-case/${caseId}`, tok.urban, { validTo: day(-3) });
    expect(bad.body.error.details).toEqual([{ field: 'validTo', message: '失效日期不能早于今天' }]);
    const saved = await req('POST', `/api/v1/kb/entries/from-case/${caseId}`, tok.urban, {});
    expect(saved.status).toBe(201);
    // one resident's details stay out of the entry: they become placeholders
    expect(saved.body).toMatchObject({ answer: `${reply.replace('王先生', '{居民称呼}')}（受理编号 {受理编号}）`, sourceCaseId: caseId, departmentCode: 'urban-mgmt', category: '城乡建设', validFrom: kbToday() });
    expect(saved.body.question).toContain('公租房');
    const [row] = await db.sql<{ caseId: number }[]>`SELECT case_id FROM audit_log WHERE action = 'kb.entry-created' AND (detail->>'entryId')::int = ${saved.body.id}`;
    expect(row.caseId).toBe(caseId);
    // the next resident asking the same is suggested it
    const next = await openTestCase(db.sql, { classification: { requestType: '咨询' }, message: { body: '公租房怎么申请？需要什么条件？', contactName: '赵女士' } });
    const s = await req('GET', `/api/v1/kb/suggestions?caseId=${next.caseId}`, tok.urban);
    expect(s.body.items[0].entry.id).toBe(saved.body.id);
    // …filled for that case
    expect(s.body.items[0].filledAnswer).toBe(`${reply.replace('王先生', '赵女士')}（受理编号 ${next.message.trackingNo}）`);
    expect((await req('GET', `/api/v1/kb/suggestions?caseId=${next.caseId}`, tok.leader)).body.items[0].filledAnswer).toMatch(/^市民朋友：/);
  });
});

describe('reply templates', () => {
  it('the centre writes them, everyone reads them, a case fills their placeholders', async () => {
    const body = '{居民称呼}：您好！您反映的问题（受理编号 {受理编号}）已由{承办单位}办理。';
    expect((await req('POST', '/api/v1/reply-templates', tok.urban, { name: '通用', body })).status).toBe(403);
    const made = await req('POST', '/api/v1/reply-templates', tok.centre, { name: '通用开头', body });
    expect(made.status).toBe(201);
    expect((await req('POST', '/api/v1/reply-templates', tok.admin, { name: '通用开头', body })).body.error.details).toEqual([{ field: 'name', message: '已有名为「通用开头」的模板' }]);
    const bad = await req('POST', '/api/v1/reply-templates', tok.centre, { name: '坏模板', body: '{居民姓名}您好，已处理。' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('提交的内容有误：不认识的占位符 {居民姓名}，可用的有 {居民称呼} {受理编号} {承办单位}');
    await req('POST', '/api/v1/reply-templates', tok.centre, { name: '住房类', body: '您好！关于住房问题……', category: '住房保障' });
    const list = await req('GET', '/api/v1/reply-templates?category=城乡建设', tok.leader);
    expect(list.body.items.map((t: { name: string }) => t.name)).toEqual(['通用开头']);

    const { caseId, message } = await openTestCase(db.sql, { message: { contactName: '王先生' } });
    const filled = await req('GET', `/api/v1/reply-templates/${made.body.id}/render?caseId=${caseId}`, tok.urban);
    expect(filled.status).toBe(200);
    const urban = shipped.departments.find((d) => d.code === 'urban-mgmt')!.name;
    expect(filled.body.text).toBe(`王先生：您好！您反映的问题（受理编号 ${message.trackingNo}）已由${urban}办理。`);
    expect(filled.body.text).not.toContain('{');
    const anonymous = await openTestCase(db.sql, { message: { contactName: '张三丰' } });
    expect((await req('GET', `/api/v1/reply-templates/${made.body.id}/render?caseId=${anonymous.caseId}`, tok.urban)).body.text).toMatch(/^市民朋友：/);
    expect((await req('GET', `/api/v1/reply-templates/${made.body.id}/render?caseId=${caseId}`, tok.housing)).status).toBe(403);
    expect((await req('GET', `/api/v1/reply-templates/${made.body.id}/render?caseId=${caseId}`, tok.leader)).status).toBe(403);

    const edited = await req('PUT', `/api/v1/reply-templates/${made.body.id}`, tok.admin, { name: '通用开头', body: `${body}特此答复。` });
    expect(edited.status).toBe(200);
    expect((await req('DELETE', `/api/v1/reply-templates/${made.body.id}`, tok.centre)).status).toBe(200);
    const trail = await db.sql<{ action: string }[]>`SELECT action FROM audit_log WHERE action LIKE 'kb.template-%' ORDER BY id`;
    expect(trail.map((r) => r.action)).toEqual(['kb.template-created', 'kb.template-created', 'kb.template-updated', 'kb.template-deleted']);
  });
});
