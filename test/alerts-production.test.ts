// Production mode (PostgreSQL + BullMQ on Redis): alerts raised by the message pipeline's job and by
// the periodic alert-sweep job, delivered by the send-outbox job to a signed webhook.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleInputSchema } from '../core/alerts/rule-schema';
import { insertAlertRule } from '../core/db/alerts';
import { insertMessage } from '../core/db/messages';
import { BullMqQueue, redisConnection, startBullMqWorkers, type WorkerSet } from '../core/queue/bullmq';
import { QUEUE_NAMES } from '../core/queue/contract';
import { createProcessors } from '../workers/processors/index';
import { postJson, silentLogger, testApp, testConfig } from './support/app';
import { incoming, shipped } from './support/cases';
import { createTestDatabase, redisUrlOrNull, uniquePrefix, type TestDatabase } from './support/db';
import { waitFor } from './support/pipeline';

const redisUrl = redisUrlOrNull();
const SECRET = 'production-webhook-secret';
const schema = ruleInputSchema({ districts: ['鸠江区', '无为市'], categories: [] });

describe.skipIf(!redisUrl)('alerts in production mode (BullMQ)', () => {
  let db: TestDatabase;
  let queue: BullMqQueue;
  let workers: WorkerSet;
  let hook: Server;
  const bodies: { signature: string; timestamp: string; body: string }[] = [];
  const prefix = uniquePrefix();
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        bodies.push({ signature: String(req.headers['x-minsheng-signature']), timestamp: String(req.headers['x-minsheng-timestamp']), body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    config = testConfig({ PORTAL_RATE_LIMIT: '1000', ALERT_WEBHOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`, ALERT_WEBHOOK_SECRET: SECRET });
    db = await createTestDatabase();
    queue = new BullMqQueue(redisConnection(redisUrl!), prefix);
    workers = startBullMqWorkers(redisConnection(redisUrl!), prefix, createProcessors({ db, queue, logger: silentLogger, shipped, config }), { concurrency: 2, onError: () => {} });
  });
  afterAll(async () => {
    await workers?.close();
    if (queue) {
      for (const name of QUEUE_NAMES) await queue.queue(name).obliterate({ force: true });
      await queue.close();
    }
    await db?.close();
    await new Promise((r) => hook?.close(r));
  });

  const alertsOf = async (ruleId: number) => db.sql<{ id: number; evidence: { count: number } }[]>`SELECT id, evidence FROM alerts WHERE rule_id = ${ruleId}`;

  it('the message job raises one alert and the outbox job delivers it, signed', async () => {
    const rule = await insertAlertRule(db.sql, { ...schema.parse({ name: '噪音', definition: { keywordGroups: [{ must: ['噪音|打桩'] }], windowMinutes: 30, minVolume: 6 } }), createdBy: 'test' });
    const app = testApp(db, queue, config);
    for (let i = 0; i < 7; i++) {
      const res = await postJson(app, '/api/v1/messages', { title: '工地噪音', content: `鸠江区湾里街道万春花园工地夜里打桩噪音扰民，第${i + 1}次反映`, contactName: '孙先生', phone: '13905531111' });
      expect(res.status).toBe(201);
    }
    await waitFor(async () => bodies.length > 0, undefined, 200, 'the webhook');
    const alerts = await alertsOf(rule.id);
    expect(alerts).toHaveLength(1);
    const b = bodies[0];
    expect(b.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(`${b.timestamp}.${b.body}`).digest('hex')}`);
    expect((JSON.parse(b.body) as { alert: { id: number } }).alert.id).toBe(alerts[0].id);
  });

  it('the periodic alert-sweep job finds a rise no message job evaluated', async () => {
    const rule = await insertAlertRule(db.sql, { ...schema.parse({ name: '欠薪', definition: { keywordGroups: [{ must: ['工资'] }], windowMinutes: 60, minVolume: 5, groupBy: 'none', targets: { webhook: false } } }), createdBy: 'test' });
    for (let i = 0; i < 5; i++) {
      const { message } = await insertMessage(db.sql, incoming({ body: `无为市高沟镇工地拖欠农民工工资${i}`, receivedAt: new Date(Date.now() - i * 60_000) }));
      const analysis = { normalizedText: message.body, place: { district: '无为市' }, category: { label: '劳动和社会保障' }, sentiment: { label: 'negative' } };
      await db.sql`UPDATE messages SET state = 'processed', analysis = ${db.sql.json(analysis)} WHERE id = ${message.id}`;
    }
    expect(await alertsOf(rule.id)).toEqual([]);
    await queue.enqueue('periodic', { task: 'alert-sweep' }, { jobId: `alert-sweep-test-${Date.now()}` });
    const [a] = await waitFor(async () => { const r = await alertsOf(rule.id); return r.length ? r : null; }, undefined, 200, 'the swept alert');
    expect(a.evidence.count).toBe(5);
  });
});
