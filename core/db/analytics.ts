// The read models behind the dashboard's statistics: overview counts, the 三率 counts and the
// rows hot topics are grouped from. The arithmetic on them lives in core/analytics.
import { OPEN_STATUSES } from '../cases/statuses';
import type { Db } from './connect';

/** The overview's counts: messages, cases by status, category, district and sentiment since `since`, and per day. */
export async function overviewCounts(sql: Db, now: Date, since: Date) {
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
      count(*) FILTER (WHERE status IN ${sql(OPEN_STATUSES)})::int AS open,
      count(*) FILTER (WHERE status IN ${sql(OPEN_STATUSES)} AND resolve_due_at < ${now})::int AS overdue,
      count(*) FILTER (WHERE needs_review AND status IN ${sql(OPEN_STATUSES)})::int AS review
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
  return { m, byChannel, byStatus, c, byCategory, byDistrict, sentiment, daily };
}

/** One department's counts (grouped = 0) or the total (grouped = 1) behind the 三率. */
export interface MetricsRow {
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

/** Cases created in [from, to), not merged: the counts per department and in total (GROUPING SETS). */
export async function listMetricsRows(sql: Db, o: { from: Date; to: Date; now?: Date }): Promise<MetricsRow[]> {
  const now = o.now ?? new Date();
  return sql<MetricsRow[]>`
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
      count(*) FILTER (WHERE c.response_due_at < ${now})::int AS resp_due,
      count(*) FILTER (WHERE c.response_due_at < ${now} AND c.first_response_at <= c.response_due_at)::int AS resp_hit,
      count(*) FILTER (WHERE c.replied_at IS NOT NULL OR c.resolve_due_at < ${now})::int AS on_time_due,
      count(*) FILTER (WHERE c.replied_at IS NOT NULL AND c.replied_at <= c.resolve_due_at)::int AS on_time_hit,
      count(cl.case_id)::int AS closed,
      count(r.case_id)::int AS rated,
      count(*) FILTER (WHERE r.rating IN ('满意', '基本满意'))::int AS satisfied,
      count(*) FILTER (WHERE r.resolved = 'true'::jsonb)::int AS resolved_yes,
      count(*) FILTER (WHERE r.resolved IN ('true'::jsonb, 'false'::jsonb))::int AS resolved_asked,
      count(*) FILTER (WHERE c.status IN ${sql(OPEN_STATUSES)} AND c.resolve_due_at < ${now})::int AS overdue_open
    FROM c LEFT JOIN r ON r.case_id = c.id LEFT JOIN cl ON cl.case_id = c.id
    GROUP BY GROUPING SETS ((c.department_code), ())`;
}

export interface HotTopicRow {
  messageId: number;
  receivedAt: Date;
  caseId: number;
  status: string;
  title: string | null;
  summary: string;
  category: string | null;
  district: string | null;
  street: string | null;
  community: string | null;
  keywords: string[];
  sentiment: string | null;
}

/** Messages received in [from, to) with the case that answers for them (merges followed), for 热点. */
export async function listHotTopicRows(sql: Db, from: Date, to: Date): Promise<HotTopicRow[]> {
  // a message on a case merged into another counts for the case it joined
  return sql<HotTopicRow[]>`
    WITH RECURSIVE m AS (
      SELECT id, received_at, case_id FROM messages WHERE received_at >= ${from} AND received_at < ${to} AND case_id IS NOT NULL
    ), chain AS (
      SELECT m.id AS message_id, c.id AS case_id, c.merged_into, 0 AS depth FROM m JOIN cases c ON c.id = m.case_id
      UNION ALL
      SELECT chain.message_id, c.id, c.merged_into, chain.depth + 1 FROM chain JOIN cases c ON c.id = chain.merged_into WHERE chain.depth < 10
    )
    SELECT m.id AS message_id, m.received_at, c.id AS case_id, c.status, c.title, c.summary, c.category,
      c.district, c.street, c.community, c.keywords, coalesce(msg.analysis->'sentiment'->>'label', c.sentiment) AS sentiment
    FROM chain JOIN m ON m.id = chain.message_id JOIN cases c ON c.id = chain.case_id JOIN messages msg ON msg.id = m.id
    WHERE chain.merged_into IS NULL`;
}
