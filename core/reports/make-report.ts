// 舆情日报 and 周报: the figures of one day (or one Monday–Sunday week, Beijing time) gathered from
// the topic store (core/opinion: topics, heat, bursts), the 三率 by department, the alerts and the
// message counts, kept with their
// HTML in PostgreSQL; the scheduled job makes yesterday's and last week's once, the CLI any on demand.
import { getDepartmentRanking } from '../analytics/metrics';
import type { Db } from '../db/connect';
import { listAlertRows } from '../db/alerts';
import { countTopicMessagesBetween, listBurstsSince, listTopicsActiveBetween, listTopicsByIds } from '../db/topics';
import { dailySentimentCounts, demoLoadState, periodProcessing, periodTotals, reportMadeAt, saveReport, type ReportKind } from '../db/reports';
import { TOPIC_MAX_ATTEMPTS } from '../opinion/topics';
import { queueDefinitions } from '../queue/contract';
import { renderReportHtml } from './render-html';

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3600_000; // no daylight saving in China

/** The Beijing calendar date of an instant, YYYY-MM-DD. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight of a Beijing date, as an instant. */
export function shanghaiMidnight(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The report's period: the date itself (daily) or the Monday–Sunday week holding it (weekly); end exclusive. */
export function reportPeriod(kind: ReportKind, date: string): { start: string; end: string; from: Date; to: Date } {
  let start = date;
  if (kind === 'weekly') {
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday
    start = addDays(date, -((dow + 6) % 7));
  }
  const end = addDays(start, kind === 'daily' ? 1 : 7);
  return { start, end, from: shanghaiMidnight(start), to: shanghaiMidnight(end) };
}

export interface ReportData {
  kind: ReportKind;
  title: string;
  periodStart: string;
  /** the last day covered (inclusive) */
  periodLast: string;
  madeAt: string;
  totals: {
    messages: number; cases: number; byChannel: { channel: string; n: number }[]; negative: number; negativeShare: number | null;
    /** messages of the period not processed when the report was made (failed, stuck, still in the pipeline): not in the NLP figures */
    unprocessed?: number;
  };
  /** per day: the period itself for a weekly report, the 7 days ending on the date for a daily one */
  sentimentTrend: { day: string; total: number; negative: number; neutral: number; positive: number }[];
  /** the period's hottest topics: messages in the period, all-time size, heat (0–100), burst state, a public masked sample */
  topTopics: { topicId: number; label: string; district: string | null; volume: number; size: number; heat: number; burst: 'none' | 'new' | 'burst'; sample: string | null }[];
  /** burst episodes that began in the period, per topic or per district (observed vs the baseline's expectation) */
  bursts: { scope: 'topic' | 'district'; topicId: number | null; label: string; district: string | null; startedAt: string; observed: number; expected: number; pValue: number }[];
  alerts: { id: number; rule: string; title: string; district: string | null; openedAt: string; count: number; acked: boolean; endedAt: string | null }[];
  departments: { department: string; name: string | null; volume: number; response: number | null; onTime: number | null; satisfaction: number | null; overdueOpen: number }[];
}

export async function buildReportData(sql: Db, kind: ReportKind, date: string, now: Date): Promise<ReportData> {
  const p = reportPeriod(kind, date);
  const totals = await periodTotals(sql, p.from, p.to);
  const { unprocessed } = await periodProcessing(sql, p.from, p.to, processingLimits(now));
  const trendFrom = kind === 'daily' ? shanghaiMidnight(addDays(p.start, -6)) : p.from;
  const trend = await dailySentimentCounts(sql, trendFrom, p.to);
  const inPeriod = trend.filter((d) => d.day >= p.start);
  const negative = inPeriod.reduce((s, d) => s + d.negative, 0);
  const topics = await listTopicsActiveBetween(sql, p.from, p.to, 10);
  const volumes = await countTopicMessagesBetween(sql, topics.map((t) => t.id), p.from, p.to);
  const bursts = (await listBurstsSince(sql, p.from)).filter((b) => b.startedAt < p.to);
  const burstTopics = new Map((await listTopicsByIds(sql, [...new Set(bursts.map((b) => b.topicId).filter((id): id is number => id !== null))])).map((t) => [Number(t.id), t]));
  const alerts = await listAlertRows(sql, { limit: 200, offset: 0, from: p.from, to: p.to });
  const ranking = await getDepartmentRanking(sql, { from: p.from, to: p.to, now, minVolume: 1, rankBy: 'onTime' });
  return {
    kind,
    title: kind === 'daily' ? `舆情日报（${p.start}）` : `舆情周报（${p.start} 至 ${addDays(p.end, -1)}）`,
    periodStart: p.start,
    periodLast: addDays(p.end, -1),
    madeAt: now.toISOString(),
    totals: { ...totals, negative, negativeShare: totals.messages ? Math.round((negative / totals.messages) * 1000) / 1000 : null, unprocessed },
    sentimentTrend: trend,
    topTopics: topics.map((t) => ({
      topicId: Number(t.id), label: t.label, district: t.district, volume: volumes.get(Number(t.id)) ?? 0, size: t.size,
      heat: Math.round(t.heat * 10) / 10, burst: t.burstState, sample: t.publicSample,
    })),
    bursts: bursts.map((b) => ({
      scope: b.scope,
      topicId: b.topicId === null ? null : Number(b.topicId),
      label: b.scope === 'topic' ? (burstTopics.get(Number(b.topicId))?.label || `话题 ${b.topicId}`) : `${b.district ?? ''}（全区）`,
      district: b.district ?? (b.topicId !== null ? (burstTopics.get(Number(b.topicId))?.district ?? null) : null),
      startedAt: b.startedAt.toISOString(),
      observed: b.observed,
      expected: Math.round(b.expected * 100) / 100,
      pValue: b.pValue,
    })),
    alerts: alerts.rows.map((a) => ({
      id: a.id,
      rule: a.ruleName,
      title: a.title,
      district: a.district,
      openedAt: a.openedAt.toISOString(),
      count: Number((a.evidence as { count?: number }).count ?? 0),
      acked: a.ackedAt !== null,
      endedAt: a.endedAt?.toISOString() ?? null,
    })),
    departments: [...ranking.ranked, ...ranking.belowMinimum].map((d) => ({
      department: d.department, name: d.name, volume: d.volume, response: d.response.rate, onTime: d.onTime.rate, satisfaction: d.satisfaction.rate, overdueOpen: d.overdueOpen,
    })),
  };
}

/** Makes (or, with replace, remakes) the report of a kind for the period holding `date`. */
export async function makeReport(deps: { sql: Db; now: Date }, kind: ReportKind, date: string, replace = true): Promise<{ id: number; created: boolean; kind: ReportKind; periodStart: string }> {
  const data = await buildReportData(deps.sql, kind, date, deps.now);
  const saved = await saveReport(deps.sql, { kind, periodStart: data.periodStart, periodEnd: reportPeriod(kind, date).end, madeAt: deps.now, data, html: renderReportHtml(data) }, replace);
  return { ...saved, kind, periodStart: data.periodStart };
}

/** a message of the period still unprocessed this long after it was stored is not waited for */
export const REPORT_WAIT_MS = 6 * 3600_000;

/** What the report waits for: messages with attempts left (the pipeline's own limit) or without their topic yet, stored in the last hours. */
function processingLimits(now: Date): { maxAttempts: number; staleBefore: Date; topicMaxAttempts: number } {
  return { maxAttempts: queueDefinitions['process-message'].attempts, staleBefore: new Date(now.getTime() - REPORT_WAIT_MS), topicMaxAttempts: TOPIC_MAX_ATTEMPTS };
}

/**
 * The scheduled job: yesterday's 日报 and last week's 周报. A report waits while messages of its period
 * are still in the pipeline (not for one that used all its attempts or is stuck for hours: the report
 * says how many were not processed), is made once, and is made again only if a message of its period was
 * processed after it (a backlog, an import, the demo load): a kept report never misses late messages.
 */
export async function makeDueReports(deps: { sql: Db; now: Date }): Promise<{ id: number; kind: ReportKind; periodStart: string }[]> {
  const yesterday = addDays(shanghaiDate(deps.now), -1);
  const lastWeek = reportPeriod('weekly', addDays(reportPeriod('weekly', shanghaiDate(deps.now)).start, -7)).start;
  const made: { id: number; kind: ReportKind; periodStart: string }[] = [];
  // a fresh demo installation: nothing until its data has loaded (its messages carry their past
  // processing times, so a report made before the load would not know it missed them)
  const demo = await demoLoadState(deps.sql);
  if (demo && !demo.done) return made;
  for (const [kind, date] of [['daily', yesterday], ['weekly', lastWeek]] as const) {
    const p = reportPeriod(kind, date);
    const { lastProcessedAt, waiting } = await periodProcessing(deps.sql, p.from, p.to, processingLimits(deps.now));
    if (waiting > 0) continue;
    const madeAt = await reportMadeAt(deps.sql, kind, p.start);
    // made again when a message of the period was processed since, or the demo finished loading since
    const stale = madeAt && ((lastProcessedAt && lastProcessedAt > madeAt) || (demo && demo.changedAt > madeAt));
    if (madeAt && !stale) continue;
    const r = await makeReport(deps, kind, date, true);
    made.push(r);
  }
  return made;
}
