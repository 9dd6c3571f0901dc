// The topic step's word counts are written in batches after the step (core/opinion/term-counts.ts).
// What a process reads stays what it would read had each step written its counts itself: the same
// topics, similarities and labels whether the counts are flushed after every message or not at all;
// a flush that fails keeps its counts; two writers flushing the same words at once neither deadlock
// nor lose a count; closing the database flushes. Our own fixture sentences.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, onClose } from '../core/db/connect';
import { analyzeMessage } from '../core/nlp/analyze';
import { flushTermCounts, TermCounts, termCounts } from '../core/opinion/term-counts';
import { assignToTopic, type TopicInput } from '../core/opinion/topics';
import { createTestDatabase, type TestDatabase } from './support/db';

const T0 = new Date('2026-05-04T02:00:00Z').getTime();
const TEXTS: [string, string, string][] = [
  ['城乡建设', '镜湖区春江花园停水', '镜湖区春江花园小区从昨天早上开始停水，到现在十几个小时了，老人孩子没法做饭。'],
  ['城乡建设', '春江花园没水了', '镜湖区春江花园小区一直没有自来水，请自来水公司尽快恢复供水。'],
  ['环境保护', '弋江区工地夜间施工噪音', '弋江区中山南路工地每天夜里打桩，噪音吵得孩子睡不着觉。'],
  ['城乡建设', '春江花园停水第二天', '镜湖区春江花园小区停水已经两天，物业说不知道什么时候来水。'],
  ['环境保护', '中山南路工地夜里打桩', '弋江区中山南路的工地半夜还在施工打桩，噪音扰民，希望管一管。'],
  ['交通运输', '鸠江区公交线路停运', '鸠江区这条公交线路突然停运，上班的人没有车坐，也没有通知。'],
  ['城乡建设', '镜湖区路灯不亮', '镜湖区赭山街道银湖路的路灯坏了一个多月，晚上走路很不安全。'],
  ['城乡建设', '银湖路路灯坏了', '镜湖区银湖路路灯一直不亮，晚上黑漆漆的，请尽快修好。'],
  ['交通运输', '公交停运没人管', '鸠江区公交停运好几天了，居民出行很不方便，请恢复线路。'],
  ['环境保护', '工地噪音还在', '弋江区中山南路工地噪音问题还是没有解决，夜里照样施工。'],
];

const analyses = TEXTS.map(([category, title, body]) => ({ ...analyzeMessage(body, { title }), category: { label: category, confidence: 0.9 } }));
const input = (i: number, id = 1000 + i): TopicInput => ({
  messageId: id, caseId: null, receivedAt: new Date(T0 + i * 900_000), channel: 'portal', isPublic: true,
  title: TEXTS[i][1], body: TEXTS[i][2], analysis: analyses[i], engagement: 0,
});

async function tables(db: TestDatabase) {
  const terms = await db.sql<{ term: string; df: number }[]>`SELECT term, df FROM opinion_terms WHERE term NOT LIKE ' flush %' ORDER BY term COLLATE "C"`;
  const groups = await db.sql<{ term: string; grp: string; df: number }[]>`SELECT term, grp, df FROM opinion_term_groups ORDER BY grp COLLATE "C", term COLLATE "C"`;
  return { terms: terms.map((r) => [r.term, r.df]), groups: groups.map((r) => [r.grp, r.term, r.df]) };
}

let eager: TestDatabase;
let lazy: TestDatabase;
beforeAll(async () => {
  [eager, lazy] = await Promise.all([createTestDatabase({ seed: false }), createTestDatabase({ seed: false })]);
});
afterAll(async () => {
  await Promise.all([eager?.close(), lazy?.close()]);
});

