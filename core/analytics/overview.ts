// The dashboard's first page and the cockpit's trends, from the rollups (core/db/rollups.ts): the
// counts of messages and cases for a period of local days, filtered by district, category and channel.
import { getAppState } from '../db/app-state';
import type { Db } from '../db/connect';
import { readCaseCounts, readCaseSentimentDays, readMessageDays, readMessageStates, readMessageTotals } from '../db/rollups';
import { daysOf, filterOf, localDay, type StatsFilter } from './rollups';

export interface StatsQuery {
  from: Date;
  to: Date;
  district?: string;
  category?: string;
  channel?: string;
  /** a clock of one's own (tests, commands): the cases whose deadlines passed by then are counted again first */
  now?: Date;
}

export interface OverviewDay {
  day: string;
  /** processed messages received that day (with the filter's district and category, as the NLP read them) */
  messages: number;
  /** cases created that day (merged ones left out) */
  cases: number;
  /** of those cases, by sentiment */
  negative: number;
  neutral: number;
  positive: number;
}

export interface Overview {
  generatedAt: Date;
  period: { from: Date; to: Date; fromDay: string; toDay: string };
  filter: { district: string | null; category: string | null; channel: string | null };
  /**
   * Every stored message by state; with a district or category filter, only processed ones can be placed.
   * `total`/`byChannel` are all time; `periodTotal`/`periodByChannel` those received in the period
   * (what 总览 shows for the chosen range); `pending`/`failed` are now.
   */
  messages: { total: number; periodTotal: number; today: number; pending: number; failed: number; byChannel: Record<string, number>; periodByChannel: Record<string, number> };
  cases: {
    /** created in the period, not merged */
    total: number;
    /** now, whenever created */
    open: number;
    overdue: number;
    needsReview: number;
    /** created in the period, by their status now (merged included) */
    byStatus: Record<string, number>;
    byCategory: { category: string; count: number }[];
    byDistrict: { district: string; count: number }[];
    sentiment: Record<string, number>;
  };
  daily: OverviewDay[];
  /** demo data progress, when this installation loads demo data */
  demo: { done: boolean; count: number } | null;
}

async function messageFigures(sql: Db, f: StatsFilter, today: string): Promise<Overview['messages']> {
  const byChannel: Record<string, number> = {};
  const periodByChannel: Record<string, number> = {};
  let total = 0, periodTotal = 0, todayN = 0, pending = 0, failed = 0;
  if (f.district === undefined && f.category === undefined) {
    for (const r of await readMessageStates(sql, f, today)) {
      total += r.n;
      periodTotal += r.period;
      todayN += r.today;
      if (r.state === 'received' || r.state === 'processing') pending += r.n;
      if (r.state === 'failed') failed += r.n;
      byChannel[r.channel] = (byChannel[r.channel] ?? 0) + r.n;
      if (r.period) periodByChannel[r.channel] = (periodByChannel[r.channel] ?? 0) + r.period;
    }
    return { total, periodTotal, today: todayN, pending, failed, byChannel, periodByChannel };
  }
  for (const r of await readMessageTotals(sql, f, today)) {
    total += r.total;
    periodTotal += r.period;
    todayN += r.today;
    byChannel[r.channel] = r.total;
    if (r.period) periodByChannel[r.channel] = r.period;
  }
  return { total, periodTotal, today: todayN, pending: 0, failed: 0, byChannel, periodByChannel };
}

export async function getOverview(sql: Db, q: StatsQuery, now = new Date()): Promise<Overview> {
  const f = filterOf(q);
  const today = localDay(now);
  const [messages, open, byStatus, byCategory, byDistrict, bySentiment, messageDays, caseDays, demo] = await Promise.all([
    messageFigures(sql, f, today),
    readCaseCounts(sql, f, 'all', { period: false, openOnly: true }),
    readCaseCounts(sql, f, 'status'),
    readCaseCounts(sql, f, 'category'),
    readCaseCounts(sql, f, 'district'),
    readCaseCounts(sql, f, 'sentiment'),
    readMessageDays(sql, f),
    readCaseSentimentDays(sql, f),
    getAppState<{ done: boolean; count: number }>(sql, 'demo'),
  ]);
  const m = new Map(messageDays.map((d) => [d.day, d]));
  const c = new Map(caseDays.map((d) => [d.day, d]));
  const statusCounts = Object.fromEntries(byStatus.map((r) => [r.key, r.n]));
  return {
    generatedAt: now,
    period: { from: q.from, to: q.to, fromDay: f.fromDay, toDay: f.toDay },
    filter: { district: q.district ?? null, category: q.category ?? null, channel: q.channel ?? null },
    messages,
    cases: {
      total: byStatus.filter((r) => r.key !== 'merged').reduce((a, r) => a + r.n, 0),
      open: open[0]?.n ?? 0,
      overdue: open[0]?.overdueOpen ?? 0,
      needsReview: open[0]?.review ?? 0,
      byStatus: statusCounts,
      byCategory: byCategory.map((r) => ({ category: r.key || 'unknown', count: r.n })),
      byDistrict: byDistrict.map((r) => ({ district: r.key || '未识别', count: r.n })),
      sentiment: Object.fromEntries(bySentiment.map((r) => [r.key || 'unknown', r.n])),
    },
    daily: daysOf(f).map((day) => {
      const cd = c.get(day);
      return { day, messages: m.get(day)?.messages ?? 0, cases: cd?.cases ?? 0, negative: cd?.negative ?? 0, neutral: cd?.neutral ?? 0, positive: cd?.positive ?? 0 };
    }),
    demo: demo ? { done: demo.done, count: demo.count } : null,
  };
}
