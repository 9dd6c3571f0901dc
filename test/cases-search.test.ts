// The staff case list: Chinese full-text search (jieba lexemes in a GIN-indexed tsvector), keyset
// pagination by any whitelisted column (nulls last, no row skipped or repeated), Chinese 400s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexUnindexedCases, queryLexemes, searchLexemes } from '../core/cases/search';
import { listUnindexedCases, setCaseSearchLexemesBulk } from '../core/db/cases';
import { InProcessQueue } from '../core/queue/in-process';
import { postJson, testApp } from './support/app';
import { openTestCase, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
let centre: string;
const ids: Record<string, number> = {};

const auth = () => ({ authorization: `Bearer ${centre}` });
async function list(query: string) {
  const res = await app.request(`/api/v1/cases?${query}`, { headers: auth() });
  return { status: res.status, body: (await res.json()) as { total: number; items: { id: number; createdAt: string; resolveDueAt: string | null }[]; nextCursor: string | null; error?: { details: { field: string; message: string }[] } } };
}

const BODIES = {
  lamp: '镜湖区赭山街道赭山路路灯不亮，晚上很黑，请尽快维修。',
  lampPole: '弋江区中山南路一根路灯杆被车撞歪了，随时可能倒下。',
  noise: '鸠江区某工地夜间施工噪音扰民，凌晨两点还在打桩。',
  water: '三山区保定街道停水两天了，没有任何通知。',
  wage: '公司拖欠农民工工资三个月，老板不接电话。',
};

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  app = testApp(db, queue);
  centre = await staffToken(db.sql, 'centre');
  let t = Date.now() - 3_600_000;
  for (const [k, body] of Object.entries(BODIES)) {
    ids[k] = (await openTestCase(db.sql, { department: k === 'wage' ? null : 'urban-mgmt', receivedAt: new Date((t += 60_000)), message: { body } })).caseId;
  }
  // a case with no due at all (as one held before 待派单 had a clock, or a 2024 import with no calendar)
  await db.sql`UPDATE cases SET resolve_due_at = NULL WHERE id = ${ids.wage}`;
  // one case indexed the old way (before the migration): found after the first search indexes it
  await db.sql`UPDATE cases SET search_tsv = NULL WHERE id = ${ids.water}`;
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

describe('Chinese full-text search', () => {
  it('cuts query and text the same way; every token must match, as a prefix', async () => {
    // jieba cuts 赭山路路灯不亮 as 路 | 灯不亮: the character pairs still hold 路灯
    expect(searchLexemes('赭山路路灯不亮')).toEqual(expect.arrayContaining(['路灯', '不亮']));
    expect(queryLexemes('路灯')).toEqual(['路灯']);
    const found = async (q: string) => (await list(`q=${encodeURIComponent(q)}&limit=200`)).body.items.map((i) => i.id).sort();
    expect(await found('路灯')).toEqual([ids.lamp, ids.lampPole].sort());
    expect(await found('路灯 不亮')).toEqual([ids.lamp]);
    expect(await found('施工噪音')).toEqual([ids.noise]);
    expect(await found('停水')).toEqual([ids.water]); // indexed on the first search
    expect(await found('拖欠 工资')).toEqual([ids.wage]);
    expect(await found('农民工工资')).toEqual([ids.wage]);
    expect(await found('路灯杆')).toEqual([ids.lampPole]);
    expect(await found('天然气')).toEqual([]);
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'cases_search_idx' AND indexdef ILIKE '%gin%'`;
    expect(n).toBe(1);
  });
});

describe('keyset pagination by any listed column', () => {
  async function walk(sort: string, dir: string, limit: number) {
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const r = await list(`sort=${sort}&dir=${dir}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.items.map((i) => i.id));
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    return seen;
  }

  it('visits every case once, in order, nulls last, whichever column and direction', async () => {
    const all = (await list('limit=200')).body;
    for (const [sort, dir] of [['createdAt', 'asc'], ['createdAt', 'desc'], ['resolveDueAt', 'asc'], ['resolveDueAt', 'desc'], ['departmentCode', 'asc'], ['id', 'desc']] as const) {
      const seen = await walk(sort, dir, 2);
      expect(new Set(seen).size, `${sort} ${dir}`).toBe(all.total);
      expect(seen.length, `${sort} ${dir}`).toBe(all.total);
    }
    const byCreated = await walk('createdAt', 'asc', 2);
    expect(byCreated).toEqual(Object.values(ids));
    // the case with no due: last in both directions
    expect((await walk('resolveDueAt', 'asc', 2)).at(-1)).toBe(ids.wage);
    expect((await walk('resolveDueAt', 'desc', 2)).at(-1)).toBe(ids.wage);
  });

  it('refuses an unknown column or a bad cursor with a Chinese message', async () => {
    const bad = await list('sort=summary;drop');
    expect(bad.status).toBe(400);
    expect(bad.body.error!.details[0].message).toContain('排序字段须为以下之一');
    const cursor = await list('sort=id&cursor=bm9wZQ');
    expect(cursor.status).toBe(400);
    expect(cursor.body.error!.details[0].message).toBe('分页游标无效，请从第一页重新查询');
    expect((await list('cursor=bm9wZQ')).status).toBe(400);
    void postJson;
  });
});

describe('the search sweep and a text change at the same time', () => {
  it('lexemes made from the text before a change are not stored; the next sweep indexes the new text', async () => {
    const { caseId } = await openTestCase(db.sql, { department: 'urban-mgmt', message: { body: '镜湖区某小区电梯停运三天，老人上下楼困难。' } });
    await db.sql`UPDATE cases SET search_tsv = NULL WHERE id = ${caseId}`;
    // the sweep reads the case …
    const read = (await listUnindexedCases(db.sql, 1000)).find((r) => r.id === caseId)!;
    expect(read).toBeTruthy();
    // … its title changes meanwhile (the trigger clears the lexemes) …
    await db.sql`UPDATE cases SET title = '电梯故障已报修' WHERE id = ${caseId}`;
    // … and the sweep's write, made from the old text, is not kept
    await setCaseSearchLexemesBulk(db.sql, [{ id: caseId, lexemes: searchLexemes(`${read.trackingNo} ${read.title ?? ''} ${read.summary}`), read }]);
    const [stale] = await db.sql<{ indexed: boolean }[]>`SELECT search_tsv IS NOT NULL AS indexed FROM cases WHERE id = ${caseId}`;
    expect(stale.indexed).toBe(false);
    while ((await indexUnindexedCases(db.sql)) > 0);
    const [now] = await db.sql<{ hit: boolean }[]>`SELECT search_tsv @@ ${searchLexemes('报修').map((l) => `'${l}'`).join(' & ')}::tsquery AS hit FROM cases WHERE id = ${caseId}`;
    expect(now.hit).toBe(true);
  });
});

