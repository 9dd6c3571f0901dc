// The column-name transform of core/db/connect.ts, on both connection paths (real PostgreSQL and
// the embedded PGlite behind its socket server): names are mapped, JSONB keys are left as stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../core/db/connect';
import { appendCaseEvents, insertCase, listCaseEvents } from '../core/db/cases';
import { getMessage, insertMessage } from '../core/db/messages';
import { migrate } from '../core/db/migrate';
import { incoming } from './support/cases';
import { createTestDatabase } from './support/db';

// snake_case, camelCase and odd keys, nested in objects and arrays: all must come back verbatim
const document = {
  snake_key: { inner_snake: 1, innerCamel: 2 },
  camelKey: [{ deep_snake: true }, { deepCamel: 'x', 'with space': null }],
  UPPER_CASE: 'kept',
  _leading: 0,
};

async function checkTransform(db: Database): Promise<void> {
  const { message } = await insertMessage(db.sql, incoming());
  // columns come back camelCase without any alias in the query
  const [row] = await db.sql<{ trackingNo: string; contactPhone: string | null; caseId: number | null }[]>`
    SELECT tracking_no, contact_phone, case_id FROM messages WHERE id = ${message.id}`;
  expect(Object.keys(row).sort()).toEqual(['caseId', 'contactPhone', 'trackingNo']);
  expect(row).toEqual({ trackingNo: message.trackingNo, contactPhone: '13805530000', caseId: null });

  await db.sql`UPDATE messages SET analysis = ${db.sql.json(document as never)} WHERE id = ${message.id}`;
  expect((await getMessage(db.sql, message.id))!.analysis).toEqual(document);

  // the insert helper's camelCase names go out as snake_case columns; JSONB written through it stays as given
  const c = await insertCase(db.sql, {
    trackingNo: message.trackingNo, status: 'received', title: null, summary: 'x', channel: 'portal', category: null, categoryConfidence: null,
    requestType: null, typeConfidence: null, urgency: 'normal', sentiment: null, sentimentScore: null, district: null, street: null, community: null,
    address: null, keywords: [], fingerprint: null, needsReview: false, departmentCode: null, routeRule: null, acceptDueAt: null,
    responseDueAt: null, resolveDueAt: null, dispatchedAt: null, createdAt: new Date(),
  });
  expect(c).toMatchObject({ trackingNo: message.trackingNo, needsReview: false, returnCount: 0, mergedInto: null });
  await appendCaseEvents(db.sql, c.id, [{ type: 'note', fromStatus: 'received', toStatus: 'received', actorKind: 'system', at: new Date(), data: document }]);
  const [event] = await listCaseEvents(db.sql, c.id);
  expect(event).toMatchObject({ caseId: c.id, fromStatus: 'received', toStatus: 'received', actorKind: 'system', data: document });
  const raw = await db.sql<{ keys: string[] }[]>`SELECT array(SELECT jsonb_object_keys(data) ORDER BY 1) AS keys FROM case_events WHERE case_id = ${c.id}`;
  expect(raw[0].keys).toEqual(Object.keys(document).sort());
}

describe('column names are transformed, JSONB keys are not', () => {
  let testDb: Database;
  let embedded: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase({ seed: false });
    embedded = await connectDatabase({ dataDir: '', inMemory: true });
    await migrate(embedded.sql);
  });
  afterAll(async () => {
    await testDb?.close();
    await embedded?.close();
  });

  it('on the test database (PostgreSQL when one is configured)', async () => {
    await checkTransform(testDb);
  });

  it('on the embedded PGlite through its socket server', async () => {
    expect(embedded.mode).toBe('embedded');
    await checkTransform(embedded);
  });
});
