// 预警规则 evaluated over stored messages at chosen times: once per episode (an episode ends after
// the quiet period, then a new one may fire), keyword groups (must / must-not), scope and grouping,
// negative share, the topic store's heat and burst state; and the delivery retries: a signed webhook
// retried with exponential backoff, SMTP refusals (4xx retried, 5xx given up), every try recorded.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_CHANNELS, type DeliveryConfig } from '../core/alerts/deliver';
import { evaluateAlertsForMessage, evaluateRule, ruleFromRow, sweepAlerts, type AlertDeps } from '../core/alerts/evaluate';
import { ruleInputSchema, type RuleInput } from '../core/alerts/rule-schema';
import { alertSenders } from '../core/alerts/senders';
import { topicStoreSignals } from '../core/alerts/topic-signals';
import { insertAlertRule, listDeliveryAttempts } from '../core/db/alerts';
import { getOutbox } from '../core/db/outbox';
import { insertMessage } from '../core/db/messages';
import { sendOutbox } from '../core/outbox/send';
import { InProcessQueue } from '../core/queue/in-process';
import { silentLogger } from './support/app';
import { incoming } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
const T0 = new Date(Date.now() - 86_400_000);
const at = (min: number) => new Date(T0.getTime() + min * 60_000);
const NO_DELIVERY: DeliveryConfig = { webhookUrl: null, webhookSecret: null, smtpUrl: null, emailTo: [], emailFrom: 'x@localhost' };
const schema = ruleInputSchema({ districts: ['镜湖区', '鸠江区', '弋江区'], categories: ['城乡建设'] });

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue(); // no processors: delivery jobs wait, the tests send by hand
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

const deps = (over: Partial<AlertDeps> = {}): AlertDeps => ({ sql: db.sql, queue, log: silentLogger, now: () => T0, delivery: NO_DELIVERY, topics: topicStoreSignals, ...over });

async function addRule(input: unknown) {
  const r: RuleInput = schema.parse(input);
  return ruleFromRow(await insertAlertRule(db.sql, { ...r, createdBy: 'test' }));
}

/** A processed message as the pipeline leaves it (the fields the rules read). */
async function addMessage(o: { text: string; district: string; minute: number; sentiment?: string; channel?: 'portal' | 'weibo' }): Promise<number> {
  const { message } = await insertMessage(db.sql, incoming({ body: o.text, receivedAt: at(o.minute), channel: o.channel ?? 'portal' }));
  const analysis = {
    normalizedText: o.text, maskedText: o.text, place: { district: o.district, street: null, community: null, address: null, confidence: 1 },
    category: { label: '城乡建设', confidence: 0.9 }, sentiment: { label: o.sentiment ?? 'negative', confidence: 0.9, score: -0.5 },
  };
  await db.sql`UPDATE messages SET state = 'processed', analysis = ${db.sql.json(analysis)} WHERE id = ${message.id}`;
  return message.id;
}

async function alertsOf(ruleId: number) {
  return db.sql<{ id: number; scopeKey: string; endedAt: Date | null; evidence: { count: number } }[]>`
    SELECT id, scope_key, ended_at, evidence FROM alerts WHERE rule_id = ${ruleId} ORDER BY id`;
}

