// Review fixes of 舆情预警: the evidence leaving the system masks the residents' own details (no cue
// word needed); an episode opened without its outbox rows (a crash between) is delivered by the sweep,
// once; one burst processed late in chunks is one alert; a stored rule that no longer parses does not
// stop the sweep of the others.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_CHANNELS, deliverAlert, type DeliveryConfig } from '../core/alerts/deliver';
import { evaluateAlertsForMessage, evaluateRule, ruleFromRow, sweepAlerts, type AlertDeps } from '../core/alerts/evaluate';
import { ruleInputSchema, type RuleInput } from '../core/alerts/rule-schema';
import { alertSenders } from '../core/alerts/senders';
import { insertAlertRule, openAlertEpisode } from '../core/db/alerts';
import { insertMessage } from '../core/db/messages';
import { sendOutbox } from '../core/outbox/send';
import { InProcessQueue } from '../core/queue/in-process';
import { silentLogger } from './support/app';
import { incoming } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
const T0 = new Date(Date.now() - 3 * 86_400_000);
const at = (min: number) => new Date(T0.getTime() + min * 60_000);
const NO_DELIVERY: DeliveryConfig = { webhookUrl: null, webhookSecret: null, smtpUrl: null, emailTo: [], emailFrom: 'x@localhost' };
const schema = ruleInputSchema({ districts: ['镜湖区', '鸠江区', '弋江区', '繁昌区'], categories: ['城乡建设'] });

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue(); // no processors: delivery jobs wait, the tests send by hand
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

const deps = (over: Partial<AlertDeps> = {}): AlertDeps => ({ sql: db.sql, queue, log: silentLogger, now: () => T0, delivery: NO_DELIVERY, ...over });

async function addRule(input: unknown) {
  const r: RuleInput = schema.parse(input);
  return ruleFromRow(await insertAlertRule(db.sql, { ...r, createdBy: 'test' }));
}

/** A message as the pipeline leaves it (processed unless told), with the fields the rules read. */
async function addMessage(o: {
  text: string; district: string; minute: number; processed?: boolean;
  contactName?: string | null; contactPhone?: string | null; contactHandle?: string | null; address?: string | null;
}): Promise<number> {
  const { message } = await insertMessage(db.sql, incoming({
    body: o.text, receivedAt: at(o.minute), contactName: o.contactName ?? null, contactPhone: o.contactPhone ?? null,
    contactHandle: o.contactHandle ?? null, address: o.address ?? null,
  }));
  const analysis = {
    normalizedText: o.text, maskedText: o.text, place: { district: o.district, street: null, community: null, address: null, confidence: 1 },
    category: { label: '城乡建设', confidence: 0.9 }, sentiment: { label: 'negative', confidence: 0.9, score: -0.5 },
  };
  await db.sql`UPDATE messages SET analysis = ${db.sql.json(analysis)} WHERE id = ${message.id}`;
  if (o.processed !== false) await markProcessed([message.id]);
  return message.id;
}
const markProcessed = (ids: number[]) => db.sql`UPDATE messages SET state = 'processed', processed_at = now() WHERE id IN ${db.sql(ids)}`;

async function alertsOf(ruleId: number) {
  return db.sql<{ id: number; endedAt: Date | null; evidence: { count: number; topMessages: { text: string }[] } }[]>`
    SELECT id, ended_at, evidence FROM alerts WHERE rule_id = ${ruleId} ORDER BY id`;
}
const outboxOf = (alertId: number) =>
  db.sql<{ id: number; channel: string; idempotencyKey: string }[]>`
    SELECT id, channel, idempotency_key FROM outbox WHERE kind = 'alert' AND payload->>'alertId' = ${String(alertId)} ORDER BY channel`;

