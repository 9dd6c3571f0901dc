// The queries of the benchmarks (bin/bench): a scratch schema of their own, and how far the
// pipeline has got with the messages a run posted.
import type { Db } from './connect';
import type { MaybeRow, PendingQuery } from 'postgres';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function checkedName(name: string): string {
  if (!SCHEMA_NAME.test(name)) throw new Error(`bad schema name "${name}"`);
  return name;
}

export async function createSchema(sql: Db, name: string): Promise<void> {
  await sql.unsafe(`CREATE SCHEMA ${checkedName(name)}`);
}

export async function dropSchema(sql: Db, name: string): Promise<void> {
  await sql.unsafe(`DROP SCHEMA IF EXISTS ${checkedName(name)} CASCADE`);
}

/** Messages stored, and those on a case, in the current schema. */
export async function pipelineProgress(sql: Db): Promise<{ stored: number; onCase: number }> {
  const [row] = await sql<{ stored: number; onCase: number }[]>`
    SELECT count(*)::int AS stored, count(case_id)::int AS on_case FROM messages`;
  return row;
}

/** When each message got its case, and whether that case has a department (routed) or was merged into one. */
export async function processedTimes(sql: Db): Promise<{ trackingNo: string; processedAt: Date | null; routed: boolean }[]> {
  return sql<{ trackingNo: string; processedAt: Date | null; routed: boolean }[]>`
    SELECT m.tracking_no, m.processed_at, (c.department_code IS NOT NULL OR c.merged_into IS NOT NULL) AS routed
    FROM messages m LEFT JOIN cases c ON c.id = m.case_id`;
}

/** The duplicate benchmark's generated open cases, with their stored duplicate features (bin/bench/dups.ts). */
export async function insertDupBenchCases(
  sql: Db,
  rows: { trackingNo: string; district: string | null; street: string | null; category: string | null; fingerprint: string | null; createdAt: Date; features: { keys: string[]; storedKeys: string[]; bigrams: string[]; topics: string[]; buildings: string[]; keywords: string[] } }[],
): Promise<void> {
  if (!rows.length) return;
  const ids = await sql<{ id: number }[]>`
    INSERT INTO cases (tracking_no, status, summary, channel, district, street, category, fingerprint, created_at)
    SELECT * FROM unnest(${rows.map((r) => r.trackingNo)}::text[], ${rows.map(() => 'dispatched')}::text[], ${rows.map(() => '-')}::text[],
      ${rows.map(() => 'portal')}::text[], ${rows.map((r) => r.district)}::text[], ${rows.map((r) => r.street)}::text[], ${rows.map((r) => r.category)}::text[],
      ${rows.map((r) => r.fingerprint)}::text[], ${rows.map((r) => r.createdAt.toISOString())}::text[]::timestamptz[])
    RETURNING id`;
  const feats = rows.map((r, j) => {
    const { storedKeys: _k, ...f } = r.features;
    return { case_id: ids[j].id, district: r.district, street: r.street, created_at: r.createdAt, ...f };
  });
  await sql`INSERT INTO case_dup_features ${sql(feats as never[])}`;
  const keys = rows.flatMap((r, j) => r.features.storedKeys.map((key) => ({ key, id: ids[j].id, at: r.createdAt.toISOString() })));
  for (let i = 0; i < keys.length; i += 20000) {
    const part = keys.slice(i, i + 20000);
    await sql`
      INSERT INTO case_dup_keys (key, created_at, case_id)
      SELECT * FROM unnest(${part.map((k) => k.key)}::text[], ${part.map((k) => k.at)}::text[]::timestamptz[], ${part.map((k) => k.id)}::bigint[])
      ON CONFLICT DO NOTHING`;
  }
}

/** Fresh planner statistics once a size's cases are in, and the key index's rows marked all-visible (best case: autovacuum does it later, PGlite never). Not in a transaction (VACUUM). */
export async function analyzeDupBench(sql: Db): Promise<void> {
  await sql`ANALYZE cases`;
  await sql`ANALYZE case_dup_features`;
  await sql`VACUUM ANALYZE case_dup_keys`;
}

/** The server processes (backend pids) of the connections whose application_name starts with `prefix` (the pipeline benchmark's CPU accounting). */
export async function backendPids(sql: Db, prefix: string): Promise<{ pid: number; app: string }[]> {
  return sql<{ pid: number; app: string }[]>`
    SELECT pid, application_name AS app FROM pg_stat_activity WHERE starts_with(application_name, ${prefix})`;
}

/** A statement's plan as EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) returns it: the benches' server-side figures. */
export async function explainJson<T extends readonly MaybeRow[]>(tx: Db, q: PendingQuery<T>): Promise<Record<string, unknown>> {
  const [row] = await tx<Record<string, unknown>[]>`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${q}`;
  return row;
}

/** A statement's plan with per-node times and buffers, as text lines. */
export async function explainText<T extends readonly MaybeRow[]>(tx: Db, q: PendingQuery<T>): Promise<string[]> {
  const rows = await tx<Record<string, unknown>[]>`EXPLAIN (ANALYZE, BUFFERS) ${q}`;
  return rows.map((x) => String(Object.values(x)[0]));
}

/** The server process serving this connection (for its CPU in /proc). */
export async function backendPid(sql: Db): Promise<number> {
  return (await sql<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0].pid;
}

/**
 * Generic and custom plans made so far on this connection for the duplicate candidate statement (its
 * `WITH hit AS`; PostgreSQL 14+, PGlite too; 0 before its first call); null where the view cannot be read.
 */
export async function preparedPlans(sql: Db): Promise<{ generic: number; custom: number } | null> {
  try {
    const [r] = await sql<{ generic: number | null; custom: number | null }[]>`
      SELECT coalesce(sum(generic_plans), 0)::int AS generic, coalesce(sum(custom_plans), 0)::int AS custom FROM pg_prepared_statements
      WHERE statement LIKE '%WITH hit AS%' AND statement LIKE '%case_dup_keys%' AND statement NOT LIKE 'EXPLAIN%' AND statement NOT LIKE '%pg_prepared_statements%'`;
    return r ? { generic: r.generic ?? 0, custom: r.custom ?? 0 } : null;
  } catch {
    return null;
  }
}

/** Two empty statements sent together, as the duplicate step sends its lock and candidates: the floor of that round trip. */
export async function twoEmptyStatements(tx: Db): Promise<void> {
  await Promise.all([tx`SELECT 1`, tx`SELECT 2`]);
}
