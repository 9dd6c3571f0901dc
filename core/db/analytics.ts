// The rows hot topics are grouped from (core/analytics/hot-topics.ts). The overview, the 三率 and
// the service times answer from the rollups (core/db/rollups.ts), not from raw rows.
import type { Db } from './connect';

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
