// The topic step issues statements that do not wait for one another together (one round trip); in a
// transaction they run in the order issued, so each read must still come after the writes it needs
// to see. This records the statements as postgres.js builds them and checks that order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeMessage } from '../core/nlp/analyze';
import { flushTermCounts } from '../core/opinion/term-counts';
import { assignToTopic } from '../core/opinion/topics';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ seed: false });
});
afterAll(async () => {
  await db?.close();
});

const T0 = new Date('2026-05-04T02:00:00Z');
const TEXTS = [
  ['镜湖区赭山街道春江花园停水', '春江花园小区从昨天早上开始停水，到现在已经十几个小时了，没有任何通知，老人孩子没法洗漱做饭。'],
  ['春江花园没水了', '镜湖区春江花园小区一直没有自来水，水龙头拧开一滴都没有，请自来水公司尽快恢复供水。'],
];

describe('topic step statement order', () => {
  it('writes no term counts inside the step (they are flushed apart), and the member and its hours before the burst tests read them', async () => {
    const options = db.sql.options as { debug?: unknown };
    for (const [i, [title, body]] of TEXTS.entries()) {
      await flushTermCounts(db.sql); // nothing pending: no flush can start while the step is recorded
      const seen: string[] = [];
      options.debug = (_conn: number, query: string) => seen.push(query.replace(/\s+/g, ' ').trim());
      try {
        await assignToTopic(db.sql, {
          messageId: 100 + i, caseId: null, receivedAt: new Date(T0.getTime() + i * 600_000), channel: 'portal', isPublic: true,
          title, body, analysis: analyzeMessage(body, { title }), engagement: 0,
        });
      } finally {
        options.debug = undefined;
      }
      const at = (re: RegExp) => {
        const k = seen.findIndex((q) => re.test(q));
        expect(k, `a statement matching ${re}`).toBeGreaterThanOrEqual(0);
        return k;
      };
      const lastAt = (re: RegExp) => seen.length - 1 - [...seen].reverse().findIndex((q) => re.test(q));
      // the counts are written by core/opinion/term-counts.ts after the step, not under its locks
      expect(seen.filter((q) => /^INSERT INTO opinion_term(s|_groups) /.test(q))).toEqual([]);
      at(/^SELECT term, df FROM opinion_terms/);
      const member = at(/^INSERT INTO opinion_topic_members /);
      const hours = lastAt(/^INSERT INTO opinion_(topic|district)_hours /);
      const firstBurstRead = at(/^SELECT received_at FROM opinion_topic_members/);
      expect(member).toBeLessThan(firstBurstRead);
      expect(hours).toBeLessThan(firstBurstRead);
      expect(at(/^SELECT .*FROM opinion_topic_hours WHERE topic_id = \$1 AND hour >= \$2 AND hour < \$3 ORDER BY hour/)).toBeGreaterThan(hours);
    }
  });
});
