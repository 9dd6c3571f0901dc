// 舆情日报 / 周报: the kept reports and the counts they are made from.
import type { Db } from './connect';

export type ReportKind = 'daily' | 'weekly';

export interface ReportRow {
  id: number;
  kind: ReportKind;
  periodStart: string;
  periodEnd: string;
  madeAt: Date;
  data: Record<string, unknown>;
  html: string;
}

export type ReportListRow = Omit<ReportRow, 'data' | 'html'>;

const listColumns = (sql: Db) => sql`id, kind, to_char(period_start, 'YYYY-MM-DD') AS period_start, to_char(period_end, 'YYYY-MM-DD') AS period_end, made_at`;

/** Stores a report; `replace` makes it anew when one exists for the kind and period (else the existing one stays). */
export async function saveReport(
  sql: Db,
  r: { kind: ReportKind; periodStart: string; periodEnd: string; madeAt: Date; data: object; html: string },
  replace: boolean,
): Promise<{ id: number; created: boolean }> {
  const [row] = replace
    ? await sql<{ id: number }[]>`
        INSERT INTO reports (kind, period_start, period_end, made_at, data, html)
        VALUES (${r.kind}, ${r.periodStart}, ${r.periodEnd}, ${r.madeAt}, ${sql.json(r.data as never)}, ${r.html})
        ON CONFLICT (kind, period_start) DO UPDATE SET period_end = excluded.period_end, made_at = excluded.made_at, data = excluded.data, html = excluded.html
        RETURNING id`
    : await sql<{ id: number }[]>`
        INSERT INTO reports (kind, period_start, period_end, made_at, data, html)
        VALUES (${r.kind}, ${r.periodStart}, ${r.periodEnd}, ${r.madeAt}, ${sql.json(r.data as never)}, ${r.html})
        ON CONFLICT (kind, period_start) DO NOTHING
        RETURNING id`;
  if (row) return { id: row.id, created: true };
  const [existing] = await sql<{ id: number }[]>`SELECT id FROM reports WHERE kind = ${r.kind} AND period_start = ${r.periodStart}`;
  return { id: existing.id, created: false };
}

/** When the report of a kind and period was made (undefined: not yet). */
export async function reportMadeAt(sql: Db, kind: ReportKind, periodStart: string): Promise<Date | undefined> {
  const [row] = await sql<{ madeAt: Date }[]>`SELECT made_at FROM reports WHERE kind = ${kind} AND period_start = ${periodStart}`;
  return row?.madeAt;
}

/**
 * The last time a message received in [from, to) was processed; how many are still waiting for the
 * pipeline (received or processing, with attempts left, stored after `staleBefore`: a message that
 * used all its attempts or has been stuck for hours is not waited for); and how many are not
 * processed at all (waiting, stuck or failed), for the report to say so.
 */
export async function periodProcessing(
  sql: Db,
  from: Date,
  to: Date,
  o: { maxAttempts: number; staleBefore: Date; topicMaxAttempts?: number },
): Promise<{ lastProcessedAt: Date | null; waiting: number; unprocessed: number }> {
  // waiting: still in the pipeline, or processed but not yet given its topic (the topic sweep picks it up;
  // one whose topic step failed for good, or stuck for hours, is not waited for)
  const [row] = await sql<{ lastProcessedAt: Date | null; waiting: number; unprocessed: number }[]>`
    SELECT max(processed_at) AS last_processed_at,
      count(*) FILTER (WHERE stored_at >= ${o.staleBefore} AND (
        (state IN ('received', 'processing') AND attempts < ${o.maxAttempts})
        OR (state = 'processed' AND analysis IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM opinion_topic_members t WHERE t.message_id = m.id)
          AND NOT EXISTS (SELECT 1 FROM opinion_topic_errors e WHERE e.message_id = m.id AND e.attempts >= ${o.topicMaxAttempts ?? 3}))
      ))::int AS waiting,
      count(*) FILTER (WHERE state <> 'processed')::int AS unprocessed
    FROM messages m WHERE received_at >= ${from} AND received_at < ${to}`;
  return row;
}

/** The demo load's progress and when it last changed (its end, once done); null where no demo is loaded. */
export async function demoLoadState(sql: Db): Promise<{ done: boolean; changedAt: Date } | null> {
  const [row] = await sql<{ done: boolean; changedAt: Date }[]>`
    SELECT coalesce((value->>'done')::boolean, false) AS done, updated_at AS changed_at FROM app_state WHERE key = 'demo'`;
  return row ?? null;
}

export async function getReport(sql: Db, id: number): Promise<ReportRow | undefined> {
  const [row] = await sql<ReportRow[]>`SELECT ${listColumns(sql)}, data, html FROM reports WHERE id = ${id}`;
  return row;
}

export async function listReports(sql: Db, o: { kind?: ReportKind; limit: number; offset: number }): Promise<{ rows: ReportListRow[]; total: number }> {
  const where = o.kind ? sql`WHERE kind = ${o.kind}` : sql``;
  const rows = await sql<ReportListRow[]>`SELECT ${listColumns(sql)} FROM reports ${where} ORDER BY period_start DESC, kind, id DESC LIMIT ${o.limit} OFFSET ${o.offset}`;
  const [{ total }] = await sql<{ total: number }[]>`SELECT count(*)::int AS total FROM reports ${where}`;
  return { rows, total };
}

/** Messages per Shanghai calendar day in [from, to), by the sentiment the NLP read. */
export async function dailySentimentCounts(sql: Db, from: Date, to: Date): Promise<{ day: string; total: number; negative: number; neutral: number; positive: number }[]> {
  return sql<{ day: string; total: number; negative: number; neutral: number; positive: number }[]>`
    WITH d AS (
      SELECT generate_series((${from}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date,
                             ((${to}::timestamptz - interval '1 second') AT TIME ZONE 'Asia/Shanghai')::date, interval '1 day')::date AS day
    ), m AS (
      SELECT (received_at AT TIME ZONE 'Asia/Shanghai')::date AS day, analysis->'sentiment'->>'label' AS s
      FROM messages WHERE received_at >= ${from} AND received_at < ${to}
    )
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
      count(m.day)::int AS total,
      count(*) FILTER (WHERE m.s = 'negative')::int AS negative,
      count(*) FILTER (WHERE m.s = 'neutral')::int AS neutral,
      count(*) FILTER (WHERE m.s = 'positive')::int AS positive
    FROM d LEFT JOIN m ON m.day = d.day GROUP BY d.day ORDER BY d.day`;
}

/** The period's totals: messages, cases opened, by channel. */
export async function periodTotals(sql: Db, from: Date, to: Date): Promise<{ messages: number; cases: number; byChannel: { channel: string; n: number }[] }> {
  const [{ messages }] = await sql<{ messages: number }[]>`SELECT count(*)::int AS messages FROM messages WHERE received_at >= ${from} AND received_at < ${to}`;
  const [{ cases }] = await sql<{ cases: number }[]>`SELECT count(*)::int AS cases FROM cases WHERE created_at >= ${from} AND created_at < ${to} AND status <> 'merged'`;
  const byChannel = await sql<{ channel: string; n: number }[]>`
    SELECT channel, count(*)::int AS n FROM messages WHERE received_at >= ${from} AND received_at < ${to} GROUP BY channel ORDER BY 2 DESC`;
  return { messages, cases, byChannel };
}
