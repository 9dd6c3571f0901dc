// The report's A4 PDF as a leader reads it, checked on the text pdftotext extracts page by page:
// every section and its labels, a sentence for each empty section, page numbers on every page, a
// short table whole on one page with its heading, a long one repeating its header, never one row
// left alone on a page. Synthetic figures (our own department and topic names).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReportData } from './make-report';
import { renderReportHtml } from './render-html';
import { DEFAULT_REPORT_FONT, renderReportPdf } from './render-pdf';

const canRead = existsSync(DEFAULT_REPORT_FONT) && existsSync('/usr/bin/pdftotext') && existsSync('/usr/bin/pdfinfo');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'minsheng-report-pdf-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const days = (n: number, last: string) =>
  Array.from({ length: n }, (_, i) => new Date(Date.parse(`${last}T00:00:00Z`) - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10));

function report(o: { topics?: number; departments?: number; alerts?: number; bursts?: number; kind?: 'daily' | 'weekly' } = {}): ReportData {
  const kind = o.kind ?? 'daily';
  return {
    kind,
    title: kind === 'daily' ? '舆情日报（2026-12-02）' : '舆情周报（2026-11-30 至 2026-12-06）',
    periodStart: kind === 'daily' ? '2026-12-02' : '2026-11-30',
    periodLast: kind === 'daily' ? '2026-12-02' : '2026-12-06',
    madeAt: '2026-12-03T01:00:00.000Z',
    totals: { messages: 120, cases: 90, byChannel: [{ channel: 'hotline', n: 70 }, { channel: 'wechat', n: 50 }], negative: 60, negativeShare: 0.5, unprocessed: 0 },
    sentimentTrend: days(7, kind === 'daily' ? '2026-12-02' : '2026-12-06').map((day, i) => ({ day, total: 10 + i * 3, negative: 5 + i, neutral: 4 + i, positive: 1 + i })),
    topTopics: Array.from({ length: o.topics ?? 0 }, (_, i) => ({
      topicId: i + 1, label: `测试区第${i + 1}条测试路·井盖缺失`, district: '测试区', volume: 20 - i, size: 40 - i, heat: 60 - i, burst: i === 0 ? 'burst' : 'none',
      sample: i % 2 ? null : `测试区第${i + 1}条测试路的井盖丢了好几天，晚上路过很危险，请尽快补上井盖并设置警示标志，以免有人掉下去受伤。`,
    })),
    bursts: Array.from({ length: o.bursts ?? 0 }, (_, i) => ({ scope: 'topic', topicId: i + 1, label: `测试区第${i + 1}条测试路·井盖缺失`, district: '测试区', startedAt: '2026-12-02T02:00:00.000Z', observed: 8, expected: 0.4, pValue: 1e-8 })),
    alerts: Array.from({ length: o.alerts ?? 0 }, (_, i) => ({ id: i + 1, rule: '井盖预警', title: `井盖预警：测试区「第${i + 1}条测试路·井盖缺失」 10 分钟内 12 条留言`, district: '测试区', openedAt: '2026-12-02T02:10:00.000Z', count: 12, acked: false, endedAt: null })),
    departments: Array.from({ length: o.departments ?? 0 }, (_, i) => ({
      department: `d${i}`, name: `第${i + 1}测试局`, volume: 50 - i, response: i % 5 ? 0.9 : null, onTime: 0.8, satisfaction: i % 3 ? 0.75 : null, overdueOpen: i % 4,
    })),
  };
}

async function pdfPages(d: ReportData, name: string): Promise<string[]> {
  const file = path.join(tmp, `${name}.pdf`);
  writeFileSync(file, await renderReportPdf(d));
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())![1]);
  // each page's text with the spaces pdftotext puts between CJK glyphs taken out
  return Array.from({ length: pages }, (_, i) => execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-layout', file, '-']).toString('utf8').replace(/[ \t]+/g, ''));
}

