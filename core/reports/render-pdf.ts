// A report as an A4 PDF, drawn with pdfkit from the kept figures. pdfkit (maintained, pure JS,
// embeds and subsets TrueType/OpenType/TTC fonts through fontkit) needs no browser, so `npm start`
// can serve PDFs on a machine without Chromium; Chinese needs a font with CJK glyphs, by default
// Debian's fonts-wqy-microhei (REPORT_FONT_PATH names another).
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { ReportData } from './make-report';
import { beijingTime, burstMark, CHANNEL_LABELS, DEPARTMENT_NOTE, NO_TREND, observedExpected, pct, TOPIC_NOTE, trendNote } from './labels';

export const DEFAULT_REPORT_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

export class ReportFontMissingError extends Error {
  constructor(readonly fontPath: string) {
    super(`报告字体不存在：${fontPath}（安装 fonts-wqy-microhei，或用 REPORT_FONT_PATH 指定含中文字形的字体）`);
    this.name = 'ReportFontMissingError';
  }
}

const MARGIN = 50;
const A4 = { width: 595.28, height: 841.89 };
/** a table at most this high (header and rows) stays whole on one page with its heading */
const KEEP_WHOLE_PT = 0.4 * (A4.height - 2 * MARGIN);
const PAD = 3;

interface Column<T> {
  head: string;
  width: number;
  cell: (t: T) => string;
}

