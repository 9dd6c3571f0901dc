// 舆情预警 on a running system (issue 10, "On a running system"): 15 messages about one problem in
// one district within 10 minutes raise ONE alert with its evidence, delivered to the dashboard list,
// a signed webhook and an e-mail over SMTP (a local smtp-server the test starts); staff acknowledge
// it; the next daily report lists it.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage as HttpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepAlerts } from '../core/alerts/evaluate';
import { deliveryConfig } from '../core/alerts/deliver';
import { InProcessQueue } from '../core/queue/in-process';
import { makeReport, shanghaiDate } from '../core/reports/make-report';
import { createProcessors } from '../workers/processors/index';
import { postJson, silentLogger, testApp, testConfig } from './support/app';
import { shipped, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';
import { waitFor } from './support/pipeline';

const SECRET = 'alert-webhook-secret-0123456789';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
let hookServer: Server;
let smtp: SMTPServer;
const hooks: { headers: HttpRequest['headers']; body: string }[] = [];
const mails: ParsedMail[] = [];
let config: ReturnType<typeof testConfig>;

beforeAll(async () => {
  hookServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hooks.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream).then((m) => (mails.push(m), done()), done);
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  config = testConfig({
    PORTAL_RATE_LIMIT: '1000',
    ALERT_WEBHOOK_URL: `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`,
    ALERT_WEBHOOK_SECRET: SECRET,
    SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    ALERT_EMAIL_TO: 'duty@example.org',
  });
  db = await createTestDatabase();
  queue = new InProcessQueue({ concurrency: 2 });
  queue.register(createProcessors({ db, queue, logger: silentLogger, shipped, config }));
  app = testApp(db, queue, config);
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
  await new Promise((r) => hookServer?.close(r));
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
});

const auth = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

// one problem (no water since the morning) in one district, in residents' own words
const OUTAGE = [
  ['中南街道停水', '弋江区中南街道从早上开始停水，到现在还没来水，联系电话13905531234'],
  ['家里没水了', '弋江区中南街道利民路一带停水一整天了，也没有提前通知'],
  ['停水什么时候恢复', '请问弋江区中南街道停水什么时候恢复？家里老人孩子等着用水'],
  ['小区停水', '弋江区中南街道康居小区停水了，物业说是自来水公司的问题'],
  ['又停水', '弋江区中南街道又停水了，这个月第三次了，太不方便了'],
  ['停水没通知', '弋江区中南街道突然停水，没有任何通知，饭都做不了'],
  ['中南街道断水', '弋江区中南街道片区断水，打热线也没说清楚原因'],
  ['停水投诉', '投诉弋江区中南街道停水，已经十个小时了，请尽快处理'],
  ['停水影响生活', '弋江区中南街道停水严重影响生活，厕所都没法冲'],
  ['求助 停水', '弋江区中南街道停水，家里有卧床老人，急需用水，求助！'],
  ['停水了', '弋江区中南街道南瑞路附近停水，楼上楼下都没水'],
  ['自来水停了', '弋江区中南街道自来水停了一天，什么时候能来水？'],
  ['停水情况', '反映弋江区中南街道停水情况，附近超市的桶装水都卖光了'],
  ['停水很久', '弋江区中南街道停水很久了，希望相关部门给个说法'],
  ['停水问题', '弋江区中南街道的停水问题到底什么时候解决，大家都很着急'],
];
const ELSEWHERE = [
  ['镜湖区停水', '镜湖区赭山街道今天停水，请问什么原因'],
  ['路灯不亮', '弋江区中南街道利民路路灯坏了好几天了'],
];

async function submit(title: string, content: string): Promise<void> {
  const res = await postJson(app, '/api/v1/messages', { title, content, contactName: '王女士', phone: '13905530001' });
  expect(res.status).toBe(201);
}

