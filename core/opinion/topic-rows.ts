// The candidate topics of the topic step, kept between steps. Every step reads the up to
// maxCandidates (400) most recent active topics of its district, each with a centroid of up to 160
// terms; parsing those rows was the largest part of the step's client CPU (2026-12-06 profile: row
// parsing 31 %), and they rarely change between two steps: a step changes the one topic it joins or
// opens. So each pool keeps the rows it has read with their row version (xmin, changed by every
// update), and the candidate statement sends the full row only where the version differs
// (listCandidateTopicVersions): the same topics in the same order as reading them whole, checked in
// the same statement, so a row changed by any process is read afresh.
//
// The rows handed out are shared: a caller copies a row before changing it (the step copies the
// topic it joins), so a rolled-back change never reaches the kept row; they are frozen (the row,
// its centroid, places, heat parts and lists), so a change in place throws rather than corrupting
// what the next step reads.
import type { Db, Sql } from '../db/connect';
import { listCandidateTopicVersions, type TopicRow } from '../db/topics';

/** rows kept per pool: about 3 KB each, so about 25 MB at most */
export const MAX_KEPT_TOPICS = 8_000;

export class TopicRows {
  private rows = new Map<number, { version: string; row: TopicRow }>();
  /** the ids of the last answer per scope: what the next statement of that scope offers as known */
  private lastIds = new Map<string, number[]>();
  /** rows read whole / rows answered by version only (for benchmarks and tests) */
  readonly counts = { read: 0, kept: 0 };

  constructor(private readonly max = MAX_KEPT_TOPICS) {}

  /** The candidate topics (listCandidateTopics' topics and order); the rows must not be changed. */
  async candidates(tx: Db, district: string | null, since: Date, limit: number, anchors: string[] = []): Promise<TopicRow[]> {
    const scope = district === null && anchors.length ? ' places' : `d:${district ?? ''}`;
    const known = new Map<number, string>();
    const held = new Map<number, TopicRow>();
    for (const id of this.lastIds.get(scope) ?? []) {
      const e = this.rows.get(id);
      if (!e) continue;
      known.set(id, e.version);
      held.set(id, e.row);
    }
    const answer = await listCandidateTopicVersions(tx, district, since, limit, anchors, known);
    const out: TopicRow[] = [];
    for (const c of answer) {
      let row = c.row;
      if (row) {
        // shared from now on: frozen, so a change in place fails loudly, and the likeness may keep
        // what it derives from the centroid (core/opinion/cluster.ts)
        for (const part of [row.centroid, row.anchors, row.heatParts, row.labelTerms, row.channels, row.districts, row.publicLabelTerms]) Object.freeze(part);
        Object.freeze(row);
        this.counts.read++;
        this.rows.delete(c.candidateId);
        this.rows.set(c.candidateId, { version: c.candidateVersion, row });
      } else {
        this.counts.kept++;
        row = held.get(c.candidateId)!;
      }
      out.push(row);
    }
    this.lastIds.set(scope, answer.map((c) => c.candidateId));
    // the oldest written first out (a topic read again moves to the end)
    if (this.rows.size > this.max) {
      let excess = this.rows.size - this.max;
      for (const id of this.rows.keys()) {
        if (excess-- <= 0) break;
        this.rows.delete(id);
      }
    }
    return out;
  }

  size(): number {
    return this.rows.size;
  }
}

const byPool = new WeakMap<Sql, TopicRows>();

/** The kept topic rows of this pool. */
export function topicRows(sql: Sql): TopicRows {
  let t = byPool.get(sql);
  if (!t) byPool.set(sql, (t = new TopicRows()));
  return t;
}