describe('term counts written in batches', () => {
  it('reads as if every step wrote its counts: the same topics, similarities and labels flushed after every message or never', async () => {
    termCounts(lazy.sql, { flushMs: 3_600_000 }); // nothing flushed until asked
    const a: unknown[] = [];
    const b: unknown[] = [];
    for (let i = 0; i < TEXTS.length; i++) {
      a.push(await assignToTopic(eager.sql, input(i)));
      await flushTermCounts(eager.sql);
      b.push(await assignToTopic(lazy.sql, input(i)));
    }
    expect(b).toEqual(a);
    expect(new Set(a.map((r) => (r as { topicId: number }).topicId)).size).toBeLessThan(TEXTS.length); // some joined
    const topics = (db: TestDatabase) => db.sql`SELECT id, label, label_terms, centroid, heat FROM opinion_topics ORDER BY id`;
    expect(await topics(lazy)).toEqual(await topics(eager));
    // nothing of the lazy one's was written; flushed, both hold the same counts
    expect((await tables(lazy)).terms).toEqual([]);
    expect(termCounts(lazy.sql).pendingKeys()).toBeGreaterThan(0);
    await flushTermCounts(lazy.sql);
    expect(termCounts(lazy.sql).pendingKeys()).toBe(0);
    const [ta, tb] = [await tables(eager), await tables(lazy)];
    expect(tb).toEqual(ta);
    expect(ta.terms.find(([t]) => t === ' docs')).toEqual([' docs', TEXTS.length]);
    expect(ta.groups.find(([g, t]) => g === ' all' && t === ' docs')).toEqual([' all', ' docs', TEXTS.length]);
    // a message already in its topic is not counted again
    await assignToTopic(lazy.sql, input(0));
    expect(termCounts(lazy.sql).pendingKeys()).toBe(0);
  });

  it('counts what it read once: a read after the flush sees the stored counts, not them twice', async () => {
    const s = await createTestDatabase({ seed: false });
    try {
      const c = new TermCounts(s.sql, { flushMs: 3_600_000 });
      c.add(['停水', '春江花园']);
      c.add(['停水']);
      const before = await c.read(s.sql, ['停水', '春江花园', '路灯']);
      expect([before.docs, Object.fromEntries(before.df)]).toEqual([2, { 停水: 2, 春江花园: 1 }]);
      const mine = await c.read(s.sql, ['停水', '路灯'], new Set(['路灯']));
      expect([mine.docs, Object.fromEntries(mine.df)]).toEqual([3, { 停水: 2, 路灯: 1 }]);
      await c.flush();
      const after = await c.read(s.sql, ['停水', '春江花园', '路灯']);
      expect([after.docs, Object.fromEntries(after.df)]).toEqual([2, { 停水: 2, 春江花园: 1 }]);
      // another process' reader sees the stored counts only
      const other = await new TermCounts(s.sql).read(s.sql, ['停水']);
      expect([other.docs, other.df.get('停水')]).toEqual([2, 2]);
      await c.close();
      expect((await s.sql`SELECT count(*)::int AS n FROM opinion_terms WHERE term LIKE ' flush %'`)[0].n).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('keeps the counts of a flush that failed and writes them once when it succeeds', async () => {
    const s = await createTestDatabase({ seed: false });
    try {
      const c = new TermCounts(s.sql, { flushMs: 3_600_000 });
      c.add(['路灯'], ['c:城乡建设'], ['路灯', '不亮']);
      await s.sql`ALTER TABLE opinion_term_groups RENAME TO opinion_term_groups_away`;
      await expect(c.flush()).rejects.toThrow();
      expect(c.failures).toBe(1);
      await s.sql`ALTER TABLE opinion_term_groups_away RENAME TO opinion_term_groups`;
      c.add(['路灯'], ['c:城乡建设'], ['路灯']);
      // the failed transaction wrote nothing: still counted in the reads
      expect((await c.read(s.sql, ['路灯'])).df.get('路灯')).toBe(2);
      await c.flush();
      const t = await tables(s);
      expect(t.terms).toEqual([[' docs', 2], ['路灯', 2]]);
      expect(t.groups).toEqual([
        [' all', ' docs', 2], [' all', '不亮', 1], [' all', '路灯', 2],
        ['c:城乡建设', ' docs', 2], ['c:城乡建设', '不亮', 1], ['c:城乡建设', '路灯', 2],
      ]);
      await c.close();
    } finally {
      await s.close();
    }
  });

  it('two writers flushing the same words at once neither deadlock nor lose a count', async () => {
    const s = await createTestDatabase({ seed: false });
    try {
      const words = Array.from({ length: 400 }, (_, i) => `词${i}`);
      const writers = [new TermCounts(s.sql, { flushMs: 3_600_000 }), new TermCounts(s.sql, { flushMs: 3_600_000 })];
      for (let round = 0; round < 5; round++) {
        for (const [k, w] of writers.entries()) {
          // each its own order of adding: the flush sorts them
          w.add(k ? [...words].reverse() : words, ['c:甲'], k ? words.slice(0, 200) : words.slice(200));
        }
        await Promise.all(writers.map((w) => w.flush()));
      }
      const t = await tables(s);
      expect(t.terms.length).toBe(401);
      for (const [, df] of t.terms) expect(df).toBe(10);
      expect(t.groups.find(([g, w]) => g === 'c:甲' && w === '词0')).toEqual(['c:甲', '词0', 5]);
      expect(t.groups.find(([g, w]) => g === ' all' && w === ' docs')).toEqual([' all', ' docs', 10]);
      await Promise.all(writers.map((w) => w.close()));
    } finally {
      await s.close();
    }
  });

  it('closing the database flushes the pool\'s counts first', async () => {
    const s = await createTestDatabase({ seed: false });
    let seen: unknown;
    const c = termCounts(s.sql, { flushMs: 3_600_000 });
    c.add(['噪音']);
    onClose(s.sql, async () => {
      seen = await s.sql`SELECT df FROM opinion_terms WHERE term = '噪音'`; // the hooks run in order: the flush was first
    });
    await s.close();
    expect(seen).toEqual([{ df: 1 }]);
  });

  it('a step reads its own message as counted, as when it wrote its counts itself', async () => {
    const s = await createTestDatabase({ seed: false });
    try {
      const c = termCounts(s.sql, { flushMs: 3_600_000 });
      const reads: { docs: number; df: Map<string, number> }[] = [];
      const read = c.read.bind(c);
      c.read = async (...a: Parameters<typeof c.read>) => {
        const r = await read(...a);
        reads.push(r);
        return r;
      };
      await assignToTopic(s.sql, input(0));
      // the first message of an empty city: every read of the step sees one document, holding each of its terms once
      expect(reads.length).toBeGreaterThanOrEqual(2);
      for (const r of reads) {
        expect(r.docs).toBe(1);
        expect(r.df.size).toBeGreaterThan(0);
        for (const n of r.df.values()) expect(n).toBe(1);
      }
    } finally {
      await s.close();
    }
  });

  it.skipIf(!inject('pgUrl'))('a read while a flush is still writing counts it once, before and after the flush commits (PostgreSQL)', async () => {
    const s = await createTestDatabase({ seed: false });
    const other = await connectDatabase({ databaseUrl: inject('pgUrl')!, dataDir: '', poolMax: 1, schema: s.schema! });
    try {
      const c = new TermCounts(s.sql, { flushMs: 3_600_000 });
      c.add(['停水']);
      await c.flush(); // the rows exist: the next flush updates them
      c.add(['停水']);
      // another session holds the document count's row: the flush waits on it, in flight
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const holder = other.sql.begin(async (tx) => {
        await tx`SELECT df FROM opinion_terms WHERE term = ' docs' FOR UPDATE`;
        locked();
        await held;
      });
      await isLocked;
      let done = false;
      const flushing = c.flush().then(() => (done = true));
      await new Promise((r) => setTimeout(r, 200)); // the flush is sent and waiting on the lock
      expect([c.pendingKeys(), done]).toEqual([0, false]); // its counts left the pending ones; not committed
      const during = await c.read(s.sql, ['停水']);
      expect([during.docs, during.df.get('停水')]).toEqual([2, 2]);
      release();
      await holder;
      await flushing;
      const after = await c.read(s.sql, ['停水']);
      expect([after.docs, after.df.get('停水')]).toEqual([2, 2]);
      expect((await s.sql`SELECT df FROM opinion_terms WHERE term = '停水'`)[0].df).toBe(2);
      await c.close();
    } finally {
      await other.close();
      await s.close();
    }
  });

  it('drops what is counted after the close, and the pool ends even if a close hook never finishes', async () => {
    const s = await createTestDatabase({ seed: false });
    const c = termCounts(s.sql, { flushMs: 3_600_000 });
    onClose(s.sql, () => new Promise(() => {})); // never settles
    await expect(s.close()).rejects.toThrow(/close hook/);
    c.add(['路灯']);
    expect([c.dropped, c.pendingKeys()]).toEqual([1, 0]);
    expect(termCounts(s.sql)).toBe(c);
    // the test database's own clean-up did not run (its close threw): its schema is dropped here
    if (s.schema) {
      const admin = await connectDatabase({ databaseUrl: inject('pgUrl')!, dataDir: '', poolMax: 1 });
      await admin.sql.unsafe(`DROP SCHEMA ${s.schema} CASCADE`);
      await admin.close();
    }
  });
});