describe('alert episodes', () => {
  it('fires once per episode per district, ends after the quiet period, fires again on a new rise', async () => {
    const rule = await addRule({
      name: '停水', definition: { keywordGroups: [{ must: ['停水'], mustNot: ['演习'] }], windowMinutes: 10, minVolume: 10, groupBy: 'district', quietMinutes: 30, scope: { districts: ['镜湖区', '鸠江区', '弋江区'] } },
    });
    for (let i = 0; i < 12; i++) await addMessage({ text: `镜湖区赭山街道停水第${i}户`, district: '镜湖区', minute: -i / 2, sentiment: i % 2 ? 'neutral' : 'negative' });
    for (let i = 0; i < 5; i++) await addMessage({ text: `鸠江区停水${i}`, district: '鸠江区', minute: -i });
    for (let i = 0; i < 10; i++) await addMessage({ text: `弋江区停水演习通知${i}`, district: '弋江区', minute: -i / 2 });

    const first = await evaluateRule(deps(), rule, at(0), { endQuiet: true });
    expect(first.opened).toHaveLength(1);
    let alerts = await alertsOf(rule.id);
    // 镜湖区 only: 鸠江区 has 5, 弋江区's ten are drills (must-not)
    expect(alerts.map((a) => a.scopeKey)).toEqual(['district:镜湖区']);
    expect(alerts[0].evidence.count).toBe(12);

    // still true a minute later: the same episode, fresher evidence, nothing new fired
    const again = await sweepAlerts(deps({ now: () => at(1) }));
    expect(again.opened).toEqual([]);
    expect(again.touched).toEqual([alerts[0].id]);
    // false at +20 (the 10-minute window has emptied) but not yet quiet for 30 minutes
    expect((await sweepAlerts(deps({ now: () => at(20) }))).ended).toEqual([]);
    // quiet since +1: at +40 the episode is over
    expect((await sweepAlerts(deps({ now: () => at(40) }))).ended).toEqual([alerts[0].id]);

    // a new rise after the episode ended is a new alert
    for (let i = 0; i < 10; i++) await addMessage({ text: `镜湖区又停水了${i}`, district: '镜湖区', minute: 50 + i / 2 });
    expect((await sweepAlerts(deps({ now: () => at(56) }))).opened).toHaveLength(1);
    alerts = await alertsOf(rule.id);
    expect(alerts).toHaveLength(2);
    expect(alerts[0].endedAt).not.toBeNull();
    expect(alerts[1].endedAt).toBeNull();
  });

  it('a message evaluated as it is processed: a current one raises the alert, an old record (an import) does not', async () => {
    const rule = await addRule({ name: '井盖', definition: { keywordGroups: [{ must: ['井盖'] }], windowMinutes: 30, minVolume: 3, groupBy: 'none' } });
    const old: number[] = [];
    for (let i = 0; i < 3; i++) old.push(await addMessage({ text: `镜湖区井盖丢失${i}`, district: '镜湖区', minute: -2 * 24 * 60 + i }));
    const realNow = deps({ now: () => new Date() });
    expect((await evaluateAlertsForMessage(realNow, old[2])).opened).toEqual([]); // two days old: counted, raises nothing
    // the same rise at its own time raises it
    expect((await evaluateAlertsForMessage(deps({ now: () => at(-2 * 24 * 60 + 3) }), old[2])).opened).toHaveLength(1);
    expect(await alertsOf(rule.id)).toHaveLength(1);
  });

  it('negative share, channel scope and the whole-scope grouping', async () => {
    const base = { keywordGroups: [{ must: ['噪音|扰民'] }], windowMinutes: 30, minVolume: 6, scope: { districts: ['鸠江区'] } };
    const strict = await addRule({ name: '噪音负面', definition: { ...base, minNegativeShare: 0.9 } });
    const loose = await addRule({ name: '噪音', definition: { ...base, minNegativeShare: 0.5, groupBy: 'none' } });
    const weibo = await addRule({ name: '微博噪音', definition: { ...base, scope: { ...base.scope, channels: ['weibo'] } } });
    for (let i = 0; i < 8; i++) await addMessage({ text: `鸠江区湾里街道工地夜间噪音${i}`, district: '鸠江区', minute: 100 + i, sentiment: i < 6 ? 'negative' : 'neutral', channel: i < 3 ? 'weibo' : 'portal' });
    const now = at(108);
    expect((await evaluateRule(deps(), strict, now)).opened).toEqual([]); // 75% negative < 90%
    expect((await evaluateRule(deps(), loose, now)).opened).toHaveLength(1);
    expect((await alertsOf(loose.id))[0].scopeKey).toBe('');
    expect((await evaluateRule(deps(), weibo, now)).opened).toEqual([]); // 3 on Weibo < 6
  });

  it('heat and burst thresholds read the topic store', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) ids.push(await addMessage({ text: `弋江区中南街道垃圾清运不及时${i}`, district: '弋江区', minute: 200 + i }));
    const [hot] = await db.sql<{ id: number }[]>`
      INSERT INTO opinion_topics (district, label, size, first_at, last_at, heat, burst_state)
      VALUES ('弋江区', '弋江区中南街道 垃圾清运', 8, ${at(200)}, ${at(207)}, 72, 'burst') RETURNING id`;
    for (const id of ids) {
      await db.sql`INSERT INTO opinion_topic_members (message_id, topic_id, received_at, channel, district, is_public, terms)
        VALUES (${id}, ${hot.id}, ${at(200)}, 'portal', '弋江区', true, '{}')`;
    }
    const burst = await addRule({ name: '垃圾突增', definition: { keywordGroups: [{ must: ['垃圾'] }], windowMinutes: 30, minVolume: 5, requireBurst: true, minHeat: 60, groupBy: 'topic' } });
    const hotter = await addRule({ name: '垃圾极热', definition: { keywordGroups: [{ must: ['垃圾'] }], windowMinutes: 30, minVolume: 5, minHeat: 80, groupBy: 'topic' } });
    expect((await evaluateRule(deps(), burst, at(208))).opened).toHaveLength(1);
    const [a] = await db.sql<{ scopeKey: string; topicId: number; evidence: { topic: { label: string; heat: number; burst: boolean } } }[]>`SELECT scope_key, topic_id, evidence FROM alerts WHERE rule_id = ${burst.id}`;
    expect(a.scopeKey).toBe(`topic:${hot.id}`);
    expect(Number(a.topicId)).toBe(Number(hot.id));
    expect(a.evidence.topic).toMatchObject({ label: '弋江区中南街道 垃圾清运', heat: 72, burst: true });
    expect((await evaluateRule(deps(), hotter, at(208))).opened).toEqual([]);
    // the same topic no longer in a burst: the burst rule is not met (its open episode only ages)
    await db.sql`UPDATE opinion_topics SET burst_state = 'new' WHERE id = ${hot.id}`;
    expect((await evaluateRule(deps(), burst, at(209))).touched).toEqual([]);
  });
});