describe('alert evidence leaving the system', () => {
  let hook: Server;
  let smtp: SMTPServer;
  const bodies: string[] = [];
  const mails: string[] = [];

  beforeAll(async () => {
    hook = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _s, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => (mails.push(Buffer.concat(chunks).toString('utf8')), cb()));
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise((r) => hook?.close(r));
    await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  });

  it('the resident’s own name (no cue word), phone, handle and house address never reach the evidence, the webhook or the e-mail', async () => {
    const delivery: DeliveryConfig = {
      webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/in`,
      webhookSecret: 'a-webhook-secret-of-length',
      smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      emailTo: ['duty@example.org'],
      emailFrom: 'alerts@example.org',
    };
    const rule = await addRule({ name: '燃气泄漏', definition: { keywordGroups: [{ must: ['燃气'] }], windowMinutes: 10, minVolume: 3, groupBy: 'none' } });
    const residents = [
      { contactName: '周美玲', contactPhone: '139-0553-1234', contactHandle: 'zml_1988', address: '繁昌区孙村镇梅花路27号2栋301室' },
      { contactName: '钱文斌', contactPhone: '13805531111', contactHandle: 'qwb2020', address: '繁昌区繁阳镇春谷路15号' },
      { contactName: '孙丽', contactPhone: '13955330000', contactHandle: null, address: '繁昌区峨山路9号院' },
    ];
    for (const [i, r] of residents.entries()) {
      await addMessage({
        ...r, district: '繁昌区', minute: 400 + i,
        text: `${r.contactName}家住${r.address}，楼道燃气味很重，${r.contactName}很担心，回电${r.contactPhone.replace(/-/g, '')}，微博${r.contactHandle ?? '无'}`,
      });
    }
    const opened = (await sweepAlerts(deps({ now: () => at(403), delivery }))).opened;
    expect(opened).toHaveLength(1);
    const [alert] = await alertsOf(rule.id);
    expect(alert.evidence.topMessages).toHaveLength(3);

    const clock = new Date(Date.now() + 1000);
    const senders = alertSenders({ sql: db.sql, now: () => clock, delivery });
    for (const row of await outboxOf(opened[0])) expect((await sendOutbox({ sql: db.sql, senders, now: () => clock }, row.id)).status).toBe('sent');
    expect(bodies).toHaveLength(1);
    expect(mails).toHaveLength(1);
    // the e-mail's text part may be quoted-printable or base64: decode what nodemailer wrote
    const mailText = decodeMail(mails[0]);
    expect(mailText).toContain('燃气');

    const evidence = JSON.stringify(alert.evidence);
    for (const r of residents) {
      const secrets = [r.contactName, r.contactPhone, r.contactPhone.replace(/-/g, ''), r.address, ...(r.contactHandle ? [r.contactHandle] : [])];
      for (const s of secrets) {
        expect(evidence).not.toContain(s);
        expect(bodies[0]).not.toContain(s);
        expect(mailText).not.toContain(s);
      }
      expect(bodies[0]).toContain(`${r.contactName[0]}**`); // the surname stays: a masked name, not a lost one
    }
    // no house numbers in what leaves, with or without the sender's address on file
    expect(bodies[0]).not.toMatch(/\d+号/);
  });

  it('an alert stored before this masking (its evidence quoting the name) is masked again as it is sent', async () => {
    const delivery: DeliveryConfig = {
      webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/in`, webhookSecret: 'a-webhook-secret-of-length', smtpUrl: null, emailTo: [], emailFrom: 'a@example.org',
    };
    const rule = await addRule({ name: '旧预警', definition: { keywordGroups: [{ must: ['漏水'] }], windowMinutes: 10, minVolume: 1, groupBy: 'none' } });
    const id = await addMessage({ text: '吴建国家楼上漏水，吴建国找物业没人管', contactName: '吴建国', district: '镜湖区', minute: 500 });
    const old = { count: 1, topMessages: [{ id, receivedAt: at(500).toISOString(), channel: 'portal', district: '镜湖区', sentiment: 'negative', text: '吴建国家楼上漏水，吴建国找物业没人管' }] };
    const opened = await openAlertEpisode(db.sql, { ruleId: rule.id, scopeKey: '', district: null, topicId: null, title: '旧预警', at: at(500), evidence: old });
    await deliverAlert(deps({ delivery }), opened!.id, rule); // its delivery, queued as it was then (no evaluation refreshes the evidence)
    const [row] = await outboxOf(opened!.id);
    const clock = new Date(Date.now() + 1000);
    const before = bodies.length;
    expect((await sendOutbox({ sql: db.sql, senders: alertSenders({ sql: db.sql, now: () => clock, delivery }), now: () => clock }, row.id)).status).toBe('sent');
    const body = bodies[before];
    expect(body).toContain('漏水');
    expect(body).not.toContain('吴建国');
    expect(body).toContain('吴**');
  });
});

