// The rollups' SQL (migration 0060): message states kept by a trigger, analysed messages counted
// as they are processed (syncMessageRollup) and cases as they change (syncCaseRollup, called where every case event is recorded), corrected for
// deadlines passing by the message sweep (syncDueCaseFacts), and rebuilt from raw rows by
// rebuildRollups. The readers below are what every statistics endpoint answers from.
import { OPEN_STATUSES } from '../cases/statuses';
import {
  CASE_COUNTERS,
  DURATION_BUCKETS_MIN,
  caseFact,
  sameDims,
  type CaseDims,
  type CaseFact,
  type CaseForRollup,
  type StatsFilter,
} from '../analytics/rollups';
import { getAppState, initAppState, setAppState } from './app-state';
import type { Db, Sql } from './connect';

/** Runs `fn` in the caller's transaction, or in one of its own when called on the pool. */
async function inTx<T>(sql: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  if ('savepoint' in sql) return fn(sql);
  return (await (sql as Sql).begin((tx) => fn(tx))) as T;
}

/** Sent at once (pipelined: core/db/cases.ts PIPELINING), so the caller awaits several together. */
function addCaseCounts(sql: Db, d: CaseDims, delta: number[]): Promise<unknown> {
  if (delta.every((x) => x === 0)) return Promise.resolve();
  const [n, review, overdueOpen, respDue, respHit, onTimeDue, onTimeHit, closed, rated, satisfied, resolvedYes, resolvedAsked] = delta;
  return sql`
    INSERT INTO rollup_cases (day, district, category, channel, sentiment, request_type, department, status,
      n, review, overdue_open, resp_due, resp_hit, on_time_due, on_time_hit, closed, rated, satisfied, resolved_yes, resolved_asked)
    VALUES (${d.day}::date, ${d.district}, ${d.category}, ${d.channel}, ${d.sentiment}, ${d.requestType}, ${d.department}, ${d.status},
      ${n}, ${review}, ${overdueOpen}, ${respDue}, ${respHit}, ${onTimeDue}, ${onTimeHit}, ${closed}, ${rated}, ${satisfied}, ${resolvedYes}, ${resolvedAsked})
    ON CONFLICT (day, district, category, channel, sentiment, request_type, department, status) DO UPDATE SET
      n = rollup_cases.n + excluded.n, review = rollup_cases.review + excluded.review,
      overdue_open = rollup_cases.overdue_open + excluded.overdue_open,
      resp_due = rollup_cases.resp_due + excluded.resp_due, resp_hit = rollup_cases.resp_hit + excluded.resp_hit,
      on_time_due = rollup_cases.on_time_due + excluded.on_time_due, on_time_hit = rollup_cases.on_time_hit + excluded.on_time_hit,
      closed = rollup_cases.closed + excluded.closed, rated = rollup_cases.rated + excluded.rated,
      satisfied = rollup_cases.satisfied + excluded.satisfied, resolved_yes = rollup_cases.resolved_yes + excluded.resolved_yes,
      resolved_asked = rollup_cases.resolved_asked + excluded.resolved_asked`.execute();
}

function addDuration(sql: Db, d: CaseDims, kind: 'response' | 'resolution', bucket: number | null, delta: number): Promise<unknown> {
  if (bucket === null || delta === 0) return Promise.resolve();
  return sql`
    INSERT INTO rollup_durations (day, district, category, channel, department, kind, bucket, n)
    VALUES (${d.day}::date, ${d.district}, ${d.category}, ${d.channel}, ${d.department}, ${kind}, ${bucket}, ${delta})
    ON CONFLICT (day, district, category, channel, department, kind, bucket) DO UPDATE SET n = rollup_durations.n + excluded.n`.execute();
}

/**
 * When the reply reached the resident: reply_sent_at, or for rows written without it (the seed's COPY,
 * hand-written rows) the reply time of a reply that was not held. Incremental and rebuild read the same.
 */
const replySentAt = (sql: Db) => sql`coalesce(c.reply_sent_at, CASE WHEN NOT c.reply_pending THEN c.replied_at END) AS reply_sent_at`;

