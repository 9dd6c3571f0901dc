// 三率 and department rankings, defined so that they cannot flatter (CONVENTIONS §3):
// - 响应率: first response by the response deadline / cases whose response deadline has passed
//   (an open case with no response counts as a miss);
// - 按时办结率 (on time): replied by the resolution deadline / cases replied or past that deadline;
// - 满意率: (满意 + 基本满意) / cases actually rated, with the rated share of closed cases beside it;
//   a rating is the case's latest 回访, so a 不满意 that reopened the case still counts;
// - 解决率: rated cases the resident called resolved / rated cases where the question was answered.
// Every rate carries its numerator and denominator; rankings leave out departments below a minimum volume.
import { listMetricsRows, type MetricsRow as Row } from '../db/analytics';
import type { Db } from '../db/connect';
import { listDepartments } from '../db/departments';

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

export interface MetricsOptions {
  from: Date;
  to: Date;
  now?: Date;
}

function rate(n: number, d: number): Rate {
  return { rate: d ? Math.round((n / d) * 10_000) / 10_000 : null, numerator: n, denominator: d };
}



function block(r: Row): MetricsBlock {
  return {
    volume: r.volume,
    response: rate(r.respHit, r.respDue),
    onTime: rate(r.onTimeHit, r.onTimeDue),
    satisfaction: { ...rate(r.satisfied, r.rated), rated: r.rated, closed: r.closed, ratedShare: r.closed ? Math.round((r.rated / r.closed) * 10_000) / 10_000 : null },
    resolution: rate(r.resolvedYes, r.resolvedAsked),
    overdueOpen: r.overdueOpen,
  };
}

export async function getMetrics(sql: Db, o: MetricsOptions): Promise<MetricsBlock & { from: Date; to: Date }> {
  const rows = await listMetricsRows(sql, o);
  const total = rows.find((r) => r.grouped === 1);
  const empty: Row = { dept: null, grouped: 1, volume: 0, respDue: 0, respHit: 0, onTimeDue: 0, onTimeHit: 0, closed: 0, rated: 0, satisfied: 0, resolvedYes: 0, resolvedAsked: 0, overdueOpen: 0 };
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
  const names = new Map((await listDepartments(sql)).map((d) => [d.code, d.name]));
  const rows = (await listMetricsRows(sql, o)).filter((r) => r.grouped === 0 && r.dept !== null);
  const all = rows.map((r) => ({ department: r.dept!, name: names.get(r.dept!) ?? null, ...block(r) }));
  const key = (b: MetricsBlock) => (rankBy === 'onTime' ? b.onTime : rankBy === 'response' ? b.response : b.satisfaction).rate ?? -1;
  const ranked = all
    .filter((d) => d.volume >= minVolume)
    .sort((a, b) => key(b) - key(a) || b.volume - a.volume || a.department.localeCompare(b.department))
    .map((d, i) => ({ rank: i + 1, ...d }));
  const belowMinimum = all.filter((d) => d.volume < minVolume).sort((a, b) => b.volume - a.volume);
  return { from: o.from, to: o.to, minVolume, rankBy, ranked, belowMinimum };
}
