// A kept 舆情日报 is served with today's masking and layout: a report made before a masking fix
// (its representative message still showing a resident's name, ID number and door) no longer shows
// them in its HTML, PDF or JSON; the HTML is drawn again from the kept figures.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveReport } from '../core/db/reports';
import { buildReportData } from '../core/reports/make-report';
import { DEFAULT_REPORT_FONT } from '../core/reports/render-pdf';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp } from './support/app';
import { staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'minsheng-report-mask-'));
beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const SAMPLE = '官陡门路工地夜间打桩，我是刘桂兰，身份证号340202198705061234，住6栋1单元302室';
const SECRETS = ['刘桂兰', '340202198705061234', '6栋1单元302室'];

describe('a kept report, served', () => {
  it('masks its quoted messages again and is drawn with today’s layout', async () => {
    const data = await buildReportData(db.sql, 'daily', '2026-11-02', new Date('2026-11-03T01:00:00Z'));
    data.topTopics = [{ topicId: 1, label: '鸠江区官陡门路·打桩', district: '鸠江区', volume: 12, size: 12, heat: 55, burst: 'none', sample: SAMPLE }];
    // as an older version kept it: the sample unmasked in the figures and in the page
    const { id } = await saveReport(db.sql, { kind: 'daily', periodStart: '2026-11-02', periodEnd: '2026-11-03', madeAt: new Date(), data, html: `<html><body>${SAMPLE}</body></html>` }, true);
    const app = testApp(db, queue);
    const auth = { headers: { authorization: `Bearer ${await staffToken(db.sql, 'leader')}` } };
    const html = await (await app.request(`/api/v1/reports/${id}.html`, auth)).text();
    const json = await (await app.request(`/api/v1/reports/${id}`, auth)).text();
    for (const [what, text] of [['html', html], ['json', json]] as const) for (const s of SECRETS) expect(text, `${what}: ${s}`).not.toContain(s);
    expect(html).toContain('我是刘**');
    expect(html).toContain('<thead>'); // drawn again from the figures, not the kept page
    expect(html).toContain('鸠江区官陡门路·打桩');
    if (existsSync(DEFAULT_REPORT_FONT) && existsSync('/usr/bin/pdftotext')) {
      const file = path.join(tmp, 'r.pdf');
      writeFileSync(file, Buffer.from(await (await app.request(`/api/v1/reports/${id}.pdf`, auth)).arrayBuffer()));
      const text = execFileSync('pdftotext', [file, '-']).toString('utf8').replace(/\s+/g, '');
      expect(text).toContain('我是刘**');
      for (const s of SECRETS) expect(text, `pdf: ${s}`).not.toContain(s);
    }
  });
});
