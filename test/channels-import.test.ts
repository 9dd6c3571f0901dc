// Bulk import: 10,000 generated rows with exact counts, a re-import that is all duplicates, bad
// rows counted with reasons and kept in rejects; the hotline export in CSV (Chinese headers) and JSON.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRows, readHotlineFile, readMessagesCsv } from '../core/channels/import';
import type { JobQueue } from '../core/queue/contract';
import { toCsv } from '../core/util/csv';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let dir: string;
const enqueued: number[] = [];
// the import's queue side only: the pipeline itself is tested elsewhere
const queue: JobQueue = {
  kind: 'in-process',
  enqueue: async (_q, data) => void enqueued.push((data as { messageId: number }).messageId),
  enqueueBulk: async (_q, jobs) => void enqueued.push(...jobs.map((j) => (j.data as { messageId: number }).messageId)),
  every: async () => {},
  healthy: async () => true,
  close: async () => {},
};

beforeAll(async () => {
  db = await createTestDatabase({ seed: false });
  dir = mkdtempSync(path.join(tmpdir(), 'minsheng-import-'));
});
afterAll(async () => {
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const DISTRICTS = ['镜湖区', '弋江区', '鸠江区', '湾沚区', '繁昌区', '南陵县', '无为市'];

describe('import messages FILE.csv --channel portal', () => {
  it('10,000 rows: exact summary, no loss; re-import is all duplicates', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      id: `P${String(i).padStart(6, '0')}`,
      subject: `${DISTRICTS[i % 7]}留言 ${i}`,
      content: i % 1000 === 999 ? '' : `${DISTRICTS[i % 7]}某小区第${i}号楼附近，"路灯"不亮, 已经三天了，请尽快维修。`,
      created_at: i % 2500 === 1 ? 'not a time' : `2026-02-${String((i % 27) + 1).padStart(2, '0')} 10:${String(i % 60).padStart(2, '0')}:00`,
    }));
    const file = path.join(dir, 'portal.csv');
    writeFileSync(file, toCsv(['id', 'subject', 'content', 'created_at'], rows));
    const map = { channel: 'portal' as const, textCol: 'content', titleCol: 'subject', idCol: 'id', timeCol: 'created_at' };

    const progress: number[] = [];
    const first = await importRows({ sql: db.sql, queue }, 'portal', readMessagesCsv(file, map), (done) => progress.push(done));
    // 10 empty texts (i % 1000 === 999), 4 bad times (i % 2500 === 1)
    expect(first).toMatchObject({ rows: 10_000, accepted: 9_986, duplicates: 0, rejected: 14 });
    expect(Object.entries(first.reasons).sort()).toEqual([
      ['content: empty text', 10],
      [expect.stringMatching(/^created_at: must be ISO 8601/), 4],
    ]);
    expect(progress.at(-1)).toBe(10_000);
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM messages WHERE channel = 'portal'`;
    expect(n).toBe(9_986);
    const [{ r }] = await db.sql<{ r: number }[]>`SELECT count(*)::int AS r FROM rejects WHERE channel = 'portal'`;
    expect(r).toBe(14);
    expect(new Set(enqueued).size).toBe(9_986);
    const [sample] = await db.sql<{ title: string; body: string; receivedAt: Date }[]>`
      SELECT title, body, received_at AS "receivedAt" FROM messages WHERE external_id = 'P000002'`;
    expect(sample).toMatchObject({ title: '鸠江区留言 2', body: rows[2].content });
    expect(sample.receivedAt.toISOString()).toBe('2026-02-03T02:02:00.000Z');
    console.log(`import: 10,000 rows in ${first.ms} ms (${first.rowsPerSecond} rows/s)`);

    const again = await importRows({ sql: db.sql, queue }, 'portal', readMessagesCsv(file, map));
    expect(again).toMatchObject({ rows: 10_000, accepted: 0, duplicates: 9_986, rejected: 14 });
  });

  it('rows without an id column get a content-derived id, so a re-import is still idempotent', async () => {
    const file = path.join(dir, 'noid.csv');
    writeFileSync(file, toCsv(['正文'], [{ 正文: '无为市某路段坑洼严重' }, { 正文: '南陵县菜市场垃圾无人清理' }]));
    const a = await importRows({ sql: db.sql, queue }, 'portal', readMessagesCsv(file, { textCol: '正文' }));
    const b = await importRows({ sql: db.sql, queue }, 'portal', readMessagesCsv(file, { textCol: '正文' }));
    expect([a.accepted, b.duplicates]).toEqual([2, 2]);
  });

  it('names a missing column', () => {
    const file = path.join(dir, 'cols.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    expect(() => readMessagesCsv(file, { textCol: 'content' })).toThrow(/no column "content"/);
  });
});

describe('import hotline FILE', () => {
  it('reads the CSV export with Chinese headers and the JSON export', async () => {
    const csv = path.join(dir, 'hotline.csv');
    writeFileSync(csv, toCsv(['工单编号', '来电时间', '来电号码', '诉求内容', '地址', '分类'], [
      { 工单编号: 'WH-IMP-1', 来电时间: '2026-03-01 08:30', 来电号码: '13955312345', 诉求内容: '反映小区停水', 地址: '鸠江区', 分类: '水电气' },
      { 工单编号: 'WH-IMP-2', 来电时间: '2026-03-01 08:45', 来电号码: '', 诉求内容: '噪音', 地址: '', 分类: '' },
    ]));
    const json = path.join(dir, 'hotline.json');
    writeFileSync(json, JSON.stringify({ orders: [{ orderNo: 'WH-IMP-3', callTime: '2026-03-01T09:00:00+08:00', callerPhone: '05535123456', content: '路灯不亮' }] }));
    const a = await importRows({ sql: db.sql, queue }, 'hotline', readHotlineFile(csv));
    expect(a).toMatchObject({ accepted: 1, rejected: 1 });
    expect(a.rejectedRows[0]).toMatchObject({ row: 2 });
    expect(a.rejectedRows[0].reason).toMatch(/callerPhone/);
    const b = await importRows({ sql: db.sql, queue }, 'hotline', readHotlineFile(json));
    expect(b).toMatchObject({ accepted: 1, duplicates: 0 });
    const c = await importRows({ sql: db.sql, queue }, 'hotline', readHotlineFile(json));
    expect(c).toMatchObject({ accepted: 0, duplicates: 1 });
  });
});
