// 三率 and department rankings, defined so that they cannot flatter (CONVENTIONS §3):
// - 响应率: first response by the response deadline / cases whose response deadline has passed
//   (an open case with no response counts as a miss);
// - 按时办结率 (on time): replied by the resolution deadline / cases replied or past that deadline;
// - 满意率: (满意 + 基本满意) / cases actually rated, with the rated share of closed cases beside it;
//   a rating is the case's latest 回访, so a 不满意 that reopened the case still counts;
// - 解决率: rated cases the resident called resolved / rated cases where the question was answered.
// Every rate carries its numerator and denominator; rankings leave out departments below a minimum volume.
import type { Sql } from '../db/connect';

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

interface Row {
  dept: string | null;
  grouped: number;
  volume: number;
  respDue: number;
  respHit: number;
  onTimeDue: number;
  onTimeHit: number;
  closed: number;
  rated: number;
  satisfied: number;
  resolvedYes: number;
  resolvedAsked: number;
  overdueOpen: number;
}

async function query(sql: Sql, o: MetricsOptions): Promise<Row[]> {
  const now = o.now ?? new Date();
  return sql<Row[]>`
    WITH c AS (
      SELECT id, department_code, status, response_due_at, first_response_at, resolve_due_at, replied_at
      FROM cases WHERE status <> 'merged' AND created_at >= ${o.from} AND created_at < ${o.to}
    ), r AS (
      SELECT DISTINCT ON (e.case_id) e.case_id, e.data->>'rating' AS rating, e.data->'resolved' AS resolved
      FROM case_events e JOIN c ON c.id = e.case_id WHERE e.type = 'rated' ORDER BY e.case_id, e.seq DESC
    ), cl AS (
      SELECT DISTINCT e.case_id FROM case_events e JOIN c ON c.id = e.case_id WHERE e.type = 'closed'
    )
    SELECT c.department_code AS dept, GROUPING(c.department_code)::int AS grouped, count(*)::int AS volume,
      count(*) FILTER (WHERE c.response_due_at < ${now})::int AS "respDue",
      count(*) FILTER (WHERE c.response_due_at < ${now} AND c.first_response_at <= c.response_due_at)::int AS "respHit",
      count(*) FILTER (WHERE c.replied_at IS NOT NULL OR c.resolve_due_at < ${now})::int AS "onTimeDue",
      count(*) FILTER (WHERE c.replied_at IS NOT NULL AND c.replied_at <= c.resolve_due_at)::int AS "onTimeHit",
      count(cl.case_id)::int AS closed,
      count(r.case_id)::int AS rated,
      count(*) FILTER (WHERE r.rating IN ('满意', '基本满意'))::int AS satisfied,
      count(*) FILTER (WHERE r.resolved = 'true'::jsonb)::int AS "resolvedYes",
      count(*) FILTER (WHERE r.resolved IN ('true'::jsonb, 'false'::jsonb))::int AS "resolvedAsked",
      count(*) FILTER (WHERE c.status IN ('dispatched', 'accepted', 'waiting', 'returned', 'received') AND c.resolve_due_at < ${now})::int AS "overdueOpen"
    FROM c LEFT JOIN r ON r.case_id = c.id LEFT JOIN cl ON cl.case_id = c.id
    GROUP BY GROUPING SETS ((c.department_code), ())`;
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

export async function getMetrics(sql: Sql, o: MetricsOptions): Promise<MetricsBlock & { from: Date; to: Date }> {
  const rows = await query(sql, o);
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

export async function getDepartmentRanking(sql: Sql, o: MetricsOptions & { minVolume?: number; rankBy?: RankBy }): Promise<DepartmentRanking> {
  const minVolume = o.minVolume ?? 20;
  const rankBy = o.rankBy ?? 'onTime';
  const names = new Map((await sql<{ code: string; name: string }[]>`SELECT code, name FROM departments`).map((d) => [d.code, d.name]));
  const rows = (await query(sql, o)).filter((r) => r.grouped === 0 && r.dept !== null);
  const all = rows.map((r) => ({ department: r.dept!, name: names.get(r.dept!) ?? null, ...block(r) }));
  const key = (b: MetricsBlock) => (rankBy === 'onTime' ? b.onTime : rankBy === 'response' ? b.response : b.satisfaction).rate ?? -1;
  const ranked = all
    .filter((d) => d.volume >= minVolume)
    .sort((a, b) => key(b) - key(a) || b.volume - a.volume || a.department.localeCompare(b.department))
    .map((d, i) => ({ rank: i + 1, ...d }));
  const belowMinimum = all.filter((d) => d.volume < minVolume).sort((a, b) => b.volume - a.volume);
  return { from: o.from, to: o.to, minVolume, rankBy, ranked, belowMinimum };
}
