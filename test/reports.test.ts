// 舆情日报 / 周报: made by the scheduled job once per period, kept, listed with links, served as
// HTML and as an A4 PDF with its Chinese font embedded; the CLI refuses bad usage.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleInputSchema } from '../core/alerts/rule-schema';
import { insertAlertRule, openAlertEpisode } from '../core/db/alerts';
import { makeDueReports, reportPeriod, shanghaiDate, shanghaiMidnight } from '../core/reports/make-report';
import { DEFAULT_REPORT_FONT } from '../core/reports/render-pdf';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp, testConfig } from './support/app';
import { incoming, openTestCase, staffToken } from './support/cases';
import { insertMessage } from '../core/db/messages';
import { getReport } from '../core/db/reports';
import { queueDefinitions } from '../core/queue/contract';
import { createTestDatabase, type TestDatabase } from './support/db';
import { ROOT } from './support/sources';

let db: TestDatabase;
let queue: InProcessQueue;
const now = new Date();
const day = shanghaiDate(new Date(now.getTime() - 86_400_000)); // yesterday, Beijing time
const inDay = (h: number, m = 0) => new Date(shanghaiMidnight(day).getTime() + (h * 60 + m) * 60_000);

/** What the pipeline's topic step leaves for a processed message: its membership of a topic (a report waits for it). */
async function joinTopic(messageId: number, topicId: number) {
  await db.sql`INSERT INTO opinion_topic_members (message_id, topic_id, received_at, channel, district, is_public, terms)
    SELECT id, ${topicId}, received_at, channel, '镜湖区', true, '{}'::jsonb FROM messages WHERE id = ${messageId}`;
}
let topicId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  // yesterday: 6 street-lamp complaints (4 negative) to the city management bureau, 2 thanks to housing
  for (let i = 0; i < 8; i++) {
    const { message } = await openTestCase(db.sql, {
      department: i < 6 ? 'urban-mgmt' : 'housing',
      receivedAt: inDay(9, i * 7),
      message: { body: i < 6 ? `镜湖区赭山路路灯不亮第${i}次反映，电话13905531234` : '感谢住建局及时处理小区漏水' },
    });
    const sentiment = i < 4 ? 'negative' : i < 6 ? 'neutral' : 'positive';
    await db.sql`UPDATE messages SET analysis = ${db.sql.json({ sentiment: { label: sentiment }, place: { district: '镜湖区' } })} WHERE id = ${message.id}`;
  }
  const [topic] = await db.sql<{ id: number }[]>`
    INSERT INTO opinion_topics (district, label, size, first_at, last_at, heat, burst_state, public_sample)
    VALUES ('镜湖区', '镜湖区赭山路 路灯不亮', 6, ${inDay(9)}, ${inDay(9, 35)}, 64.5, 'burst', '镜湖区赭山路路灯不亮，电话***') RETURNING id`;
  topicId = topic.id;
  for (const { id } of await db.sql<{ id: number }[]>`SELECT id FROM messages`) await joinTopic(id, topic.id);
  await db.sql`INSERT INTO opinion_topic_hours (topic_id, hour, count) VALUES (${topic.id}, ${inDay(9)}, 6)`;
  await db.sql`INSERT INTO opinion_bursts (scope, topic_id, district, started_at, last_at, observed, expected, p_value, window_hours)
    VALUES ('topic', ${topic.id}, '镜湖区', ${inDay(9, 30)}, ${inDay(9, 35)}, 6, 0.4, 0.0001, 2)`;
  const rule = await insertAlertRule(db.sql, {
    name: '路灯预警', enabled: true, createdBy: 'test',
    definition: ruleInputSchema({ districts: ['镜湖区'], categories: [] }).parse({ name: 'x', definition: { keywordGroups: [{ must: ['路灯'] }], minVolume: 5 } }).definition,
  });
  await openAlertEpisode(db.sql, { ruleId: rule.id, scopeKey: 'district:镜湖区', district: '镜湖区', topicId: topic.id, title: '路灯预警：镜湖区 60 分钟内 6 条留言', at: inDay(9, 40), evidence: { count: 6 } });
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

