// 舆情预警 and 舆情报告: the periodic alert sweep (every rule at the present time, quiet episodes
// end) and the report schedule (yesterday's 日报 and last week's 周报, each made once).
import { deliveryConfig } from '../../core/alerts/deliver';
import { evaluateAlertsForMessage, sweepAlerts, type AlertDeps } from '../../core/alerts/evaluate';
import { topicStoreSignals } from '../../core/alerts/topic-signals';
import { makeDueReports } from '../../core/reports/make-report';
import type { WorkerArea, WorkerContext } from './context';

export const ALERT_SWEEP_MS = 60_000;
export const REPORT_SCHEDULE_MS = 15 * 60_000;

export function alertDeps(ctx: WorkerContext): AlertDeps {
  return { sql: ctx.db.sql, queue: ctx.queue, log: ctx.logger, now: ctx.now, delivery: deliveryConfig(ctx.config), topics: topicStoreSignals };
}

/** Called by the message pipeline once a message is processed; a failure here never fails the message (the sweep evaluates again). */
export function alertsAfterMessage(ctx: WorkerContext): (messageId: number) => Promise<void> {
  const deps = alertDeps(ctx);
  return async (messageId) => {
    try {
      await evaluateAlertsForMessage(deps, messageId);
    } catch (err) {
      ctx.logger.warn({ err, messageId }, 'alert evaluation failed; the alert sweep will evaluate again');
    }
  };
}

export function alertsArea(ctx: WorkerContext): WorkerArea {
  const deps = alertDeps(ctx);
  return {
    periodic: {
      'alert-sweep': async () => {
        const r = await sweepAlerts(deps);
        if (r.opened.length || r.ended.length || r.redelivered.length) ctx.logger.info({ opened: r.opened, ended: r.ended, redelivered: r.redelivered }, 'alert sweep');
      },
      'report-schedule': async () => {
        const made = await makeDueReports({ sql: ctx.db.sql, now: ctx.now() });
        for (const r of made) ctx.logger.info({ reportId: r.id, kind: r.kind, periodStart: r.periodStart }, 'report made');
      },
    },
    schedule: { 'alert-sweep': ALERT_SWEEP_MS, 'report-schedule': REPORT_SCHEDULE_MS },
  };
}
