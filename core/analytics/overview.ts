// Live counts for the dashboard's first page.
import { overviewCounts } from '../db/analytics';
import type { Db } from '../db/connect';
import { getAppState } from '../db/app-state';

export interface Overview {
  generatedAt: Date;
  messages: { total: number; today: number; pending: number; failed: number; byChannel: Record<string, number> };
  cases: {
    total: number;
    open: number;
    overdue: number;
    needsReview: number;
    byStatus: Record<string, number>;
    byCategory: { category: string; count: number }[];
    byDistrict: { district: string; count: number }[];
    sentiment: Record<string, number>;
  };
  daily: { day: string; messages: number; cases: number; negative: number }[];
  /** demo data progress, when this installation loads demo data */
  demo: { done: boolean; count: number } | null;
}

export async function getOverview(sql: Db, now = new Date(), days = 30): Promise<Overview> {
  const since = new Date(now.getTime() - days * 86_400_000);
  const { m, byChannel, byStatus, c, byCategory, byDistrict, sentiment, daily } = await overviewCounts(sql, now, since);
  const demo = await getAppState<{ done: boolean; count: number }>(sql, 'demo');
  return {
    generatedAt: now,
    messages: { ...m, byChannel: Object.fromEntries(byChannel.map((r) => [r.channel, r.n])) },
    cases: {
      total: c.total,
      open: c.open,
      overdue: c.overdue,
      needsReview: c.review,
      byStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
      byCategory: [...byCategory],
      byDistrict: [...byDistrict],
      sentiment: Object.fromEntries(sentiment.map((r) => [r.sentiment, r.n])),
    },
    daily: [...daily],
    demo: demo ? { done: demo.done, count: demo.count } : null,
  };
}
