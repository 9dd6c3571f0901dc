// A report as one self-contained HTML page (inline styles and an inline SVG chart, no scripts):
// kept beside the figures, shown in the dashboard and printable as it is.
import type { ReportData } from './make-report';
import { beijingTime, burstMark, CHANNEL_LABELS, DEPARTMENT_NOTE, NO_TREND, observedExpected, pct, TOPIC_NOTE, trendNote } from './labels';

const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function trendSvg(trend: ReportData['sentimentTrend']): string {
  const w = 640, h = 180, pad = 28;
  const max = Math.max(1, ...trend.map((d) => d.total));
  const x = (i: number) => pad + (trend.length <= 1 ? 0 : (i * (w - 2 * pad)) / (trend.length - 1));
  const y = (v: number) => h - pad - (v * (h - 2 * pad)) / max;
  const line = (key: 'total' | 'negative' | 'positive', color: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${trend.map((d, i) => `${x(i).toFixed(1)},${y(d[key]).toFixed(1)}`).join(' ')}"/>`;
  // the scale: 0, half and the top, each with a faint grid line
  const ticks = [...new Set([0, Math.round(max / 2), max])]
    .map((v) => `<line x1="${pad}" y1="${y(v).toFixed(1)}" x2="${w - pad}" y2="${y(v).toFixed(1)}" stroke="${v === 0 ? '#999' : '#e5e7eb'}"/><text x="${pad - 4}" y="${(y(v) + 3).toFixed(1)}" font-size="10" text-anchor="end">${v}</text>`)
    .join('');
  const labels = trend.map((d, i) => `<text x="${x(i).toFixed(1)}" y="${h - 8}" font-size="10" text-anchor="middle">${esc(d.day.slice(5))}</text>`).join('');
  return `<svg viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-label="情感走势">
    ${ticks}
    ${line('total', '#1f6feb')}${line('negative', '#d1242f')}${line('positive', '#1a7f37')}${labels}
  </svg>
  <p class="legend"><span style="color:#1f6feb">■ 全部</span> <span style="color:#d1242f">■ 负面</span> <span style="color:#1a7f37">■ 正面</span></p>`;
}

const KEEP_ROWS = 12;

export function renderReportHtml(d: ReportData): string {
  // `wrap`: the columns whose text may wrap (labels, messages); numbers, dates and districts never do
  const rows = <T>(list: T[], cols: ((t: T) => unknown)[], empty: string, span: number, wrap: number[] = [0]) =>
    `<tbody>${list.length ? list.map((t) => `<tr>${cols.map((c, i) => `<td class="${wrap.includes(i) ? 'w' : 'nw'}">${esc(c(t))}</td>`).join('')}</tr>`).join('') : `<tr><td colspan="${span}" class="muted">${esc(empty)}</td></tr>`}</tbody>`;
  // the header row in <thead>: printed again at the top of each page a table runs onto
  // a short table (up to KEEP_ROWS rows) is printed whole on one page, never with a row or two cut off
  const keep = (n: number) => (n <= KEEP_ROWS ? ' class="keep"' : '');
  const head = (cells: string[]) => `<thead><tr>${cells.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(d.title)}</title>
<style>
  body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f2328; margin: 24px; max-width: 900px; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; border-left: 4px solid #1f6feb; padding-left: 8px; margin-top: 24px; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; } th, td { border: 1px solid #d0d7de; padding: 4px 6px; text-align: left; vertical-align: top; }
  th { background: #f6f8fa; } .muted { color: #656d76; } .kpi { display: flex; gap: 16px; flex-wrap: wrap; } .kpi div { border: 1px solid #d0d7de; padding: 8px 12px; border-radius: 6px; }
  .kpi b { display: block; font-size: 20px; } .legend { font-size: 12px; } .burst { color: #d1242f; font-weight: bold; }
  @page { size: A4; margin: 15mm; } @media print { body { margin: 0; max-width: none; } }
  .note { font-size: 12px; color: #656d76; margin: 4px 0 0; }
  /* on paper: a row never splits, a heading never ends a page, the chart stays whole */
  tr, .kpi div, svg, table.keep { break-inside: avoid; } h2 { break-after: avoid; } thead { display: table-header-group; }
  td { overflow-wrap: anywhere; } th, td.nw { white-space: nowrap; overflow-wrap: normal; } td.w { min-width: 8em; }
  @media screen and (max-width: 600px) { body { margin: 8px; } table { display: block; overflow-x: auto; font-size: 12px; } h1 { font-size: 18px; } }
</style></head>
<body>
<h1>${esc(d.title)}</h1>
<p class="muted">统计时段：${esc(d.periodStart)} 至 ${esc(d.periodLast)}（北京时间） · 生成于 ${esc(beijingTime(d.madeAt))}</p>
<div class="kpi">
  <div>留言<b>${d.totals.messages}</b></div><div>新立工单<b>${d.totals.cases}</b></div>
  <div>负面留言<b>${d.totals.negative}</b>${esc(pct(d.totals.negativeShare))}</div><div>预警<b>${d.alerts.length}</b></div><div>突增话题<b>${d.bursts.length}</b></div>
</div>
${d.totals.unprocessed ? `<p class="muted">注：本期留言中有 ${d.totals.unprocessed} 条在生成报告时尚未处理完成（处理失败或仍在排队），其情感、话题等分析未计入本报告。</p>\n` : ''}<p class="muted">渠道：${esc(d.totals.byChannel.map((c) => `${CHANNEL_LABELS[c.channel] ?? c.channel} ${c.n}`).join('，') || '无')}</p>
<h2>一、热点话题</h2>
<table${keep(d.topTopics.length)}>${head(['#', '话题', '区县', '本期留言', '累计', '热度', '代表留言（已脱敏）'])}
${rows(d.topTopics.map((t, i) => ({ ...t, i: i + 1 })), [(t) => t.i, (t) => `${t.label}${burstMark(t.burst)}`, (t) => t.district ?? '—', (t) => t.volume, (t) => t.size, (t) => t.heat, (t) => t.sample ?? '（留言均未公开）'], '本期无热点话题', 7, [1, 6])}
</table>
${d.topTopics.length ? `<p class="note">${esc(TOPIC_NOTE)}</p>
` : ''}<h2>二、情感走势</h2>
<p class="note">${esc(trendNote(d))}</p>
${d.sentimentTrend.some((t) => t.total > 0) ? trendSvg(d.sentimentTrend) : `<p class="muted">${esc(NO_TREND)}</p>`}
<table${keep(d.sentimentTrend.length)}>${head(['日期', '全部', '负面', '中性', '正面'])}
${rows(d.sentimentTrend, [(t) => t.day, (t) => t.total, (t) => t.negative, (t) => t.neutral, (t) => t.positive], NO_TREND, 5)}
</table>
<h2>三、突增与预警</h2>
<table${keep(d.bursts.length)}>${head(['突增', '区县', '开始时间', '实际 / 预期（条）'])}
${rows(d.bursts, [(b) => `${b.scope === 'topic' ? '话题' : '区县'}：${b.label}`, (b) => b.district ?? '—', (b) => beijingTime(b.startedAt), (b) => observedExpected(b)], '本期无突增', 4)}
</table>
<p></p>
<table${keep(d.alerts.length)}>${head(['预警', '规则', '区县', '触发时间', '留言数', '状态'])}
${rows(d.alerts, [(a) => a.title, (a) => a.rule, (a) => a.district ?? '—', (a) => beijingTime(a.openedAt), (a) => a.count, (a) => `${a.acked ? '已确认' : '未确认'}${a.endedAt ? ' · 已平息' : ' · 持续中'}`], '本期无预警', 6, [0, 1])}
</table>
<h2>四、部门办理情况</h2>
<table${keep(d.departments.length)}>${head(['部门', '工单', '响应率', '按时办结率', '满意率', '超期在办'])}
${rows(d.departments, [(x) => x.name ?? x.department, (x) => x.volume, (x) => pct(x.response), (x) => pct(x.onTime), (x) => pct(x.satisfaction), (x) => x.overdueOpen], '本期无新立工单', 6)}
</table>
${d.departments.length ? `<p class="note">${esc(DEPARTMENT_NOTE)}</p>
` : ''}
</body></html>
`;
}
