// `npm run cli -- report make --kind daily|weekly [--date YYYY-MM-DD] [--pdf FILE.pdf]`: makes (or
// remakes) the 舆情日报 of a date or the 周报 of the week holding it (default: yesterday, Beijing
// time), keeps it in the database and prints its id; --pdf also writes its PDF.
import { writeFileSync } from 'node:fs';
import { getConfigOrExit } from '../../core/config';
import { getReport } from '../../core/db/reports';
import { createLogger } from '../../core/logger';
import { makeReport, shanghaiDate, type ReportData } from '../../core/reports/make-report';
import { DEFAULT_REPORT_FONT, renderReportPdf } from '../../core/reports/render-pdf';
import { openDatabase } from '../../core/runtime';
import { loadShippedOrExit } from '../../core/shipped/index';
import { parseCommandArgs, UsageError, withUsage } from '../../core/util/args';

const USAGE = 'usage: npm run cli -- report make --kind daily|weekly [--date YYYY-MM-DD] [--pdf FILE.pdf]';

export const run = withUsage('report', USAGE, async (argv) => {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: { kind: { type: 'string' }, date: { type: 'string' }, pdf: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const [what, ...extra] = positionals;
  if (what !== 'make') throw new UsageError(what ? `unknown report action "${what}" (未知操作 "${what}"，可用: make)` : 'the action is missing (缺少操作: make)');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}" (多余的参数 "${extra[0]}")`);
  if (values.kind !== 'daily' && values.kind !== 'weekly') throw new UsageError('--kind must be daily or weekly (--kind 须为 daily 或 weekly)');
  const now = new Date();
  const date = values.date ?? shanghaiDate(new Date(now.getTime() - 86_400_000));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    throw new UsageError(`--date must be a real date YYYY-MM-DD, got "${date}" (--date 须为有效日期 YYYY-MM-DD)`);
  }
  const config = getConfigOrExit();
  const db = await openDatabase(config, createLogger({ level: 'warn', name: 'minsheng-report' }), { departments: loadShippedOrExit(config).departments });
  try {
    const r = await makeReport({ sql: db.sql, now }, values.kind, date, true);
    if (values.pdf) {
      const report = await getReport(db.sql, r.id);
      writeFileSync(values.pdf, await renderReportPdf(report!.data as unknown as ReportData, config.REPORT_FONT_PATH ?? DEFAULT_REPORT_FONT));
    }
    console.error(`report: ${values.kind} ${r.periodStart} → report ${r.id}${values.pdf ? `, PDF ${values.pdf}` : ''}`);
    console.log(JSON.stringify({ id: r.id, kind: r.kind, periodStart: r.periodStart, html: `/api/v1/reports/${r.id}.html`, pdf: `/api/v1/reports/${r.id}.pdf` }));
    return 0;
  } finally {
    await db.close();
  }
});