describe('alert delivery retries', () => {
  let hook: Server;
  let smtp: SMTPServer;
  const answers: number[] = [];
  const received: string[] = [];
  let smtpRefusals: number[] = [];
  const mails: number[] = [];

  beforeAll(async () => {
    hook = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const status = answers.shift() ?? 200;
        received.push(String(req.headers['x-minsheng-delivery']));
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(_addr, _s, cb) {
        const code = smtpRefusals.shift();
        if (code) return cb(Object.assign(new Error(code >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: code }));
        cb();
      },
      onData(stream, _s, cb) {
        stream.resume();
        stream.on('end', () => (mails.push(1), cb()));
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise((r) => hook?.close(r));
    await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  });

  it('retries the webhook with exponential backoff and records every try; SMTP 4xx retried, 5xx given up', async () => {
    const delivery: DeliveryConfig = {
      webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/in`,
      webhookSecret: 'a-webhook-secret-of-length',
      smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      emailTo: ['duty@example.org'],
      emailFrom: 'alerts@example.org',
    };
    const rule = await addRule({ name: '燃气', definition: { keywordGroups: [{ must: ['燃气'] }], windowMinutes: 10, minVolume: 3, groupBy: 'none' } });
    for (let i = 0; i < 3; i++) await addMessage({ text: `繁昌区燃气泄漏气味${i}`, district: '繁昌区', minute: 300 + i });
    const opened = (await evaluateRule(deps({ delivery }), rule, at(303))).opened;
    expect(opened).toHaveLength(1);
    const rows = await db.sql<{ id: number; channel: string }[]>`SELECT id, channel FROM outbox WHERE kind = 'alert' AND payload->>'alertId' = ${String(opened[0])} ORDER BY channel`;
    expect(rows.map((r) => r.channel)).toEqual([ALERT_CHANNELS.email, ALERT_CHANNELS.webhook]);
    const [email, webhook] = rows;

    let clock = new Date(Date.now() + 1000); // the outbox rows are due from the real present
    const senders = alertSenders({ sql: db.sql, now: () => clock, delivery });
    const send = (id: number) => sendOutbox({ sql: db.sql, senders, now: () => clock }, id);

    answers.push(500, 503);
    const r1 = await send(webhook.id);
    expect(r1.status).toBe('retry');
    expect((r1 as { at: Date }).at.getTime() - clock.getTime()).toBe(30_000);
    expect((await send(webhook.id)).status).toBe('busy'); // not due yet
    clock = new Date(clock.getTime() + 30_000);
    const r2 = await send(webhook.id);
    expect(r2.status).toBe('retry');
    expect((r2 as { at: Date }).at.getTime() - clock.getTime()).toBe(60_000); // doubled
    clock = new Date(clock.getTime() + 60_000);
    expect((await send(webhook.id)).status).toBe('sent');
    expect(received).toEqual([`alert-${opened[0]}-webhook`, `alert-${opened[0]}-webhook`, `alert-${opened[0]}-webhook`]);

    smtpRefusals = [451];
    expect((await send(email.id)).status).toBe('retry');
    clock = new Date(clock.getTime() + 30_000);
    expect((await send(email.id)).status).toBe('sent');
    expect(mails).toHaveLength(1);

    const tries = await listDeliveryAttempts(db.sql, opened);
    expect(tries.filter((t) => t.target === 'webhook').map((t) => [t.attempt, t.ok, t.statusCode])).toEqual([[1, false, 500], [2, false, 503], [3, true, 200]]);
    expect(tries.filter((t) => t.target === 'email').map((t) => [t.attempt, t.ok, t.statusCode])).toEqual([[1, false, 451], [2, true, 250]]);
    expect((await getOutbox(db.sql, webhook.id))?.status).toBe('sent');

    // a receiver that refuses the request (4xx) and a mailbox that does not exist (5xx): given up at once
    const other = await addRule({ name: '燃气2', definition: { keywordGroups: [{ must: ['燃气'] }], windowMinutes: 10, minVolume: 3, groupBy: 'none' } });
    const second = (await evaluateRule(deps({ delivery }), other, at(303))).opened;
    const rows2 = await db.sql<{ id: number; channel: string }[]>`SELECT id, channel FROM outbox WHERE kind = 'alert' AND payload->>'alertId' = ${String(second[0])} ORDER BY channel`;
    answers.push(410);
    smtpRefusals = [550];
    expect((await send(rows2[1].id)).status).toBe('failed');
    expect((await send(rows2[0].id)).status).toBe('failed');
  });
});
