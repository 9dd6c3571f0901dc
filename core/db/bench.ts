// The queries of the benchmarks (bin/bench): a scratch schema of their own, and how far the
// pipeline has got with the messages a run posted.
import type { Db } from './connect';

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