export async function renderReportPdf(d: ReportData, fontPath = DEFAULT_REPORT_FONT): Promise<Buffer> {
  if (!existsSync(fontPath)) throw new ReportFontMissingError(fontPath);
  // pages buffered: each gets its footer (title, 第 n 页 / 共 N 页) once the count is known
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: d.title, Author: '民声 Minsheng', Subject: '舆情报告' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // a .ttc holds several faces: pick the proportional one by its PostScript name
  doc.registerFont('cjk', fontPath, fontPath.endsWith('.ttc') ? 'WenQuanYiMicroHei' : undefined);
  doc.font('cjk');
  const contentWidth = A4.width - 2 * MARGIN;
  const bottom = A4.height - MARGIN;

  const ensure = (h: number) => {
    if (doc.y + h > bottom) doc.addPage();
  };
  /** a section's heading; `keep` is the height of what must follow it on the same page */
  const heading = (text: string, keep = 90) => {
    ensure(30 + keep); // a heading never ends a page: it stays with (the start of) its table
    doc.moveDown(0.6).fontSize(13).fillColor('#1f6feb').text(text, MARGIN, doc.y, { width: contentWidth }).fillColor('#1f2328').moveDown(0.3);
  };
  const note = (text: string) => {
    doc.moveDown(0.2).fontSize(8).fillColor('#656d76').text(text, MARGIN, doc.y, { width: contentWidth }).fillColor('#1f2328');
  };
  const widthsOf = <T>(cols: Column<T>[]) => {
    const total = cols.reduce((s, c) => s + c.width, 0);
    return cols.map((c) => (c.width / total) * contentWidth);
  };
  const rowHeight = (cells: string[], widths: number[], head: boolean) => {
    doc.fontSize(head ? 9 : 8.5);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i] - 2 * PAD }))) + 2 * PAD;
  };
  /** what to keep with a table's heading: the whole table when it is short, else its header and first rows */
  function keepOf<T>(cols: Column<T>[], list: T[]): number {
    const widths = widthsOf(cols);
    const rows = list.map((t) => rowHeight(cols.map((c) => c.cell(t)), widths, false));
    const whole = rowHeight(cols.map((c) => c.head), widths, true) + (rows.length ? rows.reduce((a, b) => a + b, 0) : 20);
    return whole <= KEEP_WHOLE_PT ? whole : rowHeight(cols.map((c) => c.head), widths, true) + rows.slice(0, 3).reduce((a, b) => a + b, 0);
  }
  function table<T>(cols: Column<T>[], list: T[], empty: string) {
    const widths = widthsOf(cols);
    const pad = PAD;
    const cellsOf = list.map((t) => cols.map((c) => c.cell(t)));
    const heights = cellsOf.map((cells) => rowHeight(cells, widths, false));
    const row = (cells: string[], head: boolean, i = -1) => {
      const h = rowHeight(cells, widths, head);
      doc.fontSize(head ? 9 : 8.5);
      // a row never splits across pages; nor is the last row left alone on a page (it takes the one before with it)
      const widow = i >= 0 && i === heights.length - 2 && doc.y + h + heights[i + 1] > bottom && i > 0;
      if (doc.y + h > bottom || widow) {
        doc.addPage();
        if (!head) row(cols.map((c) => c.head), true);
        doc.fontSize(head ? 9 : 8.5);
      }
      const y = doc.y;
      let x = MARGIN;
      cells.forEach((c, i) => {
        if (head) doc.rect(x, y, widths[i], h).fillAndStroke('#f6f8fa', '#d0d7de').fillColor('#1f2328');
        else doc.rect(x, y, widths[i], h).strokeColor('#d0d7de').stroke();
        doc.text(c, x + pad, y + pad, { width: widths[i] - 2 * pad });
        x += widths[i];
      });
      doc.x = MARGIN;
      doc.y = y + h;
    };
    row(cols.map((c) => c.head), true);
    if (!list.length) {
      // one cell across the table, not the first (perhaps narrow) column
      doc.fontSize(8.5);
      const h = doc.heightOfString(empty, { width: contentWidth - 2 * pad }) + 2 * pad;
      const y = doc.y;
      doc.rect(MARGIN, y, contentWidth, h).strokeColor('#d0d7de').stroke();
      doc.fillColor('#656d76').text(empty, MARGIN + pad, y + pad, { width: contentWidth - 2 * pad }).fillColor('#1f2328');
      doc.x = MARGIN;
      doc.y = y + h;
    }
    cellsOf.forEach((cells, i) => row(cells, false, i));
  }

  doc.fontSize(18).text(d.title, { width: contentWidth });
  doc.moveDown(0.2).fontSize(9).fillColor('#656d76')
    .text(`统计时段：${d.periodStart} 至 ${d.periodLast}（北京时间） · 生成于 ${beijingTime(d.madeAt)}`, { width: contentWidth })
    .fillColor('#1f2328');
  doc.moveDown(0.5).fontSize(10.5).text(
    `留言 ${d.totals.messages} 条，新立工单 ${d.totals.cases} 件，负面留言 ${d.totals.negative} 条（${pct(d.totals.negativeShare)}），预警 ${d.alerts.length} 次，突增话题 ${d.bursts.length} 个。`,
    { width: contentWidth },
  );
  if (d.totals.unprocessed) {
    doc.fontSize(9).fillColor('#9a6700')
      .text(`注：本期留言中有 ${d.totals.unprocessed} 条在生成报告时尚未处理完成（处理失败或仍在排队），其情感、话题等分析未计入本报告。`, { width: contentWidth })
      .fillColor('#1f2328');
  }
  doc.fontSize(9).fillColor('#656d76')
    .text(`渠道：${d.totals.byChannel.map((c) => `${CHANNEL_LABELS[c.channel] ?? c.channel} ${c.n}`).join('，') || '无'}`, { width: contentWidth })
    .fillColor('#1f2328');

  const topicCols: Column<ReportData['topTopics'][number] & { i: number }>[] = [
      { head: '#', width: 3, cell: (t: ReportData['topTopics'][number] & { i: number }) => String(t.i) },
      { head: '话题', width: 24, cell: (t) => `${t.label}${burstMark(t.burst)}` },
      { head: '区县', width: 8, cell: (t) => t.district ?? '—' },
      { head: '本期留言', width: 8.5, cell: (t) => String(t.volume) },
      { head: '累计', width: 6, cell: (t) => String(t.size) },
      { head: '热度', width: 6, cell: (t) => String(t.heat) },
      { head: '代表留言（已脱敏）', width: 37.5, cell: (t) => t.sample ?? '（留言均未公开）' },
  ];
  const topicRows = d.topTopics.map((t, i) => ({ ...t, i: i + 1 }));
  heading('一、热点话题', keepOf(topicCols, topicRows));
  table(topicCols, topicRows, '本期无热点话题');
  if (d.topTopics.length) note(TOPIC_NOTE);

  heading('二、情感走势', 150);
  note(trendNote(d));
  doc.moveDown(0.3);
  const anyMessage = d.sentimentTrend.some((t) => t.total > 0);
  if (!anyMessage) note(NO_TREND);
  if (anyMessage) {
    const x0 = MARGIN + 30, y0 = doc.y + 5, w = contentWidth - 40, h = 110;
    const max = Math.max(1, ...d.sentimentTrend.map((t) => t.total));
    const n = d.sentimentTrend.length;
    const px = (i: number) => x0 + (n <= 1 ? w / 2 : (i * w) / (n - 1));
    const py = (v: number) => y0 + h - (v * h) / max;
    // the scale: 0, half and the top, each with a faint grid line
    for (const v of [...new Set([0, Math.round(max / 2), max])]) {
      doc.strokeColor(v === 0 ? '#999' : '#e5e7eb').lineWidth(v === 0 ? 1 : 0.5).moveTo(x0, py(v)).lineTo(x0 + w, py(v)).stroke();
      doc.fontSize(7).fillColor('#656d76').text(String(v), MARGIN, py(v) - 3, { width: 26, align: 'right' });
    }
    doc.lineWidth(1);
    for (const [key, color] of [['total', '#1f6feb'], ['negative', '#d1242f'], ['positive', '#1a7f37']] as const) {
      d.sentimentTrend.forEach((t, i) => (i === 0 ? doc.moveTo(px(i), py(t[key])) : doc.lineTo(px(i), py(t[key]))));
      doc.strokeColor(color).lineWidth(1.5).stroke();
    }
    doc.lineWidth(1);
    d.sentimentTrend.forEach((t, i) => doc.fontSize(7).fillColor('#656d76').text(t.day.slice(5), px(i) - 15, y0 + h + 3, { width: 30, align: 'center' }));
    doc.fontSize(8).fillColor('#1f6feb').text('■ 全部  ', MARGIN, y0 + h + 16, { continued: true }).fillColor('#d1242f').text('■ 负面  ', { continued: true }).fillColor('#1a7f37').text('■ 正面');
    doc.fillColor('#1f2328').strokeColor('#000');
    doc.x = MARGIN;
    doc.moveDown(0.5);
  }
  table(
    [
      { head: '日期', width: 10, cell: (t: ReportData['sentimentTrend'][number]) => t.day },
      { head: '全部', width: 6, cell: (t) => String(t.total) },
      { head: '负面', width: 6, cell: (t) => String(t.negative) },
      { head: '中性', width: 6, cell: (t) => String(t.neutral) },
      { head: '正面', width: 6, cell: (t) => String(t.positive) },
    ],
    d.sentimentTrend,
    NO_TREND,
  );

  const burstCols: Column<ReportData['bursts'][number]>[] = [
      { head: '突增', width: 30, cell: (b: ReportData['bursts'][number]) => `${b.scope === 'topic' ? '话题' : '区县'}：${b.label}` },
      { head: '区县', width: 8, cell: (b) => b.district ?? '—' },
      { head: '开始时间', width: 13, cell: (b) => beijingTime(b.startedAt) },
      { head: '实际 / 预期（条）', width: 12, cell: (b) => observedExpected(b) },
  ];
  heading('三、突增与预警', keepOf(burstCols, d.bursts));
  table(burstCols, d.bursts, '本期无突增');
  doc.moveDown(0.5);
  const alertCols: Column<ReportData['alerts'][number]>[] = [
      { head: '预警', width: 34, cell: (a: ReportData['alerts'][number]) => a.title },
      { head: '区县', width: 8, cell: (a) => a.district ?? '—' },
      { head: '触发时间', width: 13, cell: (a) => beijingTime(a.openedAt) },
      { head: '留言数', width: 6, cell: (a) => String(a.count) },
      { head: '状态', width: 12, cell: (a) => `${a.acked ? '已确认' : '未确认'}${a.endedAt ? '·已平息' : '·持续中'}` },
  ];
  ensure(keepOf(alertCols, d.alerts));
  table(alertCols, d.alerts, '本期无预警');

  const deptCols: Column<ReportData['departments'][number]>[] = [
      { head: '部门', width: 22, cell: (x: ReportData['departments'][number]) => x.name ?? x.department },
      { head: '工单', width: 6, cell: (x) => String(x.volume) },
      { head: '响应率', width: 8, cell: (x) => pct(x.response) },
      { head: '按时办结率', width: 9, cell: (x) => pct(x.onTime) },
      { head: '满意率', width: 8, cell: (x) => pct(x.satisfaction) },
      { head: '超期在办', width: 8, cell: (x) => String(x.overdueOpen) },
  ];
  heading('四、部门办理情况', keepOf(deptCols, d.departments));
  table(deptCols, d.departments, '本期无新立工单');
  if (d.departments.length) note(DEPARTMENT_NOTE);

  // the footer of every page: which report, which page of how many
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const keepBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // text below the margin would otherwise open a new page
    doc.fontSize(8).fillColor('#656d76').text(`${d.title} · 第 ${i - range.start + 1} 页 / 共 ${range.count} 页`, MARGIN, A4.height - MARGIN + 16, { width: contentWidth, align: 'center' });
    doc.page.margins.bottom = keepBottom;
  }
  doc.end();
  return done;
}
