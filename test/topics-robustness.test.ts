// The periodic sweeps survive one bad row: a message whose topic step always throws is logged,
// counted and given up after a few tries, and the rest of the sweep (other messages, re-clustering,
// heat refresh) still runs; in the message sweep a failing step does not skip the steps after it.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMessage } from '../core/db/messages';
import { getMember, getTopicError, listMessagesWithoutTopic } from '../core/db/topics';
import { analyzeMessage } from '../core/nlp/analyze';
import { InProcessQueue } from '../core/queue/in-process';
import { sweepTopics, TOPIC_MAX_ATTEMPTS } from '../core/opinion/topics';
import { createProcessors } from '../workers/processors/index';
import { incoming, shipped } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ seed: false });
});
afterAll(async () => db?.close());

function capture() {
  const lines: { level: number; msg: string; messageId?: number; givenUp?: boolean }[] = [];
  const log = pino({ level: 'warn' }, new Writable({ write: (chunk, _enc, done) => void (lines.push(JSON.parse(String(chunk))), done()) }));
  return { lines, log };
}

async function processedMessage(title: string, body: string, receivedAt: Date, analysis: unknown): Promise<number> {
  const { message } = await insertMessage(db.sql, { ...incoming({ title, body, receivedAt }), externalId: `rb-${Math.random().toString(36).slice(2)}` });
  await db.sql`UPDATE messages SET state = 'processed', analysis = ${db.sql.json(analysis as never)} WHERE id = ${message.id}`;
  return message.id;
}

describe('topic sweep robustness', () => {
  it('skips a message whose topic step throws, assigns the others, and gives the poison message up after a few tries', async () => {
    const at = new Date('2026-06-01T02:00:00Z');
    // a stored analysis without its place part (a row written by an older reader, say): reading its features throws
    const poison = await processedMessage('春江花园停水', '镜湖区春江花园小区停水一天了。', at, { sentiment: { label: 'negative', score: -0.5, confidence: 0.8 } });
    const body = '镜湖区赭山路路灯不亮，晚上很黑，请尽快维修。';
    const good = await processedMessage('赭山路路灯不亮', body, new Date(at.getTime() + 60_000), analyzeMessage(body, { title: '赭山路路灯不亮' }));

    const { lines, log } = capture();
    const r = await sweepTopics(db.sql, new Date(at.getTime() + 3_600_000), undefined, log);
    expect(r.assigned).toBe(1);
    expect(r.failed.map((f) => f.messageId)).toEqual([poison]);
    expect(await getMember(db.sql, good)).toBeDefined();
    expect(await getMember(db.sql, poison)).toBeUndefined();
    expect(r.refreshed).toBeGreaterThanOrEqual(1); // the heat refresh ran after the failure
    expect(lines.some((l) => l.level === 40 && l.messageId === poison && l.msg === 'topic step failed for a message')).toBe(true);
    expect((await getTopicError(db.sql, poison))?.attempts).toBe(1);

    // retried by the next sweeps until the attempts are used up, then left alone
    for (let i = 1; i < TOPIC_MAX_ATTEMPTS; i++) await sweepTopics(db.sql, new Date(at.getTime() + (i + 1) * 3_600_000), undefined, log);
    const err = await getTopicError(db.sql, poison);
    expect(err?.attempts).toBe(TOPIC_MAX_ATTEMPTS);
    expect(err?.error).toMatch(/\S/);
    expect(await listMessagesWithoutTopic(db.sql, 100, TOPIC_MAX_ATTEMPTS)).not.toContain(poison);
    const last = await sweepTopics(db.sql, new Date(at.getTime() + 10 * 3_600_000), undefined, log);
    expect(last.failed).toEqual([]);
    expect(lines.filter((l) => l.messageId === poison).at(-1)?.givenUp).toBe(true);
  });
});

describe('message sweep robustness', () => {
  it('a failing step (queue down, rollups unreadable) is logged and the later steps still run', async () => {
    const { lines, log } = capture();
    const down = new InProcessQueue();
    await down.close(); // a closed queue refuses every job
    const processors = createProcessors({ db, queue: down, logger: log, shipped });
    const { message } = await insertMessage(db.sql, incoming({ externalId: `rb-sweep-${Date.now()}` }));
    await db.sql`UPDATE messages SET stored_at = now() - interval '2 minutes' WHERE id = ${message.id}`;
    await db.sql`ALTER TABLE cases RENAME TO cases_away`; // ensureRollups reads cases: it throws
    try {
      await expect(processors.periodic!({ task: 'message-sweep' }, { id: 'sweep', queue: 'periodic', attempt: 1 })).resolves.toBeUndefined();
    } finally {
      await db.sql`ALTER TABLE cases_away RENAME TO cases`;
    }
    const msgs = lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(msgs).toContain('message sweep: re-enqueueing unprocessed messages failed');
    expect(msgs).toContain('message sweep: building the rollups failed');
    expect(msgs).not.toContain('message sweep: syncing due case facts failed');
  });
});