async function loadCaseForRollup(sql: Db, caseId: number): Promise<CaseForRollup | undefined> {
  // sent at once (before the first await), after whatever the caller issued before
  const [c] = await sql<(Omit<CaseForRollup, 'everClosed' | 'rating' | 'resolved'> & { everClosed: boolean; rating: string | null; resolved: unknown })[]>`
    SELECT c.created_at, c.district, c.category, c.channel, c.sentiment, c.request_type, c.department_code, c.status, c.needs_review,
      c.response_due_at, c.first_response_at, c.resolve_due_at, c.reply_pending, ${replySentAt(sql)},
      EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.type = 'closed') AS ever_closed,
      r.data->>'rating' AS rating, r.data->'resolved' AS resolved
    FROM cases c
    LEFT JOIN LATERAL (SELECT e.data FROM case_events e WHERE e.case_id = c.id AND e.type = 'rated' ORDER BY e.seq DESC LIMIT 1) r ON true
    WHERE c.id = ${caseId}`.execute();
  if (!c) return undefined;
  return { ...c, resolved: typeof c.resolved === 'boolean' ? c.resolved : null };
}

/**
 * Brings one case's contribution to the rollups up to date: reads the case, works out what it
 * adds now, and applies the difference from what it added before. Idempotent, so it is called
 * wherever a case changes (core/db/cases.ts appendCaseEvents: every transition, merge, timer,
 * correction and new case records an event) and by the sweep when a deadline passes.
 */
export async function syncCaseRollup(sql: Db, caseId: number, now: Date = new Date()): Promise<void> {
  await inTx(sql, async (tx) => {
    // two round trips: the fact row locked, then the case read (in that order on the connection:
    // core/db/cases.ts PIPELINING), together; then every write the difference makes, together
    const oldQ = tx<{ dims: CaseDims; counters: number[]; responseBucket: number | null; resolutionBucket: number | null }[]>`
      SELECT dims, counters, response_bucket, resolution_bucket FROM rollup_case_facts WHERE case_id = ${caseId} FOR UPDATE`.execute();
    const [[old], c] = await Promise.all([oldQ, loadCaseForRollup(tx, caseId)]);
    if (!c) return;
    const f = caseFact(c, now);
    await Promise.all([
      ...factChangeWrites(tx, old ?? null, f),
      tx`
        INSERT INTO rollup_case_facts (case_id, dims, counters, response_bucket, resolution_bucket, flip_at, synced_at)
        VALUES (${caseId}, ${tx.json(f.dims as never)}, ${f.counters}, ${f.responseBucket}, ${f.resolutionBucket}, ${f.flipAt}, ${now})
        ON CONFLICT (case_id) DO UPDATE SET dims = excluded.dims, counters = excluded.counters, response_bucket = excluded.response_bucket,
          resolution_bucket = excluded.resolution_bucket, flip_at = excluded.flip_at, synced_at = excluded.synced_at`.execute(),
    ]);
  });
}

/** The rollup writes that move a case's contribution from `old` to `f`, all sent at once, in key order. */
function factChangeWrites(
  tx: Db,
  old: { dims: CaseDims; counters: number[]; responseBucket: number | null; resolutionBucket: number | null } | null,
  f: CaseFact,
): Promise<unknown>[] {
  // rows are touched in one order (by key), so two transactions moving cases between the same two
  // rows in opposite directions wait for each other instead of deadlocking (pipelined, they still
  // run in the order sent)
  const byKey = <T>(xs: [string, T][]) => xs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, x]) => x);
  const writes: Promise<unknown>[] = [];
  if (old && sameDims(old.dims, f.dims)) {
    writes.push(addCaseCounts(tx, f.dims, f.counters.map((x, i) => x - (old.counters[i] ?? 0))));
  } else {
    const rows: [string, [CaseDims, number[]]][] = [[JSON.stringify(f.dims), [f.dims, f.counters]]];
    if (old) rows.push([JSON.stringify(old.dims), [old.dims, old.counters.map((x) => -x)]]);
    for (const [d, delta] of byKey(rows)) writes.push(addCaseCounts(tx, d, delta));
  }
  // durations do not depend on the status: compare everything but it
  const sameDurationDims = old && (['day', 'district', 'category', 'channel', 'department'] as const).every((k) => old.dims[k] === f.dims[k]);
  const changes: [string, () => Promise<unknown>][] = [];
  for (const kind of ['response', 'resolution'] as const) {
    const was = old ? (kind === 'response' ? old.responseBucket : old.resolutionBucket) : null;
    const is = kind === 'response' ? f.responseBucket : f.resolutionBucket;
    if (sameDurationDims && was === is) continue;
    const key = (d: CaseDims, b: number | null) => JSON.stringify([d.day, d.district, d.category, d.channel, d.department, kind, b]);
    if (old && was !== null) changes.push([key(old.dims, was), () => addDuration(tx, old.dims, kind, was, -1)]);
    if (is !== null) changes.push([key(f.dims, is), () => addDuration(tx, f.dims, kind, is, 1)]);
  }
  for (const apply of byKey(changes)) writes.push(apply());
  return writes;
}