describe.skipIf(!canRead)('report PDF on paper', () => {
  it('an empty period: one page, every section says it has nothing', async () => {
    const d = report();
    d.sentimentTrend = d.sentimentTrend.map((t) => ({ ...t, total: 0, negative: 0, neutral: 0, positive: 0 }));
    const pages = await pdfPages(d, 'empty');
    expect(pages[0]).toContain('所列日期均无留言，不绘制走势图。');
    expect(pages[0]).not.toContain('■全部'); // no flat chart and its legend
    expect(pages).toHaveLength(1);
    for (const s of ['舆情日报（2026-12-02）', '一、热点话题', '本期无热点话题', '二、情感走势', '近7日每日留言（2026-11-26至2026-12-02）', '单位：条', '三、突增与预警', '本期无突增', '本期无预警', '四、部门办理情况', '本期无新立工单', '第1页/共1页']) {
      expect(pages[0], s).toContain(s);
    }
  });

  it('a full week: page numbers on every page, the department table split with its header repeated and no row alone', async () => {
    const d = report({ kind: 'weekly', topics: 10, departments: 60, alerts: 3, bursts: 2 });
    const pages = await pdfPages(d, 'full');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((p, i) => expect(p, `page ${i + 1}`).toContain(`第${i + 1}页/共${pages.length}页`));
    expect(pages.join('\n')).toContain('本周每日留言（2026-11-30至2026-12-06）');
    // every department once, in order; each page holding some starts them under the table's header
    const names = d.departments.map((x) => x.name!);
    const onPage = pages.map((p) => names.filter((n) => new RegExp(`(^|\\n)${n}`).test(p)));
    expect(onPage.flat()).toEqual(names);
    const holding = onPage.map((n, i) => [n, pages[i]] as const).filter(([n]) => n.length);
    expect(holding.length).toBeGreaterThanOrEqual(2);
    for (const [n, p] of holding) {
      expect(p.indexOf('按时办结率')).toBeGreaterThanOrEqual(0);
      expect(p.indexOf('按时办结率')).toBeLessThan(p.indexOf(n[0]));
      expect(n.length, 'no department row alone on a page').toBeGreaterThanOrEqual(2);
    }
    expect(pages.join('')).toContain('“—”表示本期没有可计算该比率的工单');
    expect(pages.join('')).toContain('8/0.4'); // a burst: observed / expected
    const tiny = report({ bursts: 1 });
    tiny.bursts[0].expected = 0.004;
    expect((await pdfPages(tiny, 'tiny')).join('')).toContain('8/<0.01'); // not "8 / 0"
  });

  it('a short table is whole on one page with its heading, however little room the page before has left', async () => {
    // topics and alerts enough that the department section starts low on page 1 (the old layout
    // split its 6 rows 4 + 2 or 3 + 3 in some of these)
    for (const [topics, alerts] of [[4, 1], [4, 2], [4, 3], [6, 0], [6, 1], [6, 2], [10, 4]]) {
      const d = report({ topics, departments: 6, alerts });
      const pages = await pdfPages(d, `short-${alerts}`);
      const at = pages.findIndex((p) => p.includes('四、部门办理情况'));
      for (const x of d.departments) expect(pages[at], `${topics} topics, ${alerts} alerts: ${x.name}`).toContain(x.name!);
      // and no heading ends a page: the table's header follows it on the same page
      const burstAt = pages.findIndex((p) => p.includes('三、突增与预警'));
      expect(pages[burstAt].slice(pages[burstAt].indexOf('三、突增与预警'))).toContain('开始时间');
      expect(pages[at].slice(pages[at].indexOf('四、部门办理情况'))).toContain('按时办结率');
    }
  });
});

describe('report HTML on paper', () => {
  it('header rows in <thead>, short tables kept whole, numbers never wrapped, the notes', () => {
    const html = renderReportHtml(report({ topics: 3, departments: 30, alerts: 1 }));
    expect(html.match(/<thead>/g)).toHaveLength(5);
    expect(html).toContain('thead { display: table-header-group; }');
    expect(html.match(/<table class="keep">/g)).toHaveLength(4); // all but the 30 departments
    expect(html).toMatch(/<td class="nw">测试区<\/td>/);
    expect(html).toContain('近 7 日每日留言（2026-11-26 至 2026-12-02）');
    expect(html).toContain('按按时办结率从高到低排列');
    expect(html).toContain('热度 0–100');
    const empty = renderReportHtml(report());
    for (const s of ['本期无热点话题', '本期无突增', '本期无预警', '本期无新立工单']) expect(empty).toContain(s);
    expect(empty).not.toContain('按按时办结率从高到低排列'); // no note under an empty table
  });
});
