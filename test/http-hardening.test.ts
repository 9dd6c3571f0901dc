// F16: security headers on every answer (the dashboard's CSP among them), and a server that closes
// a connection whose request body never finishes instead of holding it for minutes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app';
import { listen, SERVER_TIMEOUTS } from '../api/server';
import { InProcessQueue } from '../core/queue/in-process';
import { silentLogger, testConfig } from './support/app';
import { shipped } from './support/cases';
import { expectSecurityHeaders } from './support/security-headers';
import { createTestDatabase, type TestDatabase } from './support/db';
import { freePort } from './support/net';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  const dashboardDir = mkdtempSync(path.join(tmpdir(), 'ms-dash-'));
  writeFileSync(path.join(dashboardDir, 'index.html'), '<!doctype html><div id="root"></div>');
  app = createApp({ db, queue, config: testConfig(), logger: silentLogger, shipped, dashboardDir });
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

describe('security headers', () => {
  it('on the dashboard shell, API answers and errors alike', async () => {
    const answers = [
      await app.request('/'),
      await app.request('/cases/12'),
      await app.request('/api/v1/stats/topics'),
      await app.request('/api/v1/no-such-thing'),
      await app.request('/api/v1/stats/topics?days=0'),
      await app.request('/api/v1/messages', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 404, 400, 415]);
    for (const r of answers) expectSecurityHeaders(r);
  });
});

describe('server timeouts', () => {
  it('the defaults are well under 100 s', () => {
    expect(SERVER_TIMEOUTS.requestTimeoutMs).toBeLessThanOrEqual(30_000);
    expect(SERVER_TIMEOUTS.headersTimeoutMs).toBeLessThanOrEqual(SERVER_TIMEOUTS.requestTimeoutMs);
  });

  it('a request whose body never finishes is answered 408 and its connection closed', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const server = await listen(app, '127.0.0.1', port, { headersTimeoutMs: 500, requestTimeoutMs: 1_000, checkEveryMs: 200, keepAliveTimeoutMs: 500 });
    try {
      const socket = net.connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (d) => (answer += d.toString()));
      const closed = new Promise<boolean>((resolve) => {
        socket.on('close', () => resolve(true));
        // a limit for a hang, far above the 1 s asked for; Node's default would hold it 300 s
        setTimeout(() => resolve(false), 60_000).unref();
      });
      socket.write('POST /api/v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"title":');
      expect(await closed).toBe(true);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      socket.destroy();
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