describe('alerts on a running system', () => {
  it('15 messages about one problem in one district raise one alert, delivered, acknowledged, in the next daily report', async () => {
    const admin = await staffToken(db.sql, 'admin');
    const rule = await postJson(
      app,
      '/api/v1/alert-rules',
      { name: '停水预警', definition: { keywordGroups: [{ must: ['停水|没水|断水|停了'], mustNot: ['停电'] }], windowMinutes: 10, minVolume: 10, groupBy: 'district', quietMinutes: 30 } },
      { authorization: `Bearer ${admin}` },
    );
    expect(rule.status).toBe(201);
    const ruleId = ((await rule.json()) as { id: number }).id;

    for (const [t, c] of ELSEWHERE) await submit(t, c);
    for (const [t, c] of OUTAGE) await submit(t, c);

    const dept = await staffToken(db.sql, 'department', 'water');
    const listed = await waitFor(async () => {
      const body = (await (await app.request("/api/v1/alerts", auth(dept))).json()) as { total: number; alerts: { id: number; title: string; openedAt: string; topic: { id: number; label: string } | null; district: string | null; rule: { id: number; name: string }; evidence: { count: number; topMessages: { text: string }[]; series: { count: number }[]; channels: Record<string, number>; categories: Record<string, number> }; deliveries: { channel: string; status: string }[] }[] };
      return body.total > 0 && body;
    }, undefined, 200, 'an alert');
    await queue.drain();
    // the periodic job evaluates again at the present time: the same episode, not a second alert
    const swept = await sweepAlerts({ sql: db.sql, queue, log: silentLogger, now: () => new Date(), delivery: deliveryConfig(config) });
    expect(swept.opened).toEqual([]);
    await queue.drain();

    const body = (await (await app.request('/api/v1/alerts', auth(dept))).json()) as typeof listed;
    expect(body.total).toBe(1);
    const alert = body.alerts[0];
    expect(alert.id).toBe(listed.alerts[0].id);
    expect(alert.rule).toEqual({ id: ruleId, name: '停水预警' });
    expect(alert.district).toBe('弋江区');
    expect(alert.title).toContain('弋江区');
    // linked to the topic store's topic that holds most of these messages
    const [{ topicId }] = await db.sql<{ topicId: number }[]>`
      SELECT t.topic_id FROM opinion_topic_members t JOIN messages m ON m.id = t.message_id
      WHERE m.body LIKE '弋江区中南街道%' AND m.body NOT LIKE '%路灯%' GROUP BY t.topic_id ORDER BY count(*) DESC, t.topic_id LIMIT 1`;
    expect(alert.topic?.id).toBe(Number(topicId));
    expect(alert.topic?.label).toBeTruthy();
    // evidence: all 15 counted (镜湖区's one and the street-lamp message are not), counts over time, masked messages
    expect(alert.evidence.count).toBe(15);
    expect(alert.evidence.series.reduce((s, b) => s + b.count, 0)).toBe(15);
    // by channel and by category: what the alert list's channel / category filters read
    expect(alert.evidence.channels).toEqual({ portal: 15 });
    expect(Object.values(alert.evidence.categories).reduce((s, n) => s + n, 0)).toBe(15);
    expect(alert.evidence.topMessages.length).toBe(5);
    const texts = alert.evidence.topMessages.map((m) => m.text).join('\n');
    expect(texts).toContain('停水');
    expect(JSON.stringify(alert.evidence)).not.toContain('13905531234');

    // webhook: signed over timestamp.body with the shared secret, once
    await waitFor(async () => hooks.length > 0, undefined, 100, 'the webhook');
    expect(hooks).toHaveLength(1);
    const h = hooks[0];
    const ts = String(h.headers['x-minsheng-timestamp']);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(3600);
    expect(h.headers['x-minsheng-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(`${ts}.${h.body}`).digest('hex')}`);
    expect(h.headers['x-minsheng-signature']).not.toBe(`sha256=${createHmac('sha256', 'another-secret-xxxxxxxx').update(`${ts}.${h.body}`).digest('hex')}`);
    const payload = JSON.parse(h.body) as { event: string; alert: { id: number; evidence: { count: number } } };
    expect(payload.event).toBe('alert.opened');
    expect(payload.alert.id).toBe(alert.id);

    // e-mail: one message to the duty address, in Chinese, evidence masked
    await waitFor(async () => mails.length > 0, undefined, 100, 'the e-mail');
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect((mail.to as { value: { address: string }[] }).value.map((v) => v.address)).toEqual(['duty@example.org']);
    expect(mail.subject).toContain('【舆情预警】');
    expect(mail.subject).toContain('弋江区');
    expect(mail.text).toContain('停水');
    expect(mail.text).not.toContain('13905531234');

    const one = (await (await app.request(`/api/v1/alerts/${alert.id}`, auth(dept))).json()) as { deliveries: { channel: string; status: string; tries: { ok: boolean }[] }[] };
    expect(one.deliveries.map((d) => [d.channel, d.status, d.tries.map((t) => t.ok)]).sort()).toEqual([
      ['alert-email', 'sent', [true]],
      ['alert-webhook', 'sent', [true]],
    ]);

    // acknowledged by staff; leaders only read
    const leader = await staffToken(db.sql, 'leader');
    expect((await postJson(app, `/api/v1/alerts/${alert.id}/ack`, {}, { authorization: `Bearer ${leader}` })).status).toBe(403);
    const centre = await staffToken(db.sql, 'centre');
    const ack = await postJson(app, `/api/v1/alerts/${alert.id}/ack`, { note: '已通知自来水公司' }, { authorization: `Bearer ${centre}` });
    expect(ack.status).toBe(200);
    const acked = (await ack.json()) as { acked: boolean; alert: { ack: { by: string; note: string } } };
    expect(acked.acked).toBe(true);
    expect(acked.alert.ack.note).toBe('已通知自来水公司');
    const again = (await (await postJson(app, `/api/v1/alerts/${alert.id}/ack`, {}, { authorization: `Bearer ${dept}` })).json()) as typeof acked;
    expect(again.acked).toBe(false);
    expect(again.alert.ack.note).toBe('已通知自来水公司');
    expect((await postJson(app, '/api/v1/alerts/999999/ack', {}, { authorization: `Bearer ${centre}` })).status).toBe(404);
    const badNote = await postJson(app, `/api/v1/alerts/${alert.id}/ack`, { note: 5 }, { authorization: `Bearer ${centre}` });
    expect(badNote.status).toBe(400);
    expect(JSON.stringify(await badNote.json())).toContain('备注须为文字');
    expect((await app.request('/api/v1/alerts')).status).toBe(401);

    // the next daily report lists it
    const made = await makeReport({ sql: db.sql, now: new Date() }, 'daily', shanghaiDate(new Date(alert.openedAt)));
    const reports = (await (await app.request('/api/v1/reports', auth(leader))).json()) as { reports: { id: number; links: { html: string; pdf: string } }[] };
    const listedReport = reports.reports.find((r) => r.id === made.id)!;
    const html = await (await app.request(listedReport.links.html, auth(leader))).text();
    expect(html).toContain('三、突增与预警');
    expect(html).toContain(alert.title.replace(/&/g, '&amp;'));
    expect(html).not.toContain('13905531234');
  });
});
