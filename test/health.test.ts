// /health reports each dependency and answers 503 when one is down.
import { describe, expect, it } from 'vitest';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp } from './support/app';
import { createTestDatabase } from './support/db';

describe('GET /health', () => {
  it('is 503 naming the database when it is gone', async () => {
    const db = await createTestDatabase({ seed: false });
    const queue = new InProcessQueue();
    const app = testApp(db, queue);
    expect((await app.request('/health')).status).toBe(200);
    await db.close();
    const res = await app.request('/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'degraded', checks: { database: 'down', queue: 'up' } });
    await queue.close();
    const both = await app.request('/health');
    expect(await both.json()).toMatchObject({ checks: { database: 'down', queue: 'down' } });
  });
});
