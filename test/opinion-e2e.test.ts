// Issue 10's end-to-end evaluation on a running system: the real HTTP service with its in-process
// job runner and periodic tasks (as `npm start` wires them). 15 residents write, in their own words,
// about one problem (night-time piling at one building site) in one district within minutes; an
// alert rule of 10 messages in 10 minutes matches them. ONE alert episode is raised by the 10th
// message's own processing (opened at its receipt, not by the minute sweep), with its evidence (top
// messages masked: no resident's phone, ID number, name or door; counts over time); the topic is on
// the cockpit's hot list and its trend (daily counts = the volume); the next 舆情日报, made by the
// scheduled report job on the following day, names the alert and the topic. The webhook and e-mail
// bodies and the report (HTML and PDF) carry no resident's personal data either.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app';
import { listen } from '../api/server';
import { InProcessQueue } from '../core/queue/in-process';
import { shanghaiDate, shanghaiMidnight } from '../core/reports/make-report';
import { DEFAULT_REPORT_FONT } from '../core/reports/render-pdf';
import { createProcessors, schedulePeriodic } from '../workers/processors/index';
import { silentLogger, testConfig } from './support/app';
import { shipped, staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';
import { freePort } from './support/net';
import { allowFor, waitFor, WAIT_MS } from './support/pipeline';

// Our own words (never a data set's): one building site on 官陡门路 in 鸠江区 piling at night.
// Residents write their own name, phone, ID number and door into the text, as they do.
const RESIDENTS = {
  names: ['孙志刚', '周淑芬', '陈立新', '刘桂兰'],
  phones: ['13905539876', '18955321234', '0553-5812345', '15056781234', '13855330000'],
  idNumber: '340202198705061234',
  doors: ['6栋1单元302室', '12栋'],
};
const PILING: [string, string, boolean][] = [
  ['官陡门路工地半夜打桩', '鸠江区官陡门路新建工地每天晚上十一点以后还在打桩，咚咚响到凌晨两点，孩子根本睡不着。', true],
  ['夜间施工扰民', '鸠江区官陡街道官陡门路那个工地夜间施工，机器轰鸣，我是住在对面6栋1单元302室的住户，电话13905539876，请管一管。', true],
  ['工地噪音太大', '鸠江区官陡门路工地打桩机半夜不停，噪音太大了，老人心脏不好受不了。', false],
  ['投诉官陡门路工地', '投诉鸠江区官陡门路工地违规夜间施工，已经连续一个星期了，联系人：周淑芬，18955321234。', true],
  ['半夜打桩', '鸠江区官陡门路的工地凌晨还在打桩施工，整栋楼都在震，能不能白天再干？', false],
  ['施工噪音', '我叫陈立新，住鸠江区官陡门路附近，工地晚上打桩噪音严重影响休息，身份证号340202198705061234，请尽快处理。', false],
  ['工地晚上不停工', '鸠江区官陡门路建筑工地晚上十点后仍然施工打桩，明天还要上班，睡不好觉。', true],
  ['夜间打桩扰民', '鸠江区官陡门路工地夜间打桩扰民，打了好几次热线没有结果，希望城管执法。', true],
  ['工地噪声', '鸠江区官陡门路工地噪声扰民，晚上打桩的声音隔着窗户都很响。', false],
  ['强烈要求停止夜间施工', '强烈要求鸠江区官陡门路工地停止夜间施工打桩，家里有高考的孩子，联系电话0553-5812345。', true],
  ['官陡门路工地扰民', '鸠江区官陡门路工地半夜施工，灯光刺眼，打桩声不断，12栋的居民都有意见。', false],
  ['又在打桩', '鸠江区官陡门路工地今晚又在打桩，都凌晨一点了，还让不让人睡觉。', true],
  ['施工时间', '请问鸠江区官陡门路工地夜间施工有没有审批？天天半夜打桩，吵得人睡不着。', false],
  ['工地夜间作业', '鸠江区官陡门路工地夜间作业噪音扰民，我是刘桂兰，15056781234，请相关部门查处。', true],
  ['打桩噪音', '鸠江区官陡门路工地打桩噪音持续到深夜，附近居民苦不堪言，请尽快处理。', false],
];
// in the same minutes, other problems and another district: not counted
const ELSEWHERE: [string, string][] = [
  ['镜湖区工地施工', '镜湖区赭山路有工地夜间施工打桩，请查一下有没有许可。'],
  ['官陡门路路灯', '鸠江区官陡门路路灯坏了一排，晚上走路很黑。'],
];
const CONTACTS = [
  { contactName: '孙志刚', phone: '13905539876' },
  { contactName: '周淑芬', phone: '18955321234' },
  { contactName: '陈立新', phone: '13855330000' },
  { contactName: '刘桂兰', phone: '15056781234' },
];

let db: TestDatabase;
let queue: InProcessQueue;
let server: Awaited<ReturnType<typeof listen>>;
let base: string;
let hookServer: Server;
let smtp: SMTPServer;
let tmp: string;
const hooks: string[] = [];
const mails: ParsedMail[] = [];
let config: ReturnType<typeof testConfig>;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'minsheng-opinion-e2e-'));
  hookServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => (hooks.push(body), res.writeHead(204).end()));
  });
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, _s, done) { simpleParser(stream).then((m) => (mails.push(m), done()), done); },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  config = testConfig({
    PORTAL_RATE_LIMIT: '1000',
    ALERT_WEBHOOK_URL: `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`,
    ALERT_WEBHOOK_SECRET: 'opinion-e2e-webhook-secret-0123',
    SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    ALERT_EMAIL_TO: 'duty@example.org',
  });
  db = await createTestDatabase();
  // the service as bin/start.ts wires it: processors, their periodic tasks (the alert sweep every
  // minute, the report schedule every 15), the API listening on a port
  queue = new InProcessQueue({ concurrency: 2 });
  const deps = { db, queue, logger: silentLogger, config, shipped };
  queue.register(createProcessors(deps));
  await schedulePeriodic(deps);
  const port = await freePort();
  server = await listen(createApp({ db, queue, config, logger: silentLogger, shipped }), '127.0.0.1', port);
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await queue?.close();
  await db?.close();
  await new Promise((r) => hookServer?.close(r));
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function http<T>(pathname: string, init: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(base + pathname, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
}

interface Alert {
  id: number; title: string; openedAt: string; district: string | null; rule: { id: number; name: string }; topic: { id: number; label: string } | null;
  evidence: { count: number; series: { from: string; count: number }[]; topMessages: { id: number; text: string }[]; channels: Record<string, number> };
}

/** every resident's datum the messages carry: none may leave the system in a 舆情 output */
function expectNoPersonalData(what: string, text: string) {
  for (const p of RESIDENTS.phones) {
    expect(text, `${what}: phone ${p}`).not.toContain(p);
    expect(text, `${what}: phone ${p} (digits)`).not.toContain(p.replace(/\D/g, ''));
  }
  expect(text, `${what}: ID number`).not.toContain(RESIDENTS.idNumber);
  for (const n of RESIDENTS.names) expect(text, `${what}: name ${n}`).not.toContain(n);
  for (const d of RESIDENTS.doors) expect(text, `${what}: door ${d}`).not.toContain(d);
}

describe('舆情 end to end on a running system (issue 10)', () => {
  it('15 messages about one problem in one district: one alert by the 10th, masked evidence, the topic and its trend on the cockpit, named in the next 舆情日报', async () => {
    const admin = await staffToken(db.sql, 'admin');
    const leader = await staffToken(db.sql, 'leader');
    const rule = await http<{ id: number }>('/api/v1/alert-rules', {
      token: admin,
      body: { name: '工地夜间施工预警', definition: { keywordGroups: [{ must: ['工地|施工|打桩'], mustNot: ['路灯'] }], windowMinutes: 10, minVolume: 10, groupBy: 'district', quietMinutes: 30 } },
    });
    expect(rule.status).toBe(201);

    const listAlerts = async () => (await http<{ total: number; alerts: Alert[] }>('/api/v1/alerts', { token: leader })).body;
    const submit = async (title: string, content: string, i: number, isPublic = false) => {
      const res = await http<{ trackingNo: string }>('/api/v1/messages', { body: { title, content, ...CONTACTS[i % CONTACTS.length], isPublic } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.trackingNo;
    };
    for (const [i, [t, c]] of ELSEWHERE.entries()) await submit(t, c, i);

    // one at a time, each left to the pipeline: nothing before the rule's 10th message, one alert by it
    const threshold = 10;
    let raisedAfter: { message: number; trackingNo: string; postedAt: number; seenAt: number } | null = null;
    for (const [i, [t, c, pub]] of PILING.entries()) {
      const postedAt = Date.now();
      const trackingNo = await submit(t, c, i, pub);
      await queue.drain();
      const now = await listAlerts();
      if (!raisedAfter && now.total > 0) raisedAfter = { message: i + 1, trackingNo, postedAt, seenAt: Date.now() };
      if (i + 1 < threshold) expect(now.total, `an alert after only ${i + 1} messages`).toBe(0);
    }
    expect(raisedAfter?.message).toBe(threshold);
    await queue.drain();

    const { total, alerts } = await listAlerts();
    expect(total).toBe(1); // ONE episode for the 15
    const alert = alerts[0];
    expect(alert.district).toBe('鸠江区');
    expect(alert.rule.name).toBe('工地夜间施工预警');
    // opened at the 10th message's receipt, by that message's own processing (well within the minute)
    const [tenth] = await db.sql<{ receivedAt: Date }[]>`SELECT received_at FROM messages WHERE tracking_no = ${raisedAfter!.trackingNo}`;
    const lag = Date.parse(alert.openedAt) - tenth.receivedAt.getTime();
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThanOrEqual(60_000);
    // (how long that took by the clock is the machine's speed, not the code's: it is not asserted here;
    // the structural guarantee is that the 10th message's own job raised it, with no sweep waited for)
    // evidence: every one of the 15 (not the other district's, not the street lamps), counts over time
    expect(alert.evidence.count).toBe(15);
    expect(alert.evidence.channels).toEqual({ portal: 15 });
    expect(alert.evidence.series).toHaveLength(12);
    expect(alert.evidence.series.reduce((s, b) => s + b.count, 0)).toBe(15);
    expect(alert.evidence.series.at(-1)!.count).toBeGreaterThan(0);
    expect(alert.evidence.topMessages).toHaveLength(5);
    expect(alert.evidence.topMessages.map((m) => m.text).join('\n')).toMatch(/打桩|施工/);
    expectNoPersonalData('alert evidence', JSON.stringify(alert));

    // delivered once each, masked
    await waitFor(async () => hooks.length > 0 && mails.length > 0, WAIT_MS, 100, 'the webhook and the e-mail');
    expect(hooks).toHaveLength(1);
    expectNoPersonalData('webhook body', hooks[0]);
    expect(mails).toHaveLength(1);
    expectNoPersonalData('e-mail', `${mails[0].subject}\n${mails[0].text}\n${mails[0].html || ''}`);

    // the topic: one topic of the 15 in the topic store, on the cockpit's hot list for today with
    // the volume, and its trend (the cockpit's topic-trend lines read GET /api/v1/topics/:id daily)
    const ids = await db.sql<{ topicId: number; n: number }[]>`
      SELECT t.topic_id, count(*)::int AS n FROM opinion_topic_members t JOIN messages m ON m.id = t.message_id
      WHERE m.body LIKE '%官陡门路%' AND m.body NOT LIKE '%路灯%' GROUP BY t.topic_id ORDER BY n DESC`;
    // (before the live-burst clustering fix the 15 split 5 + 3 + 2 + singletons)
    expect(ids.map((r) => r.n), 'the 15 messages form ONE topic').toEqual([15]);
    const topicId = Number(ids[0].topicId);
    expect(alert.topic?.id, 'the alert names the topic of the 15').toBe(topicId);
    const today = shanghaiDate(new Date(alert.openedAt));
    // the 15 by local day of receipt: one day, or two when the test runs across Beijing midnight
    const perDay = new Map<string, number>();
    for (const { receivedAt } of await db.sql<{ receivedAt: Date }[]>`SELECT received_at FROM opinion_topic_members WHERE topic_id = ${topicId}`) {
      perDay.set(shanghaiDate(receivedAt), (perDay.get(shanghaiDate(receivedAt)) ?? 0) + 1);
    }
    const days = [...perDay.keys()].sort();
    const from = shanghaiMidnight(days[0]).toISOString();
    const to = new Date(shanghaiMidnight(days[days.length - 1]).getTime() + 86_400_000).toISOString();
    const hot = (await http<{ topics: { id: number; label: string; volume: number; district: string | null; sampleTitle: string }[] }>(
      `/api/v1/stats/topics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    )).body;
    const listed = hot.topics.find((t) => t.id === topicId);
    expect(listed, 'the topic is on the hot list').toBeDefined();
    expect(listed!.volume, 'the hot topic holds the 15').toBe(15);
    expect(listed!.district).toBe('鸠江区');
    expectNoPersonalData('hot topic (public)', JSON.stringify(listed));
    const detail = (await http<{ topic: { label: string; sample: string | null }; daily: { day: string; count: number }[]; members: { text: string | null }[] }>(
      `/api/v1/topics/${topicId}?days=30`, { token: leader },
    )).body;
    expect(detail.daily, 'the trend counts the 15 on their day').toEqual(days.map((day) => ({ day, count: perDay.get(day) })));
    expect(detail.daily.reduce((n, d) => n + d.count, 0)).toBe(listed!.volume); // daily counts = the volume
    expectNoPersonalData('topic detail (members, sample)', JSON.stringify(detail));

    // the next 舆情日报: the scheduled report job, run on the following day (Beijing time)
    const nextDay = new Date(shanghaiMidnight(today).getTime() + 86_400_000 + 30 * 60_000);
    // (a job runner of its own whose clock says tomorrow; the job goes through the job contract)
    const tomorrow = new InProcessQueue();
    tomorrow.register(createProcessors({ db, queue: tomorrow, logger: silentLogger, config, shipped, now: () => nextDay }));
    await tomorrow.enqueue('periodic', { task: 'report-schedule' }, { jobId: 'opinion-e2e-report-schedule' });
    await tomorrow.drain();
    await tomorrow.close();
    const reports = (await http<{ reports: { id: number; kind: string; periodStart: string; links: { html: string; pdf: string } }[] }>('/api/v1/reports?kind=daily', { token: leader })).body;
    const daily = reports.reports.find((r) => r.periodStart === today);
    expect(daily, 'the daily report of the alert’s day').toBeDefined();
    const html = (await http<string>(daily!.links.html, { token: leader })).body;
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    expect(html).toContain(esc(alert.title));
    expect(html).toContain(esc(detail.topic.label));
    expectNoPersonalData('daily report HTML', html);
    const data = (await http<{ data: { topTopics: { topicId: number; volume: number }[]; alerts: { id: number }[] } }>(`/api/v1/reports/${daily!.id}`, { token: leader })).body.data;
    // the report counts the alert's day: all 15, unless the test ran across midnight
    expect(data.topTopics.find((t) => t.topicId === topicId)?.volume, 'the report counts the 15 of its day').toBe(perDay.get(today));
    expect(data.alerts.map((a) => a.id)).toEqual([alert.id]);
    if (existsSync(DEFAULT_REPORT_FONT) && existsSync('/usr/bin/pdftotext')) {
      const pdf = await fetch(base + daily!.links.pdf, { headers: { authorization: `Bearer ${leader}` } });
      expect(pdf.status).toBe(200);
      const file = path.join(tmp, 'daily.pdf');
      writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
      const flat = text.replace(/\s+/g, '');
      expect(flat).toContain('工地夜间施工预警');
      expect(flat).toContain(detail.topic.label.replace(/\s+/g, ''));
      expectNoPersonalData('daily report PDF', flat);
    }
  }, allowFor(PILING.length + ELSEWHERE.length, 2_000) + 2 * WAIT_MS);
});
