// 舆情日报 / 周报 (staff): GET /api/v1/reports lists them with links to each one's HTML and PDF;
// GET /api/v1/reports/:id.html the page and /api/v1/reports/:id.pdf the A4 PDF, both drawn from the
// kept figures with today's layout and masking (core/reports/read-report.ts), /api/v1/reports/:id the figures as JSON.
import { Hono } from 'hono';
import { z } from 'zod';
import { STAFF_AREAS } from '../../../core/auth/permissions';
import { getReport, listReports } from '../../../core/db/reports';
import type { ReportData } from '../../../core/reports/make-report';
import { reportForReaders } from '../../../core/reports/read-report';
import { renderReportHtml } from '../../../core/reports/render-html';
import { DEFAULT_REPORT_FONT, renderReportPdf, ReportFontMissingError } from '../../../core/reports/render-pdf';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';

export const listQuery = z.object({
  kind: z.enum(['daily', 'weekly'], { error: 'kind 须为 daily（日报）或 weekly（周报）' }).optional(),
  limit: z.coerce.number({ error: 'limit 须为数字' }).int('limit 须为整数').min(1, 'limit 至少为 1').max(200, 'limit 最大 200').default(50),
  offset: z.coerce.number({ error: 'offset 须为数字' }).int('offset 须为整数').min(0, 'offset 不能小于 0').max(1_000_000).default(0),
});
export const fileParam = z.object({
  file: z.string().regex(/^[1-9][0-9]{0,15}(\.html|\.pdf|\.json)?$/, '报告地址须为 编号、编号.html 或 编号.pdf'),
});

const BASE = '/api/v1/reports';

export function reportsRoutes(deps: AppDeps) {
  const fontPath = deps.config.REPORT_FONT_PATH ?? DEFAULT_REPORT_FONT;
  return new Hono<StaffEnv>()
    .use('*', requireStaff(deps, STAFF_AREAS.reports))
    .get('/', validate('query', listQuery), async (c) => {
      const { rows, total } = await listReports(deps.db.sql, c.req.valid('query'));
      return c.json({
        total,
        reports: rows.map((r) => ({
          ...r,
          title: r.kind === 'daily' ? `舆情日报 ${r.periodStart}` : `舆情周报 ${r.periodStart} 起`,
          links: { html: `${BASE}/${r.id}.html`, pdf: `${BASE}/${r.id}.pdf`, data: `${BASE}/${r.id}` },
        })),
      });
    })
    .get('/:file', validate('param', fileParam), async (c) => {
      const file = c.req.valid('param').file;
      const [id, ext = '.json'] = [Number(file.split('.')[0]), file.includes('.') ? file.slice(file.indexOf('.')) : undefined];
      const report = await getReport(deps.db.sql, id);
      if (!report) throw new ApiError('not_found', '报告不存在 (no such report)');
      const name = `${report.kind === 'daily' ? 'yuqing-daily' : 'yuqing-weekly'}-${report.periodStart}`;
      const data = reportForReaders(report.data as unknown as ReportData);
      if (ext === '.html') return c.html(renderReportHtml(data));
      if (ext === '.pdf') {
        let pdf: Buffer;
        try {
          pdf = await renderReportPdf(data, fontPath);
        } catch (err) {
          if (err instanceof ReportFontMissingError) throw new ApiError('unavailable', err.message);
          throw err;
        }
        return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${name}.pdf"` });
      }
      return c.json({ id: report.id, kind: report.kind, periodStart: report.periodStart, periodEnd: report.periodEnd, madeAt: report.madeAt, data });
    });
}
