// Live counts for the dashboard's first page.
import type { Sql } from '../db/connect';
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

const OPEN = ['received', 'dispatched', 'accepted', 'returned', 'waiting'];

export async function getOverview(sql: Sql, now = new Date(), days = 30): Promise<Overview> {
  const since = new Date(now.getTime() - days * 86_400_000);
  const [m] = await sql<{ total: number; today: number; pending: number; failed: number }[]>`
    SELECT count(*)::int AS total,
      count(*) FILTER (WHERE (received_at AT TIME ZONE 'Asia/Shanghai')::date = (${now}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date)::int AS today,
      count(*) FILTER (WHERE state IN ('received', 'processing'))::int AS pending,
      count(*) FILTER (WHERE state = 'failed')::int AS failed
    FROM messages`;
  const byChannel = await sql<{ channel: string; n: number }[]>`SELECT channel, count(*)::int AS n FROM messages GROUP BY channel`;
  const byStatus = await sql<{ status: string; n: number }[]>`SELECT status, count(*)::int AS n FROM cases GROUP BY status`;
  const [c] = await sql<{ total: number; open: number; overdue: number; review: number }[]>`
    SELECT count(*)::int AS total,
      count(*) FILTER (WHERE status IN ${sql(OPEN)})::int AS open,
      count(*) FILTER (WHERE status IN ${sql(OPEN)} AND resolve_due_at < ${now})::int AS overdue,
      count(*) FILTER (WHERE needs_review AND status IN ${sql(OPEN)})::int AS review
    FROM cases WHERE status <> 'merged'`;
  const byCategory = await sql<{ category: string; count: number }[]>`
    SELECT coalesce(category, 'unknown') AS category, count(*)::int AS count FROM cases
    WHERE created_at >= ${since} AND status <> 'merged' GROUP BY 1 ORDER BY 2 DESC`;
  const byDistrict = await sql<{ district: string; count: number }[]>`
    SELECT coalesce(district, '未识别') AS district, count(*)::int AS count FROM cases
    WHERE created_at >= ${since} AND status <> 'merged' GROUP BY 1 ORDER BY 2 DESC`;
  const sentiment = await sql<{ sentiment: string; n: number }[]>`
    SELECT coalesce(sentiment, 'unknown') AS sentiment, count(*)::int AS n FROM cases WHERE created_at >= ${since} GROUP BY 1`;
  const daily = await sql<{ day: string; messages: number; cases: number; negative: number }[]>`
    WITH d AS (
      SELECT generate_series((${since}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date,
                             (${now}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date, interval '1 day')::date AS day
    )
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
      (SELECT count(*) FROM messages WHERE (received_at AT TIME ZONE 'Asia/Shanghai')::date = d.day)::int AS messages,
      (SELECT count(*) FROM cases WHERE (created_at AT TIME ZONE 'Asia/Shanghai')::date = d.day AND status <> 'merged')::int AS cases,
      (SELECT count(*) FROM cases WHERE (created_at AT TIME ZONE 'Asia/Shanghai')::date = d.day AND sentiment = 'negative')::int AS negative
    FROM d ORDER BY d.day`;
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