/** Re-counts the cases whose deadlines passed since they were last counted (the message sweep calls it every minute). */
export async function syncDueCaseFacts(sql: Db, now: Date = new Date(), limit = 2000): Promise<number> {
  const due = await sql<{ caseId: number }[]>`
    SELECT case_id FROM rollup_case_facts WHERE flip_at IS NOT NULL AND flip_at <= ${now} ORDER BY flip_at LIMIT ${limit}`;
  for (const { caseId } of due) await syncCaseRollup(sql, caseId, now);
  return due.length;
}

/** The row of rollup_messages a message counts in: its local day of receipt and its own reading (of `received_at, channel, analysis`). */
export const messageRollupKey = (sql: Db) => sql`
  (received_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(analysis->'place'->>'district', ''), coalesce(analysis->'category'->>'label', ''),
  channel, coalesce(analysis->'sentiment'->>'label', ''), coalesce(analysis->'requestType'->>'label', '')`;

/** Counts a processed message once, by the day it was received and its own reading. Call in the transaction that marks it processed. */
export async function syncMessageRollup(sql: Db, messageId: number): Promise<void> {
  await sql`
    WITH m AS (
      UPDATE messages SET rollup_counted = true
      WHERE id = ${messageId} AND NOT rollup_counted AND state = 'processed' AND analysis IS NOT NULL
      RETURNING received_at, channel, analysis
    )
    INSERT INTO rollup_messages (day, district, category, channel, sentiment, request_type, n)
    SELECT ${messageRollupKey(sql)}, 1
    FROM m
    ON CONFLICT (day, district, category, channel, sentiment, request_type) DO UPDATE SET n = rollup_messages.n + 1`;
}

/** Recounts messages by day, channel and state (the trigger of migration 0060 keeps it exact; a bulk load without triggers needs this). */
async function rebuildMessageStates(tx: Db): Promise<void> {
  await tx`DELETE FROM rollup_message_states`;
  await tx`
    INSERT INTO rollup_message_states (day, channel, state, shard, n)
    SELECT (received_at AT TIME ZONE 'Asia/Shanghai')::date, channel, state, id % 16, count(*)::int FROM messages GROUP BY 1, 2, 3, 4`;
}

/**
 * Rebuilds every rollup from the raw rows, in one transaction that holds the rollup tables, so the
 * workers' increments wait for it and then apply on top (a bulk load of old rows calls this after).
 * Returns the counts it wrote.
 */
