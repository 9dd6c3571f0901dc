// 三率 and department rankings, defined so that they cannot flatter (CONVENTIONS §3):
// - 响应率: first response by the response deadline / cases whose response deadline has passed
//   (an open case with no response counts as a miss);
// - 按时办结率 (on time): reply reached the resident (a held reply: on 审核通过) by the resolution deadline
//   / cases so answered or past that deadline;
// - 满意率: (满意 + 基本满意) / cases actually rated, with the rated share of closed cases beside it;
//   a rating is the case's latest 回访, so a 不满意 that reopened the case still counts;
// - 解决率: rated cases the resident called resolved / rated cases where the question was answered.
// Every rate carries its numerator and denominator; rankings leave out departments below a minimum volume.
// All of it is read from the rollups (core/db/rollups.ts), for cases created in a period of local days.
import type { Db } from '../db/connect';
import { listDepartments } from '../db/departments';
import { readCaseCounts, readDurationBuckets, syncDueCaseFacts, type CaseCountsRow as Row } from '../db/rollups';
import type { StatsQuery } from './overview';
import { DURATION_BUCKETS_MIN, filterOf, quantileFromBuckets } from './rollups';

export interface Rate {
  rate: number | null;
  numerator: number;
  denominator: number;
}

export interface MetricsBlock {
  volume: number;
  response: Rate;
  onTime: Rate;
  satisfaction: Rate & { ratedShare: number | null; rated: number; closed: number };
  resolution: Rate;
  overdueOpen: number;
}

export type MetricsOptions = StatsQuery;

function rate(n: number, d: number): Rate {
  return { rate: d ? Math.round((n / d) * 10_000) / 10_000 : null, numerator: n, denominator: d };
}



function block(r: Row): MetricsBlock {
  return {
    volume: r.n,
    response: rate(r.respHit, r.respDue),
    onTime: rate(r.onTimeHit, r.onTimeDue),
    satisfaction: { ...rate(r.satisfied, r.rated), rated: r.rated, closed: r.closed, ratedShare: r.closed ? Math.round((r.rated / r.closed) * 10_000) / 10_000 : null },
    resolution: rate(r.resolvedYes, r.resolvedAsked),
    overdueOpen: r.overdueOpen,
  };
}

export async function getMetrics(sql: Db, o: MetricsOptions): Promise<MetricsBlock & { from: Date; to: Date }> {
  if (o.now) await syncDueCaseFacts(sql, o.now);
  const [total] = await readCaseCounts(sql, filterOf(o), 'all');
  const empty: Row = { key: 'all', n: 0, review: 0, respDue: 0, respHit: 0, onTimeDue: 0, onTimeHit: 0, closed: 0, rated: 0, satisfied: 0, resolvedYes: 0, resolvedAsked: 0, overdueOpen: 0 };
  return { from: o.from, to: o.to, ...block(total ?? empty) };
}

export type RankBy = 'onTime' | 'response' | 'satisfaction';

export interface DepartmentRanking {
  from: Date;
  to: Date;
  minVolume: number;
  rankBy: RankBy;
  ranked: (MetricsBlock & { rank: number; department: string; name: string | null })[];
  /** below the minimum volume: shown, never ranked */
  belowMinimum: (MetricsBlock & { department: string; name: string | null })[];
}

export async function getDepartmentRanking(sql: Db, o: MetricsOptions & { minVolume?: number; rankBy?: RankBy }): Promise<DepartmentRanking> {
  const minVolume = o.minVolume ?? 20;
  const rankBy = o.rankBy ?? 'onTime';
  if (o.now) await syncDueCaseFacts(sql, o.now);
  const names = new Map((await listDepartments(sql)).map((d) => [d.code, d.name]));
  const rows = (await readCaseCounts(sql, filterOf(o), 'department')).filter((r) => r.key !== '');
  const all = rows.map((r) => ({ department: r.key, name: names.get(r.key) ?? null, ...block(r) }));
  const key = (b: MetricsBlock) => (rankBy === 'onTime' ? b.onTime : rankBy === 'response' ? b.response : b.satisfaction).rate ?? -1;
  const ranked = all
    .filter((d) => d.volume >= minVolume)
    .sort((a, b) => key(b) - key(a) || b.volume - a.volume || a.department.localeCompare(b.department))
    .map((d, i) => ({ rank: i + 1, ...d }));
  const belowMinimum = all.filter((d) => d.volume < minVolume).sort((a, b) => b.volume - a.volume);
  return { from: o.from, to: o.to, minVolume, rankBy, ranked, belowMinimum };
}

export interface DurationSummary {
  /** cases with this time measured (responded, or replied) */
  count: number;
  /** minutes from receipt, read from the fixed buckets (core/analytics/rollups.ts) */
  medianMinutes: number | null;
  p90Minutes: number | null;
  /** [bucket upper bound in minutes (null: beyond the last), count] */
  histogram: [number | null, number][];
}

export interface ServiceTimes {
  from: Date;
  to: Date;
  departments: { department: string; name: string | null; volume: number; overdueOpen: number; response: DurationSummary; resolution: DurationSummary }[];
  all: { response: DurationSummary; resolution: DurationSummary };
}

function summary(counts: Map<number, number>, bounds: readonly number[]): DurationSummary {
  const histogram = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([b, n]) => [bounds[b] ?? null, n] as [number | null, number]);
  return {
    count: [...counts.values()].reduce((a, b) => a + b, 0),
    medianMinutes: quantileFromBuckets(counts, 0.5),
    p90Minutes: quantileFromBuckets(counts, 0.9),
    histogram,
  };
}

/**
 * 响应时长 and 办理时长 per department (staff only: the per-department 超期在办 is beside them): the
 * median and 90th percentile of receipt → first response and receipt → reply, for cases created in the period.
 */
export async function getServiceTimes(sql: Db, o: MetricsOptions): Promise<ServiceTimes> {
  const f = filterOf(o);
  const [buckets, counts, departments] = await Promise.all([readDurationBuckets(sql, f), readCaseCounts(sql, f, 'department'), listDepartments(sql)]);
  const names = new Map(departments.map((d) => [d.code, d.name]));
  const per = new Map<string, { response: Map<number, number>; resolution: Map<number, number> }>();
  const all = { response: new Map<number, number>(), resolution: new Map<number, number>() };
  for (const b of buckets) {
    if (!b.department) continue;
    const d = per.get(b.department) ?? { response: new Map(), resolution: new Map() };
    per.set(b.department, d);
    d[b.kind].set(b.bucket, (d[b.kind].get(b.bucket) ?? 0) + b.n);
    all[b.kind].set(b.bucket, (all[b.kind].get(b.bucket) ?? 0) + b.n);
  }
  const rows = counts.filter((r) => r.key !== '').map((r) => {
    const d = per.get(r.key) ?? { response: new Map(), resolution: new Map() };
    return {
      department: r.key, name: names.get(r.key) ?? null, volume: r.n, overdueOpen: r.overdueOpen,
      response: summary(d.response, DURATION_BUCKETS_MIN), resolution: summary(d.resolution, DURATION_BUCKETS_MIN),
    };
  });
  rows.sort((a, b) => b.volume - a.volume || a.department.localeCompare(b.department));
  return { from: o.from, to: o.to, departments: rows, all: { response: summary(all.response, DURATION_BUCKETS_MIN), resolution: summary(all.resolution, DURATION_BUCKETS_MIN) } };
}