describe('reports', () => {
  it('periods: a day, and the Monday–Sunday week holding a date (Beijing time)', () => {
    expect(reportPeriod('weekly', '2026-12-02')).toMatchObject({ start: '2026-11-30', end: '2026-12-07' });
    expect(reportPeriod('weekly', '2026-12-06')).toMatchObject({ start: '2026-11-30', end: '2026-12-07' });
    expect(reportPeriod('daily', '2026-12-31')).toMatchObject({ start: '2026-12-31', end: '2027-01-01' });
    expect(reportPeriod('daily', '2026-12-02').from.toISOString()).toBe('2026-12-01T16:00:00.000Z');
  });

  it('the scheduled job makes yesterday’s daily and last week’s weekly once; listed, HTML and PDF served', async () => {
    const made = await makeDueReports({ sql: db.sql, now });
    expect(made.map((r) => r.kind).sort()).toEqual(['daily', 'weekly']);
    expect(made.find((r) => r.kind === 'daily')!.periodStart).toBe(day);
    expect(await makeDueReports({ sql: db.sql, now })).toEqual([]); // once per period
    // a message of yesterday processed late (a backlog): the daily report is made again, with it
    const { message } = await openTestCase(db.sql, { department: 'housing', receivedAt: inDay(20), message: { body: '镜湖区范罗山街道小区电梯故障' } });
    await db.sql`UPDATE messages SET processed_at = now() + interval '1 second', state = 'received' WHERE id = ${message.id}`;
    expect(await makeDueReports({ sql: db.sql, now })).toEqual([]); // still in the pipeline: wait
    await db.sql`UPDATE messages SET state = 'processed', analysis = ${db.sql.json({ sentiment: { label: 'negative' } })} WHERE id = ${message.id}`;
    expect(await makeDueReports({ sql: db.sql, now: new Date(Date.now() + 1000) })).toEqual([]); // processed, not yet in a topic: wait
    await joinTopic(message.id, topicId);
    const remade = await makeDueReports({ sql: db.sql, now: new Date(Date.now() + 2000) });
    // yesterday is in last week's 周报 only when today is a Monday
    const yesterdayInLastWeek = reportPeriod('weekly', day).start === made.find((r) => r.kind === 'weekly')!.periodStart;
    expect(remade.map((r) => r.kind).sort()).toEqual(yesterdayInLastWeek ? ['daily', 'weekly'] : ['daily']);
    expect(await makeDueReports({ sql: db.sql, now: new Date(Date.now() + 3000) })).toEqual([]);

    const app = testApp(db, queue);
    const leader = await staffToken(db.sql, 'leader');
    const auth = { headers: { authorization: `Bearer ${leader}` } };
    expect((await app.request('/api/v1/reports')).status).toBe(401);
    const list = (await (await app.request('/api/v1/reports?kind=daily', auth)).json()) as { reports: { id: number; kind: string; periodStart: string; links: { html: string; pdf: string } }[] };
    expect(list.reports).toHaveLength(1);
    const r = list.reports[0];
    expect(r.periodStart).toBe(day);
    expect((await app.request('/api/v1/reports?kind=monthly', auth)).status).toBe(400);

    const html = await (await app.request(r.links.html, auth)).text();
    for (const s of ['舆情日报', '镜湖区赭山路 路灯不亮', '▲突增', '路灯预警：镜湖区', '市城市管理局', '市住房和城乡建设局', '情感走势']) expect(html).toContain(s);
    expect(html).not.toContain('13905531234');
    const data = (await (await app.request(`/api/v1/reports/${r.id}`, auth)).json()) as { data: { totals: { messages: number; negative: number }; sentimentTrend: { day: string; negative: number; positive: number }[]; departments: { department: string; volume: number }[] } };
    expect(data.data.totals).toMatchObject({ messages: 9, negative: 5 });
    expect(data.data.sentimentTrend).toHaveLength(7);
    expect(data.data.sentimentTrend.at(-1)).toMatchObject({ day, negative: 5, positive: 2 });
    expect(data.data.departments.map((d) => [d.department, d.volume]).sort()).toEqual([['housing', 3], ['urban-mgmt', 6]]);

    if (existsSync(DEFAULT_REPORT_FONT)) {
      const pdf = await app.request(r.links.pdf, auth);
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      const bytes = Buffer.from(await pdf.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const text = bytes.toString('latin1');
      expect(text).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/); // A4
      expect(text).toContain('WenQuanYiMicroHei'); // the CJK font, embedded (subset)
      expect(text).toContain('/FontFile2');
    }
    // no font: a clear 503, not a PDF of empty boxes
    const noFont = testApp(db, queue, testConfig({ REPORT_FONT_PATH: '/nonexistent/font.ttf' }));
    const missing = await noFont.request(r.links.pdf, auth);
    expect(missing.status).toBe(503);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('报告字体不存在');
    expect((await app.request('/api/v1/reports/999999.html', auth)).status).toBe(404);
    expect((await app.request('/api/v1/reports/abc.pdf', auth)).status).toBe(400);
  });

  it('a message that never processes does not hold the report back: the report is made and says how many were not processed', async () => {
    // days of their own, long ago, so the other tests' figures are untouched
    const dayA = '2025-03-10';
    const nowA = new Date(shanghaiMidnight('2025-03-11').getTime() + 3600_000);
    const add = async (d: string, state: string, attempts: number, storedAgoMs: number, now: Date) => {
      const { message } = await insertMessage(db.sql, incoming({ receivedAt: new Date(shanghaiMidnight(d).getTime() + 10 * 3600_000) }));
      await db.sql`UPDATE messages SET state = ${state}, attempts = ${attempts}, stored_at = ${new Date(now.getTime() - storedAgoMs)},
        processed_at = ${state === 'processed' ? new Date(now.getTime() - storedAgoMs) : null} WHERE id = ${message.id}`;
      return message.id;
    };
    const daily = (made: { id: number; kind: string; periodStart: string }[], d: string) => made.filter((r) => r.kind === 'daily' && r.periodStart === d);
    await add(dayA, 'processed', 1, 3600_000, nowA);
    // used every attempt the pipeline gives it, left in 'processing' by a worker that died on the last
    await add(dayA, 'processing', queueDefinitions['process-message'].attempts, 3600_000, nowA);
    const fresh = await add(dayA, 'received', 0, 10 * 60_000, nowA); // just stored: worth waiting for
    expect(daily(await makeDueReports({ sql: db.sql, now: nowA }), dayA)).toEqual([]);
    await db.sql`UPDATE messages SET state = 'processed', processed_at = ${nowA} WHERE id = ${fresh}`;
    const [a] = daily(await makeDueReports({ sql: db.sql, now: new Date(nowA.getTime() + 60_000) }), dayA);
    expect(a).toBeDefined();
    const reportA = await getReport(db.sql, a.id);
    expect((reportA!.data as { totals: { messages: number; unprocessed: number } }).totals).toMatchObject({ messages: 3, unprocessed: 1 });
    expect(reportA!.html).toContain('有 1 条在生成报告时尚未处理完成');

    // stuck for hours with attempts left (its job lost): not waited for either
    const dayB = '2025-03-20';
    const nowB = new Date(shanghaiMidnight('2025-03-21').getTime() + 3600_000);
    await add(dayB, 'received', 1, 7 * 3600_000, nowB);
    await add(dayB, 'failed', 5, 7 * 3600_000, nowB);
    const [b] = daily(await makeDueReports({ sql: db.sql, now: nowB }), dayB);
    expect(b).toBeDefined();
    expect(((await getReport(db.sql, b.id))!.data as { totals: { unprocessed: number } }).totals.unprocessed).toBe(2);
  });

  it('the CLI refuses bad usage with exit 2', async () => {
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/cli.ts', 'report', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent' } }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
    const monthly = await run(['make', '--kind', 'monthly']);
    expect(monthly.code).toBe(2);
    expect(monthly.stderr).toContain('--kind 须为 daily 或 weekly');
    const badDate = await run(['make', '--kind', 'daily', '--date', '2026-02-30']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('YYYY-MM-DD');
  });
});
