// The messages data layer: idempotent single and bulk inserts, tracking numbers unique.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMessage, insertMessages } from '../core/db/messages';
import { incomingMessageSchema } from '../core/messages/incoming';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ seed: false });
});
afterAll(async () => db?.close());

const make = (i: number) =>
  incomingMessageSchema.parse({
    channel: 'hotline',
    externalId: `order-${i}`,
    receivedAt: new Date(Date.UTC(2026, 10, 1, 2, 0, i % 60)),
    raw: JSON.stringify({ orderNo: `order-${i}`, content: `第${i}条` }),
    body: `来电人反映第${i}条问题`,
  });

describe('messages data layer', () => {
  it('bulk insert crosses chunks, is idempotent and gives unique tracking numbers', async () => {
    const items = Array.from({ length: 1203 }, (_, i) => make(i));
    const first = await insertMessages(db.sql, items);
    expect(first.created).toHaveLength(1203);
    expect(first.duplicates).toBe(0);
    expect(new Set(first.created.map((m) => m.trackingNo)).size).toBe(1203);
    expect(first.created[0].trackingNo).toMatch(/^MS261101\d{7}$/);
    const again = await insertMessages(db.sql, items.slice(0, 700));
    expect(again.created).toHaveLength(0);
    expect(again.duplicates).toBe(700);
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM messages`;
    expect(n).toBe(1203);
  });

  it('single insert returns the stored row on a repeated delivery', async () => {
    const a = await insertMessage(db.sql, make(5000));
    const b = await insertMessage(db.sql, make(5000));
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.message.trackingNo).toBe(a.message.trackingNo);
    expect(b.message.queryCode).toBe(a.message.queryCode);
  });
});