export async function rebuildRollups(sql: Db, now: Date = new Date()): Promise<{ stored: number; messages: number; cases: number }> {
  return inTx(sql, async (tx) => {
    await tx`LOCK TABLE rollup_messages, rollup_cases, rollup_durations, rollup_case_facts, rollup_message_states IN EXCLUSIVE MODE`;
    await setAppState(tx, ROLLUPS_BUILT, { at: now.toISOString() });
    await tx`DELETE FROM rollup_messages`;
    await tx`DELETE FROM rollup_cases`;
    await tx`DELETE FROM rollup_durations`;
    await tx`DELETE FROM rollup_case_facts`;
    await tx`UPDATE messages SET rollup_counted = (state = 'processed' AND analysis IS NOT NULL)
      WHERE rollup_counted IS DISTINCT FROM (state = 'processed' AND analysis IS NOT NULL)`;
    await tx`
      INSERT INTO rollup_messages (day, district, category, channel, sentiment, request_type, n)
      SELECT ${messageRollupKey(tx)}, count(*)::int
      FROM messages WHERE rollup_counted GROUP BY 1, 2, 3, 4, 5, 6`;
    // the same arithmetic as caseFact (core/analytics/rollups.ts), set-based; a test holds the two together
    await tx`
      WITH c AS (
        SELECT c.id, c.created_at, c.status, c.needs_review, c.response_due_at, c.first_response_at, c.resolve_due_at, c.reply_pending, ${replySentAt(tx)},
          c.status IN ${tx(OPEN_STATUSES)} AS open,
          jsonb_build_object('day', to_char((c.created_at AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD'),
            'district', coalesce(c.district, ''), 'category', coalesce(c.category, ''), 'channel', c.channel,
            'sentiment', coalesce(c.sentiment, ''), 'requestType', coalesce(c.request_type, ''),
            'department', coalesce(c.department_code, ''), 'status', c.status) AS dims,
          EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.type = 'closed') AS ever_closed,
          r.data->>'rating' AS rating, r.data->'resolved' AS resolved,
          c.response_due_at < ${now} AS resp_due, c.resolve_due_at < ${now} AS resolve_passed
        FROM cases c
        LEFT JOIN LATERAL (SELECT e.data FROM case_events e WHERE e.case_id = c.id AND e.type = 'rated' ORDER BY e.seq DESC LIMIT 1) r ON true
      )
      INSERT INTO rollup_case_facts (case_id, dims, counters, response_bucket, resolution_bucket, flip_at, synced_at)
      SELECT id, dims,
        ARRAY[1,
          (needs_review AND open)::int,
          ((open OR reply_pending) AND coalesce(resolve_passed, false))::int,
          coalesce(resp_due, false)::int,
          (coalesce(resp_due, false) AND first_response_at <= response_due_at IS TRUE)::int,
          (reply_sent_at IS NOT NULL OR coalesce(resolve_passed, false))::int,
          (reply_sent_at IS NOT NULL AND reply_sent_at <= resolve_due_at IS TRUE)::int,
          ever_closed::int,
          (rating IS NOT NULL)::int,
          (rating IN ('满意', '基本满意') IS TRUE)::int,
          (resolved = 'true'::jsonb IS TRUE)::int,
          (resolved IN ('true'::jsonb, 'false'::jsonb) IS TRUE)::int],
        CASE WHEN status <> 'merged' AND first_response_at IS NOT NULL THEN
          (SELECT count(*) FROM unnest(${DURATION_BUCKETS_MIN as number[]}::int[]) b WHERE b < greatest(0, extract(epoch FROM first_response_at - created_at) / 60))::smallint END,
        CASE WHEN status <> 'merged' AND reply_sent_at IS NOT NULL THEN
          (SELECT count(*) FROM unnest(${DURATION_BUCKETS_MIN as number[]}::int[]) b WHERE b < greatest(0, extract(epoch FROM reply_sent_at - created_at) / 60))::smallint END,
        (SELECT min(t) + interval '1 millisecond' FROM unnest(ARRAY[response_due_at, resolve_due_at]) t WHERE t >= ${now}),
        ${now}
      FROM c`;
    await tx`
      INSERT INTO rollup_cases (day, district, category, channel, sentiment, request_type, department, status,
        n, review, overdue_open, resp_due, resp_hit, on_time_due, on_time_hit, closed, rated, satisfied, resolved_yes, resolved_asked)
      SELECT (dims->>'day')::date, dims->>'district', dims->>'category', dims->>'channel', dims->>'sentiment', dims->>'requestType', dims->>'department', dims->>'status',
        sum(counters[1])::int, sum(counters[2])::int, sum(counters[3])::int, sum(counters[4])::int, sum(counters[5])::int, sum(counters[6])::int,
        sum(counters[7])::int, sum(counters[8])::int, sum(counters[9])::int, sum(counters[10])::int, sum(counters[11])::int, sum(counters[12])::int
      FROM rollup_case_facts GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;
    for (const [kind, col] of [['response', 'response_bucket'], ['resolution', 'resolution_bucket']] as const) {
      await tx`
        INSERT INTO rollup_durations (day, district, category, channel, department, kind, bucket, n)
        SELECT (dims->>'day')::date, dims->>'district', dims->>'category', dims->>'channel', dims->>'department', ${kind}, ${tx(col)}, count(*)::int
        FROM rollup_case_facts WHERE ${tx(col)} IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 7`;
    }
    await rebuildMessageStates(tx);
    const [{ messages }] = await tx<{ messages: number }[]>`SELECT coalesce(sum(n), 0)::int AS messages FROM rollup_messages`;
    const [{ cases }] = await tx<{ cases: number }[]>`SELECT count(*)::int AS cases FROM rollup_case_facts`;
    const [{ stored }] = await tx<{ stored: number }[]>`SELECT coalesce(sum(n), 0)::int AS stored FROM rollup_message_states`;
    return { stored, messages, cases };
  });
}

/** app_state key: set by every full rebuild, so the counts cover the rows that existed before them */
const ROLLUPS_BUILT = 'rollups-built';

/**
 * An installation upgraded to the rollups (migration 0060) has cases but no counts yet: the first
 * sweep after the upgrade rebuilds them once. Whether a rebuild ever ran is kept in app_state, not
 * read from the facts table: a case written by the API before that first sweep adds its own fact
 * row, which must not pass for a backfill. A new installation (no cases) has nothing to backfill.
 * Answers whether it rebuilt.
 */
export async function ensureRollups(sql: Db, now: Date = new Date()): Promise<boolean> {
  if (await getAppState(sql, ROLLUPS_BUILT)) return false;
  const [{ cases }] = await sql<{ cases: boolean }[]>`SELECT EXISTS (SELECT 1 FROM cases) AS cases`;
  if (!cases) {
    await initAppState(sql, ROLLUPS_BUILT, { at: now.toISOString(), empty: true });
    return false;
  }
  await rebuildRollups(sql, now);
  return true;
}

if (CASE_COUNTERS.length !== 12) throw new Error('rollup_cases has 12 counters: update addCaseCounts and rebuildRollups with CASE_COUNTERS');

// ---- readers: every statistics endpoint answers from these ----

/** '未识别' and 'unknown' name the rows whose dimension is unknown (''). */
function dimValue(v: string | undefined, unknown: string): string | undefined {
  return v === undefined ? undefined : v === unknown ? '' : v;
}

function where(sql: Db, f: Partial<StatsFilter>, opts: { period?: boolean } = {}) {
  const district = dimValue(f.district, '未识别');
  const category = dimValue(f.category, 'unknown');
  const period = opts.period !== false && f.fromDay && f.toDay;
  return sql`
    ${period ? sql`AND day BETWEEN ${f.fromDay!}::date AND ${f.toDay!}::date` : sql``}
    ${district !== undefined ? sql`AND district = ${district}` : sql``}
    ${category !== undefined ? sql`AND category = ${category}` : sql``}
    ${f.channel !== undefined ? sql`AND channel = ${f.channel}` : sql``}`;
}

export interface MessageDay {
  day: string;
  messages: number;
  negative: number;
  neutral: number;
  positive: number;
}

/** Processed messages per local day in the period, by sentiment. */
export async function readMessageDays(sql: Db, f: StatsFilter): Promise<MessageDay[]> {
  return sql<MessageDay[]>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(n)::int AS messages,
      coalesce(sum(n) FILTER (WHERE sentiment = 'negative'), 0)::int AS negative,
      coalesce(sum(n) FILTER (WHERE sentiment = 'neutral'), 0)::int AS neutral,
      coalesce(sum(n) FILTER (WHERE sentiment = 'positive'), 0)::int AS positive
    FROM rollup_messages WHERE true ${where(sql, f)} GROUP BY day ORDER BY day`;
}

// received in the filter's period (the whole of time when it has none)
const inPeriod = (sql: Db, f: Partial<StatsFilter>) =>
  f.fromDay && f.toDay ? sql`coalesce(sum(n) FILTER (WHERE day BETWEEN ${f.fromDay}::date AND ${f.toDay}::date), 0)::int` : sql`sum(n)::int`;

/** Processed messages with the filter's district and category, all time, in the period and today, per channel. */
export async function readMessageTotals(sql: Db, f: Partial<StatsFilter>, today: string) {
  return sql<{ channel: string; total: number; period: number; today: number }[]>`
    SELECT channel, sum(n)::int AS total, ${inPeriod(sql, f)} AS period, coalesce(sum(n) FILTER (WHERE day = ${today}::date), 0)::int AS today
    FROM rollup_messages WHERE true ${where(sql, f, { period: false })} GROUP BY channel`;
}

/** Cases created in the period per local day, by sentiment (not merged). */
export async function readCaseSentimentDays(sql: Db, f: StatsFilter) {
  return sql<{ day: string; cases: number; negative: number; neutral: number; positive: number }[]>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(n)::int AS cases,
      coalesce(sum(n) FILTER (WHERE sentiment = 'negative'), 0)::int AS negative,
      coalesce(sum(n) FILTER (WHERE sentiment = 'neutral'), 0)::int AS neutral,
      coalesce(sum(n) FILTER (WHERE sentiment = 'positive'), 0)::int AS positive
    FROM rollup_cases WHERE status <> 'merged' ${where(sql, f)} GROUP BY day ORDER BY day`;
}

/** Every stored message by channel and state (all time, received in the filter's period, and received today), from the trigger-kept counts. */
export async function readMessageStates(sql: Db, f: Partial<StatsFilter>, today: string) {
  return sql<{ channel: string; state: string; n: number; period: number; today: number }[]>`
    SELECT channel, state, sum(n)::int AS n, ${inPeriod(sql, f)} AS period, coalesce(sum(n) FILTER (WHERE day = ${today}::date), 0)::int AS today
    FROM rollup_message_states WHERE true ${f.channel !== undefined ? sql`AND channel = ${f.channel}` : sql``} GROUP BY channel, state`;
}

export interface CaseCountsRow {
  key: string;
  n: number;
  review: number;
  overdueOpen: number;
  respDue: number;
  respHit: number;
  onTimeDue: number;
  onTimeHit: number;
  closed: number;
  rated: number;
  satisfied: number;
  resolvedYes: number;
  resolvedAsked: number;
}

const GROUPABLE = { day: 'day', district: 'district', category: 'category', channel: 'channel', sentiment: 'sentiment', department: 'department', status: 'status', all: null } as const;
export type CaseGroup = keyof typeof GROUPABLE;

/**
 * Case counters grouped by one dimension (or 'all'), for cases created in the period (or, with
 * `period: false`, all cases: the current state). Merged cases are left out unless grouped by status.
 */
export async function readCaseCounts(sql: Db, f: Partial<StatsFilter>, group: CaseGroup, opts: { period?: boolean; openOnly?: boolean } = {}): Promise<CaseCountsRow[]> {
  const col = GROUPABLE[group];
  const key = col === null ? sql`'all'` : col === 'day' ? sql`to_char(day, 'YYYY-MM-DD')` : sql`${sql(col)}`;
  return sql<CaseCountsRow[]>`
    SELECT ${key} AS key, sum(n)::int AS n, sum(review)::int AS review, sum(overdue_open)::int AS overdue_open,
      sum(resp_due)::int AS resp_due, sum(resp_hit)::int AS resp_hit, sum(on_time_due)::int AS on_time_due, sum(on_time_hit)::int AS on_time_hit,
      sum(closed)::int AS closed, sum(rated)::int AS rated, sum(satisfied)::int AS satisfied,
      sum(resolved_yes)::int AS resolved_yes, sum(resolved_asked)::int AS resolved_asked
    FROM rollup_cases
    WHERE true ${where(sql, f, { period: opts.period })}
      ${group === 'status' ? sql`` : sql`AND status <> 'merged'`}
      ${opts.openOnly ? sql`AND status IN ${sql(OPEN_STATUSES)}` : sql``}
    GROUP BY 1 ORDER BY 2 DESC, 1`;
}

/** Response and resolution time histograms per department for cases created in the period. */
export async function readDurationBuckets(sql: Db, f: StatsFilter) {
  return sql<{ department: string; kind: 'response' | 'resolution'; bucket: number; n: number }[]>`
    SELECT department, kind, bucket, sum(n)::int AS n FROM rollup_durations
    WHERE true ${where(sql, f)} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
}

/**
 * Recounts the facet rollup (opinion_topic_facet_hours, migration 0116) from the members: the
 * trigger keeps it exact, so this is the repair `rollups rebuild` runs after a bulk load or to check
 * the counts. Answers how many members it counted.
 */
export async function rebuildTopicFacetHours(sql: Db): Promise<number> {
  return inTx(sql, async (tx) => {
    await tx`LOCK TABLE opinion_topic_facet_hours IN EXCLUSIVE MODE`;
    await tx`DELETE FROM opinion_topic_facet_hours`;
    await tx`
      INSERT INTO opinion_topic_facet_hours (topic_id, hour, channel, category, count)
      SELECT topic_id, date_trunc('hour', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', channel, category, count(*)::int
      FROM opinion_topic_members GROUP BY 1, 2, 3, 4`;
    const [{ n }] = await tx<{ n: number }[]>`SELECT coalesce(sum(count), 0)::int AS n FROM opinion_topic_facet_hours`;
    return n;
  });
}