function decodeMail(raw: string): string {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

describe('alert delivery survives a crash between opening and queueing', () => {
  const delivery: DeliveryConfig = { webhookUrl: 'http://127.0.0.1:9/in', webhookSecret: 'a-webhook-secret-of-length', smtpUrl: 'smtp://127.0.0.1:9', emailTo: ['duty@example.org'], emailFrom: 'a@example.org' };

  it('an open episode without outbox rows is queued by the sweep, once per target', async () => {
    const rule = await addRule({ name: '桥梁', definition: { keywordGroups: [{ must: ['桥面'] }], windowMinutes: 10, minVolume: 3, groupBy: 'none' } });
    for (let i = 0; i < 3; i++) await addMessage({ text: `鸠江区桥面开裂${i}`, district: '鸠江区', minute: 600 + i });
    // what a worker that stopped right after committing the episode left behind
    const opened = await openAlertEpisode(db.sql, { ruleId: rule.id, scopeKey: '', district: null, topicId: null, title: '桥梁', at: at(602), evidence: { count: 3 } });
    expect(await outboxOf(opened!.id)).toEqual([]);

    const first = await sweepAlerts(deps({ now: () => at(603), delivery }));
    expect(first.opened).toEqual([]); // the same episode, not a new alert
    expect(first.redelivered).toEqual([opened!.id]);
    const rows = await outboxOf(opened!.id);
    expect(rows.map((r) => [r.channel, r.idempotencyKey])).toEqual([
      [ALERT_CHANNELS.email, `alert-${opened!.id}-email`],
      [ALERT_CHANNELS.webhook, `alert-${opened!.id}-webhook`],
    ]);
    // later sweeps queue nothing more
    expect((await sweepAlerts(deps({ now: () => at(604), delivery }))).redelivered).toEqual([]);
    expect(await outboxOf(opened!.id)).toHaveLength(2);
  });

  it('an episode opened by evaluation has its outbox rows from the same transaction', async () => {
    const rule = await addRule({ name: '护栏', definition: { keywordGroups: [{ must: ['护栏'] }], windowMinutes: 10, minVolume: 3, groupBy: 'none' } });
    for (let i = 0; i < 3; i++) await addMessage({ text: `弋江区护栏倒塌${i}`, district: '弋江区', minute: 700 + i });
    // an outbox that refuses the rows (the worker dies there): the episode is rolled back with them
    await db.sql`CREATE OR REPLACE FUNCTION test_refuse_alert_outbox() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outbox down'; END $$`;
    await db.sql`CREATE TRIGGER test_refuse_alert_outbox BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION test_refuse_alert_outbox()`;
    try {
      await expect(evaluateRule(deps({ delivery }), rule, at(702))).rejects.toThrow(/outbox down/);
      expect(await alertsOf(rule.id)).toEqual([]); // no alert left open without its deliveries
    } finally {
      await db.sql`DROP TRIGGER test_refuse_alert_outbox ON outbox`;
    }
    const r = await evaluateRule(deps({ delivery }), rule, at(702));
    expect(r.opened).toHaveLength(1);
    expect(await outboxOf(r.opened[0])).toHaveLength(2);
  });
});

describe('a burst processed late', () => {
  const delivery: DeliveryConfig = { webhookUrl: 'http://127.0.0.1:9/in', webhookSecret: 'a-webhook-secret-of-length', smtpUrl: null, emailTo: [], emailFrom: 'a@example.org' };

  it('two hours late, in chunks, with sweeps between: one alert, delivered once', async () => {
    const rule = await addRule({ name: '路面塌陷', definition: { keywordGroups: [{ must: ['塌陷'] }], windowMinutes: 10, minVolume: 6, groupBy: 'district', quietMinutes: 30 } });
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push(await addMessage({ text: `镜湖区银湖路路面塌陷${i}`, district: '镜湖区', minute: 800 + i, processed: false }));
    let clock = at(920); // the workers reach the burst two hours after it
    const d = () => deps({ now: () => clock, delivery });
    for (let chunk = 0; chunk < 4; chunk++) {
      const part = ids.slice(chunk * 3, chunk * 3 + 3);
      await markProcessed(part);
      for (const id of part) await evaluateAlertsForMessage(d(), id);
      clock = new Date(clock.getTime() + 60_000);
      await sweepAlerts(d()); // at the present: the burst's window is long past, its episode ends
    }
    const alerts = await alertsOf(rule.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].evidence.count).toBeGreaterThanOrEqual(10); // the latest evidence: the whole burst
    expect(await outboxOf(alerts[0].id)).toHaveLength(1);
    const all = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM outbox o JOIN alerts a ON o.payload->>'alertId' = a.id::text WHERE a.rule_id = ${rule.id}`;
    expect(all[0].n).toBe(1);

    // a new rise after the quiet period is a new alert, late or not
    const later: number[] = [];
    for (let i = 0; i < 6; i++) later.push(await addMessage({ text: `镜湖区银湖路又塌陷${i}`, district: '镜湖区', minute: 860 + i, processed: false }));
    await markProcessed(later);
    for (const id of later) await evaluateAlertsForMessage(d(), id);
    expect(await alertsOf(rule.id)).toHaveLength(2);
  });
});

describe('a stored rule that no longer parses', () => {
  it('is logged and skipped: the sweep and the per-message evaluation still run every other rule', async () => {
    const good = await addRule({ name: '电梯困人', definition: { keywordGroups: [{ must: ['电梯困人'] }], windowMinutes: 10, minVolume: 3, groupBy: 'none' } });
    // a definition stored by an older version (or edited by hand) that today's schema refuses
    const [bad] = await db.sql<{ id: number }[]>`
      INSERT INTO alert_rules (name, enabled, definition, created_by) VALUES ('旧规则', true, ${db.sql.json({ windowMinutes: 'ten', keywordGroups: 'x' })}, 'test') RETURNING id`;
    const warned: { ruleId?: number; msg: string }[] = [];
    const log = { warn: (o: { ruleId?: number }, msg: string) => warned.push({ ruleId: o.ruleId, msg }), info: () => {} };
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(await addMessage({ text: `弋江区小区电梯困人${i}`, district: '弋江区', minute: 1000 + i }));

    expect((await evaluateAlertsForMessage(deps({ now: () => at(1003), log }), ids[2])).opened).toHaveLength(1);
    await db.sql`UPDATE alerts SET ended_at = ${at(1003)} WHERE rule_id = ${good.id}`;
    await db.sql`UPDATE alerts SET last_true_at = ${at(900)}, opened_at = ${at(900)} WHERE rule_id = ${good.id}`; // long over
    const r = await sweepAlerts(deps({ now: () => at(1003), log }));
    expect(r.opened).toHaveLength(1);
    expect((await alertsOf(good.id)).filter((a) => a.endedAt === null)).toHaveLength(1);
    expect(warned.filter((w) => w.ruleId === Number(bad.id)).length).toBeGreaterThanOrEqual(2);
  });
});
