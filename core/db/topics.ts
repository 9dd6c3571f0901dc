// 舆情 topic store: topics, their members, hourly counts per topic and district, the background
// term frequencies and burst episodes (migration 0040); per topic, hour, channel and category the
// counts the cockpit's filters cut (opinion_topic_facet_hours, migration 0116: kept by a trigger). Written by core/opinion/topics.ts in the
// worker's path; read by the topic, recurring and alert code.
import type { Db } from './connect';

export type BurstState = 'none' | 'new' | 'burst';

export interface TopicRow {
  id: number;
  district: string | null;
  place: string | null;
  label: string;
  labelTerms: string[];
  centroid: Record<string, number>;
  anchors: Record<string, number>;
  size: number;
  publicSize: number;
  negative: number;
  engagement: number;
  channels: string[];
  districts: string[];
  firstAt: Date;
  lastAt: Date;
  representativeId: number | null;
  publicSample: string | null;
  heat: number;
  heatParts: Record<string, number>;
  burstState: BurstState;
  burstAt: Date | null;
  burstScore: number | null;
  status: 'active' | 'merged';
  mergedInto: number | null;
  updatedAt: Date;
  /** the label, place and problem words built from the public members only (null: none public, or stored before 0041) */
  publicLabel: string | null;
  publicPlace: string | null;
  publicLabelTerms: string[];
}

export interface MemberRow {
  messageId: number;
  topicId: number;
  caseId: number | null;
  receivedAt: Date;
  channel: string;
  district: string | null;
  /** the message's category as the NLP read it ('unknown': none), what the cockpit's category filter cuts by */
  category: string;
  isPublic: boolean;
  negative: number;
  engagement: number;
  similarity: number;
  terms: Record<string, number>;
  anchors: string[];
  sample: string;
}

const TOPIC_COLUMNS = ['id', 'district', 'place', 'label', 'label_terms', 'centroid', 'anchors', 'size', 'public_size', 'negative', 'engagement', 'channels', 'districts',
  'first_at', 'last_at', 'representative_id', 'public_sample', 'heat', 'heat_parts', 'burst_state', 'burst_at', 'burst_score', 'status', 'merged_into', 'updated_at',
  'public_label', 'public_place', 'public_label_terms'];
const MEMBER_COLUMNS = ['message_id', 'topic_id', 'case_id', 'received_at', 'channel', 'district', 'category', 'is_public', 'negative', 'engagement', 'similarity', 'terms', 'anchors', 'sample'];

/**
 * The cockpit's cut of a topic's messages: one channel, one category (the message's own reading;
 * 'unknown' those read as none). Absent: all. Answered from opinion_topic_facet_hours, or, where a
 * figure needs the members themselves (cases, negative), from the members' own columns.
 */
export interface TopicFacets {
  channel?: string;
  category?: string;
}

export const hasFacets = (f?: TopicFacets): boolean => !!f && (f.channel !== undefined || f.category !== undefined);

/** `AND channel = … AND category = …` of the facet table or the members (`prefix`: a table alias) */
function facetWhere(sql: Db, f: TopicFacets | undefined, prefix = '') {
  return sql`${f?.channel !== undefined ? sql`AND ${sql(`${prefix}channel`)} = ${f.channel}` : sql``}
    ${f?.category !== undefined ? sql`AND ${sql(`${prefix}category`)} = ${f.category}` : sql``}`;
}

/** A topic's district against a filter's: 未识别 is a topic with none. */
function districtWhere(sql: Db, district: string | undefined, column = 't.district') {
  if (district === undefined) return sql``;
  return district === '未识别' ? sql`AND ${sql(column)} IS NULL` : sql`AND ${sql(column)} = ${district}`;
}

/** Serialises topic writes of one district (two workers must not open two topics for one problem). */
export async function lockTopicScope(sql: Db, district: string | null): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`opinion:${district ?? ''}`}))`;
}

export async function getMember(sql: Db, messageId: number): Promise<MemberRow | undefined> {
  const [r] = await sql<MemberRow[]>`SELECT ${sql(MEMBER_COLUMNS)} FROM opinion_topic_members WHERE message_id = ${messageId}`;
  return r;
}

// the count of documents lives in the terms table under a name no term can have
const DOCS = ' docs'; // tokens are trimmed: no term starts with a space

export async function getTermStats(sql: Db, terms: string[]): Promise<{ docs: number; df: Map<string, number> }> {
  const rows = await sql<{ term: string; df: number }[]>`SELECT term, df FROM opinion_terms WHERE term = ANY(${sql.array([DOCS, ...terms])}::text[])`;
  const df = new Map(rows.map((r) => [r.term, r.df]));
  const docs = df.get(DOCS) ?? 0;
  df.delete(DOCS);
  return { docs, df };
}

/** The name of the document count among the terms (tokens are trimmed: no term starts with a space). */
export const TERM_DOCS = DOCS;

/**
 * Adds counts to the terms' document frequencies (`counts[i]` to `terms[i]`; the document count is
 * the term TERM_DOCS). Rows are written in the order given: writers that each pass their terms in
 * one sorted order take the row locks in that order and cannot deadlock one another.
 */
export async function addTermCountsBatch(sql: Db, terms: string[], counts: number[]): Promise<void> {
  for (let i = 0; i < terms.length; i += 5000) {
    await sql`
      INSERT INTO opinion_terms (term, df) SELECT * FROM unnest(${sql.array(terms.slice(i, i + 5000))}::text[], ${sql.array(counts.slice(i, i + 5000))}::int[])
      ON CONFLICT (term) DO UPDATE SET df = opinion_terms.df + excluded.df`;
  }
}

/** Counts one more flush under a writer's marker row (a name no term can have); returns the count. */
export async function bumpTermMarker(sql: Db, marker: string): Promise<number> {
  const [r] = await sql<{ df: number }[]>`
    INSERT INTO opinion_terms (term, df) VALUES (${marker}, 1) ON CONFLICT (term) DO UPDATE SET df = opinion_terms.df + 1 RETURNING df`;
  return r.df;
}

export async function deleteTermMarker(sql: Db, marker: string): Promise<void> {
  await sql`DELETE FROM opinion_terms WHERE term = ${marker}`;
}

/**
 * Active topics of a district (null: no district) with a member since `since`, most recent first; for a
 * message with no district, also the topics of any district that name one of its places.
 */
export async function listCandidateTopics(sql: Db, district: string | null, since: Date, limit: number, anchors: string[] = []): Promise<TopicRow[]> {
  if (district === null && anchors.length) {
    return sql<TopicRow[]>`
      SELECT ${sql(TOPIC_COLUMNS)} FROM opinion_topics
      WHERE status = 'active' AND last_at >= ${since} AND (district IS NULL OR anchors ?| ${sql.array(anchors)}::text[])
      ORDER BY last_at DESC, id DESC LIMIT ${limit}`;
  }
  return sql<TopicRow[]>`
    SELECT ${sql(TOPIC_COLUMNS)} FROM opinion_topics
    WHERE status = 'active' AND district IS NOT DISTINCT FROM ${district} AND last_at >= ${since}
    ORDER BY last_at DESC, id DESC LIMIT ${limit}`;
}

/** One of the candidate topics: its row version (xmin), and its row unless the caller holds that version. */
export interface CandidateVersion {
  candidateId: number;
  candidateVersion: string;
  /** null when `known` held this version */
  row: TopicRow | null;
}

/**
 * listCandidateTopics for a caller that keeps topic rows: the same topics in the same order, each
 * with its row version (the system column xmin, which every update of the row changes), and the
 * row itself only where `known` (id → version) does not hold that version, so unchanged rows are
 * neither read nor sent again.
 */
export async function listCandidateTopicVersions(sql: Db, district: string | null, since: Date, limit: number, anchors: string[], known: Map<number, string>): Promise<CandidateVersion[]> {
  const recent = district === null && anchors.length
    ? sql`
      SELECT id, xmin::text AS version, last_at FROM opinion_topics
      WHERE status = 'active' AND last_at >= ${since} AND (district IS NULL OR anchors ?| ${sql.array(anchors)}::text[])
      ORDER BY last_at DESC, id DESC LIMIT ${limit}`
    : sql`
      SELECT id, xmin::text AS version, last_at FROM opinion_topics
      WHERE status = 'active' AND district IS NOT DISTINCT FROM ${district} AND last_at >= ${since}
      ORDER BY last_at DESC, id DESC LIMIT ${limit}`;
  const rows = await sql<(Partial<TopicRow> & { candidateId: number; candidateVersion: string })[]>`
    WITH recent AS MATERIALIZED (${recent}),
    known AS (SELECT * FROM unnest(${sql.array([...known.keys()])}::bigint[], ${sql.array([...known.values()])}::text[]) AS k(id, version))
    SELECT r.id AS candidate_id, r.version AS candidate_version, t.*
    FROM recent r
    LEFT JOIN known k ON k.id = r.id AND k.version = r.version
    LEFT JOIN LATERAL (SELECT ${sql(TOPIC_COLUMNS)} FROM opinion_topics o WHERE o.id = r.id AND k.id IS NULL) t ON true
    ORDER BY r.last_at DESC, r.id DESC`;
  return rows.map(({ candidateId, candidateVersion, ...row }) => ({ candidateId, candidateVersion, row: row.id == null ? null : (row as TopicRow) }));
}

export async function getTopic(sql: Db, id: number): Promise<TopicRow | undefined> {
  const [r] = await sql<TopicRow[]>`SELECT ${sql(TOPIC_COLUMNS)} FROM opinion_topics WHERE id = ${id}`;
  return r;
}

export async function createTopic(sql: Db, t: { district: string | null; firstAt: Date }): Promise<number> {
  const [r] = await sql<{ id: number }[]>`
    INSERT INTO opinion_topics (district, first_at, last_at) VALUES (${t.district}, ${t.firstAt}, ${t.firstAt}) RETURNING id`;
  return Number(r.id);
}

export type TopicUpdate = Omit<TopicRow, 'id' | 'updatedAt' | 'status' | 'mergedInto'>;

export async function saveTopic(sql: Db, id: number, t: TopicUpdate, now: Date): Promise<void> {
  await sql`
    UPDATE opinion_topics SET district = ${t.district}, place = ${t.place}, label = ${t.label}, label_terms = ${sql.array(t.labelTerms)}::text[],
      centroid = ${sql.json(t.centroid)}, anchors = ${sql.json(t.anchors)}, size = ${t.size}, public_size = ${t.publicSize},
      negative = ${t.negative}, engagement = ${t.engagement}, channels = ${sql.array(t.channels)}::text[], districts = ${sql.array(t.districts)}::text[],
      first_at = ${t.firstAt}, last_at = ${t.lastAt}, representative_id = ${t.representativeId}, public_sample = ${t.publicSample},
      heat = ${t.heat}, heat_parts = ${sql.json(t.heatParts)}, burst_state = ${t.burstState}, burst_at = ${t.burstAt}, burst_score = ${t.burstScore},
      public_label = ${t.publicLabel}, public_place = ${t.publicPlace}, public_label_terms = ${sql.array(t.publicLabelTerms)}::text[],
      status = 'active', merged_into = NULL, updated_at = ${now}
    WHERE id = ${id}`;
}

export async function markTopicMerged(sql: Db, id: number, into: number, now: Date): Promise<void> {
  await sql`UPDATE opinion_topics SET status = 'merged', merged_into = ${into}, size = 0, heat = 0, burst_state = 'none', updated_at = ${now} WHERE id = ${id}`;
}

export async function insertMember(sql: Db, m: MemberRow): Promise<void> {
  await sql`
    INSERT INTO opinion_topic_members ${sql({ ...m, terms: sql.json(m.terms), anchors: sql.array(m.anchors) } as never, MEMBER_COLUMNS.map(camel) as never)}
    ON CONFLICT (message_id) DO NOTHING`;
}

function camel(s: string): string {
  return s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

export async function moveMembers(sql: Db, moves: { messageId: number; topicId: number }[]): Promise<void> {
  for (let i = 0; i < moves.length; i += 10_000) {
    const chunk = moves.slice(i, i + 10_000);
    await sql`
      UPDATE opinion_topic_members m SET topic_id = v.topic_id
      FROM (SELECT unnest(${sql.array(chunk.map((x) => x.messageId))}::bigint[]) AS message_id, unnest(${sql.array(chunk.map((x) => x.topicId))}::bigint[]) AS topic_id) v
      WHERE m.message_id = v.message_id`;
  }
}

export async function listMembers(sql: Db, topicId: number, limit = 10_000, facets?: TopicFacets): Promise<MemberRow[]> {
  return sql<MemberRow[]>`SELECT ${sql(MEMBER_COLUMNS)} FROM opinion_topic_members WHERE topic_id = ${topicId} ${facetWhere(sql, facets)} ORDER BY received_at, message_id LIMIT ${limit}`;
}

/** All members of one district's active topics with a member since `since`: what re-clustering works on. */
export async function listMembersOfActiveTopics(sql: Db, district: string | null, since: Date): Promise<MemberRow[]> {
  return sql<MemberRow[]>`
    SELECT ${sql(MEMBER_COLUMNS.map((c) => `m.${c}`))} FROM opinion_topic_members m
    JOIN opinion_topics t ON t.id = m.topic_id
    WHERE t.status = 'active' AND t.last_at >= ${since} AND t.district IS NOT DISTINCT FROM ${district}
    ORDER BY m.received_at, m.message_id`;
}

/** One district's active topics whose last member is between `from` and `before` (older than re-clustering looks at). */
export async function listQuietTopics(sql: Db, district: string | null, from: Date, before: Date, limit: number): Promise<TopicRow[]> {
  return sql<TopicRow[]>`
    SELECT ${sql(TOPIC_COLUMNS)} FROM opinion_topics
    WHERE status = 'active' AND district IS NOT DISTINCT FROM ${district} AND last_at >= ${from} AND last_at < ${before}
    ORDER BY last_at DESC LIMIT ${limit}`;
}

/** The terms and places of a topic's public members (its public label is built from these only). */
export async function listPublicMemberFeatures(sql: Db, topicId: number): Promise<{ terms: Record<string, number>; anchors: string[] }[]> {
  return sql<{ terms: Record<string, number>; anchors: string[] }[]>`
    SELECT terms, anchors FROM opinion_topic_members WHERE topic_id = ${topicId} AND is_public ORDER BY received_at, message_id`;
}

/** All members of the given topics, in time order. */
export async function listMembersOfTopics(sql: Db, topicIds: number[]): Promise<MemberRow[]> {
  if (!topicIds.length) return [];
  return sql<MemberRow[]>`
    SELECT ${sql(MEMBER_COLUMNS)} FROM opinion_topic_members WHERE topic_id IN ${sql(topicIds)}
    ORDER BY received_at, message_id`;
}

/** The districts (null: none known) of the active topics with a member since `since`. */
export async function listActiveTopicDistricts(sql: Db, since: Date): Promise<(string | null)[]> {
  return (await sql<{ district: string | null }[]>`
    SELECT DISTINCT district FROM opinion_topics WHERE status = 'active' AND last_at >= ${since} ORDER BY district NULLS FIRST`).map((r) => r.district);
}

export async function listMemberTimes(sql: Db, scope: { topicId: number } | { district: string }, since: Date): Promise<Date[]> {
  const rows = 'topicId' in scope
    ? await sql<{ receivedAt: Date }[]>`SELECT received_at FROM opinion_topic_members WHERE topic_id = ${scope.topicId} AND received_at >= ${since} ORDER BY received_at`
    : await sql<{ receivedAt: Date }[]>`SELECT received_at FROM opinion_topic_members WHERE district = ${scope.district} AND received_at >= ${since} ORDER BY received_at`;
  return rows.map((r) => r.receivedAt);
}

export async function addHourCount(sql: Db, scope: { topicId: number } | { district: string }, hour: Date, n = 1): Promise<void> {
  if ('topicId' in scope) {
    await sql`INSERT INTO opinion_topic_hours (topic_id, hour, count) VALUES (${scope.topicId}, ${hour}, ${n})
      ON CONFLICT (topic_id, hour) DO UPDATE SET count = opinion_topic_hours.count + ${n}`;
  } else {
    await sql`INSERT INTO opinion_district_hours (district, hour, count) VALUES (${scope.district}, ${hour}, ${n})
      ON CONFLICT (district, hour) DO UPDATE SET count = opinion_district_hours.count + ${n}`;
  }
}

/** Rebuilds the hourly counts of the given topics from their members (after re-clustering moved them). */
export async function rebuildTopicHours(sql: Db, topicIds: number[]): Promise<void> {
  if (!topicIds.length) return;
  await sql`DELETE FROM opinion_topic_hours WHERE topic_id = ANY(${sql.array(topicIds)}::bigint[])`;
  await sql`
    INSERT INTO opinion_topic_hours (topic_id, hour, count)
    SELECT topic_id, date_trunc('hour', received_at), count(*)::int FROM opinion_topic_members
    WHERE topic_id = ANY(${sql.array(topicIds)}::bigint[]) GROUP BY 1, 2`;
}

export interface HourRow {
  hour: Date;
  count: number;
}

/** Hourly counts of a topic or district; a topic's cut by `facets` comes from the facet rollup. */
export async function listHours(sql: Db, scope: { topicId: number } | { district: string }, since: Date, until?: Date, facets?: TopicFacets): Promise<HourRow[]> {
  const end = until ?? new Date('9999-01-01T00:00:00Z');
  if ('topicId' in scope && hasFacets(facets)) {
    return sql<HourRow[]>`
      SELECT hour, sum(count)::int AS count FROM opinion_topic_facet_hours
      WHERE topic_id = ${scope.topicId} AND hour >= ${since} AND hour < ${end} ${facetWhere(sql, facets)} GROUP BY hour ORDER BY hour`;
  }
  return 'topicId' in scope
    ? sql<HourRow[]>`SELECT hour, count FROM opinion_topic_hours WHERE topic_id = ${scope.topicId} AND hour >= ${since} AND hour < ${end} ORDER BY hour`
    : sql<HourRow[]>`SELECT hour, count FROM opinion_district_hours WHERE district = ${scope.district} AND hour >= ${since} AND hour < ${end} ORDER BY hour`;
}

/** Per topic: messages in [from, to) (of the facets' channel and category), from the hourly rollups. */
export async function countTopicMessagesBetween(sql: Db, topicIds: number[], from: Date, to: Date, facets?: TopicFacets): Promise<Map<number, number>> {
  if (!topicIds.length) return new Map();
  const rows = hasFacets(facets)
    ? await sql<{ topicId: number; n: number }[]>`
      SELECT topic_id, sum(count)::int AS n FROM opinion_topic_facet_hours
      WHERE topic_id = ANY(${sql.array(topicIds)}::bigint[]) AND hour >= ${from} AND hour < ${to} ${facetWhere(sql, facets)} GROUP BY topic_id`
    : await sql<{ topicId: number; n: number }[]>`
      SELECT topic_id, sum(count)::int AS n FROM opinion_topic_hours
      WHERE topic_id = ANY(${sql.array(topicIds)}::bigint[]) AND hour >= ${from} AND hour < ${to} GROUP BY topic_id`;
  return new Map(rows.map((r) => [Number(r.topicId), r.n]));
}

/** Distinct local (UTC+8) days each topic was spoken of. */
export async function countActiveDays(sql: Db, topicId: number): Promise<number> {
  const [r] = await sql<{ n: number }[]>`
    SELECT count(DISTINCT date_trunc('day', hour + interval '8 hours'))::int AS n FROM opinion_topic_hours WHERE topic_id = ${topicId}`;
  return r.n;
}

/** Active topics with a message in [from, to), hottest first. */
export async function listTopicsActiveBetween(sql: Db, from: Date, to: Date, limit: number): Promise<TopicRow[]> {
  return sql<TopicRow[]>`
    SELECT ${sql(TOPIC_COLUMNS.map((c) => `t.${c}`))} FROM opinion_topics t
    WHERE t.status = 'active' AND t.last_at >= ${from} AND t.first_at < ${to}
      AND EXISTS (SELECT 1 FROM opinion_topic_hours h WHERE h.topic_id = t.id AND h.hour >= ${from} AND h.hour < ${to})
    ORDER BY t.heat DESC, t.id LIMIT ${limit}`;
}

export interface FacetRankedTopic {
  topic: TopicRow;
  /** the topic's messages in the window of the filter's channel and category */
  volume: number;
  /** all its messages in the window */
  total: number;
}

/**
 * Active topics (of a district: 未识别 those with none) with messages of the facets' channel and
 * category in [from, to), from the facet rollup, ranked by the filtered heat: the topic's heat times
 * the share of its window's messages the filter keeps (all kept: the plain heat order), then by that
 * volume.
 */
export async function listTopicsByFacetVolume(
  sql: Db, from: Date, to: Date, f: TopicFacets & { district?: string }, limit: number,
): Promise<FacetRankedTopic[]> {
  const rows = await sql<(TopicRow & { fVolume: number; fTotal: number })[]>`
    SELECT ${sql(TOPIC_COLUMNS.map((c) => `t.${c}`))}, x.f_volume, x.f_total FROM (
      SELECT topic_id, (coalesce(sum(count) FILTER (WHERE true ${facetWhere(sql, f)}), 0))::int AS f_volume, sum(count)::int AS f_total
      FROM opinion_topic_facet_hours WHERE hour >= ${from} AND hour < ${to} GROUP BY topic_id
    ) x JOIN opinion_topics t ON t.id = x.topic_id
    WHERE t.status = 'active' AND x.f_volume > 0 ${districtWhere(sql, f.district)}
    ORDER BY t.heat * x.f_volume / x.f_total DESC, x.f_volume DESC, t.id LIMIT ${limit}`;
  return rows.map(({ fVolume, fTotal, ...t }) => ({ topic: { ...t, id: Number(t.id) } as TopicRow, volume: fVolume, total: fTotal }));
}

export async function listActiveTopicIds(sql: Db, since: Date): Promise<number[]> {
  return (await sql<{ id: number }[]>`SELECT id FROM opinion_topics WHERE status = 'active' AND last_at >= ${since} ORDER BY id`).map((r) => Number(r.id));
}

export interface BurstRow {
  id: number;
  scope: 'topic' | 'district';
  topicId: number | null;
  district: string | null;
  startedAt: Date;
  lastAt: Date;
  observed: number;
  expected: number;
  pValue: number;
  windowHours: number;
}

export async function openBurst(sql: Db, b: Omit<BurstRow, 'id'>): Promise<number> {
  const [r] = await sql<{ id: number }[]>`
    INSERT INTO opinion_bursts (scope, topic_id, district, started_at, last_at, observed, expected, p_value, window_hours)
    VALUES (${b.scope}, ${b.topicId}, ${b.district}, ${b.startedAt}, ${b.lastAt}, ${b.observed}, ${b.expected}, ${b.pValue}, ${b.windowHours}) RETURNING id`;
  return Number(r.id);
}

/** The latest episode of a series (to extend it, or to know it is over). */
export async function latestBurst(sql: Db, scope: { topicId: number } | { district: string }): Promise<BurstRow | undefined> {
  const [r] = 'topicId' in scope
    ? await sql<BurstRow[]>`SELECT * FROM opinion_bursts WHERE scope = 'topic' AND topic_id = ${scope.topicId} ORDER BY started_at DESC, id DESC LIMIT 1`
    : await sql<BurstRow[]>`SELECT * FROM opinion_bursts WHERE scope = 'district' AND district = ${scope.district} ORDER BY started_at DESC, id DESC LIMIT 1`;
  return r;
}

export async function extendBurst(sql: Db, id: number, at: Date, observed: number, pValue: number): Promise<void> {
  await sql`UPDATE opinion_bursts SET last_at = ${at}, observed = greatest(observed, ${observed}), p_value = least(p_value, ${pValue}) WHERE id = ${id}`;
}

export async function listBurstsSince(sql: Db, since: Date): Promise<BurstRow[]> {
  return sql<BurstRow[]>`SELECT * FROM opinion_bursts WHERE started_at >= ${since} ORDER BY started_at, id`;
}

export async function listTopicBursts(sql: Db, topicId: number): Promise<BurstRow[]> {
  return sql<BurstRow[]>`SELECT * FROM opinion_bursts WHERE scope = 'topic' AND topic_id = ${topicId} ORDER BY started_at DESC LIMIT 50`;
}

/** Processed messages with no topic yet (a failed topic step, or messages from before topics). */
/** Processed messages with no topic yet, leaving out those whose topic step failed `maxAttempts` times. */
export async function listMessagesWithoutTopic(sql: Db, limit: number, maxAttempts = Number.MAX_SAFE_INTEGER): Promise<number[]> {
  return (await sql<{ id: number }[]>`
    SELECT m.id FROM messages m WHERE m.state = 'processed' AND m.analysis IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM opinion_topic_members t WHERE t.message_id = m.id)
      AND NOT EXISTS (SELECT 1 FROM opinion_topic_errors e WHERE e.message_id = m.id AND e.attempts >= ${maxAttempts})
    ORDER BY m.received_at, m.id LIMIT ${limit}`).map((r) => Number(r.id));
}

/** Counts one failed topic step of a message (the sweep gives up on it after a few). Returns the attempts so far. */
export async function noteTopicError(sql: Db, messageId: number, error: string, at: Date): Promise<number> {
  const [r] = await sql<{ attempts: number }[]>`
    INSERT INTO opinion_topic_errors (message_id, attempts, error, last_at) VALUES (${messageId}, 1, ${error.slice(0, 500)}, ${at})
    ON CONFLICT (message_id) DO UPDATE SET attempts = opinion_topic_errors.attempts + 1, error = EXCLUDED.error, last_at = EXCLUDED.last_at
    RETURNING attempts`;
  return r.attempts;
}

export async function getTopicError(sql: Db, messageId: number): Promise<{ attempts: number; error: string } | undefined> {
  const [r] = await sql<{ attempts: number; error: string }[]>`SELECT attempts, error FROM opinion_topic_errors WHERE message_id = ${messageId}`;
  return r;
}

export interface WeeklyPlaceRow {
  topicId: number;
  week: Date;
  n: number;
}

/** Per active topic, its messages (of the facets' channel and category) per local week in [since, until) (recurring problems, 每月一题). */
export async function listTopicWeeks(sql: Db, since: Date, until?: Date, facets?: TopicFacets): Promise<WeeklyPlaceRow[]> {
  if (hasFacets(facets)) {
    return sql<WeeklyPlaceRow[]>`
      SELECT h.topic_id, date_trunc('week', h.hour + interval '8 hours') - interval '8 hours' AS week, sum(h.count)::int AS n
      FROM opinion_topic_facet_hours h JOIN opinion_topics t ON t.id = h.topic_id
      WHERE t.status = 'active' AND h.hour >= ${since} ${until ? sql`AND h.hour < ${until}` : sql``} ${facetWhere(sql, facets, 'h.')}
      GROUP BY 1, 2 ORDER BY 1, 2`;
  }
  return sql<WeeklyPlaceRow[]>`
    SELECT h.topic_id, date_trunc('week', h.hour + interval '8 hours') - interval '8 hours' AS week, sum(h.count)::int AS n
    FROM opinion_topic_hours h JOIN opinion_topics t ON t.id = h.topic_id
    WHERE t.status = 'active' AND h.hour >= ${since} ${until ? sql`AND h.hour < ${until}` : sql``}
    GROUP BY 1, 2 ORDER BY 1, 2`;
}

export async function listTopicsByIds(sql: Db, ids: number[]): Promise<TopicRow[]> {
  if (!ids.length) return [];
  return sql<TopicRow[]>`SELECT ${sql(TOPIC_COLUMNS)} FROM opinion_topics WHERE id = ANY(${sql.array(ids)}::bigint[])`;
}

/**
 * The cases behind topics' members: (topic, case) pairs with the case's tracking number and status,
 * and how many cases the topic has in all (`total`); `o.departmentCode` keeps one department's cases
 * (a department user sees no other department's case), `o.until` members received before it.
 */
export async function listTopicCases(
  sql: Db, topicIds: number[], perTopic = 20, o: { departmentCode?: string; until?: Date; facets?: TopicFacets } = {},
): Promise<{ topicId: number; caseId: number; trackingNo: string; status: string; title: string | null; receivedAt: Date; total: number }[]> {
  if (!topicIds.length) return [];
  return sql`
    SELECT topic_id, case_id, tracking_no, status, title, received_at, total FROM (
      SELECT m.topic_id, c.id AS case_id, c.tracking_no, c.status, c.title, min(m.received_at) AS received_at,
        row_number() OVER (PARTITION BY m.topic_id ORDER BY min(m.received_at) DESC) AS rn,
        (count(*) OVER (PARTITION BY m.topic_id))::int AS total
      FROM opinion_topic_members m JOIN cases c ON c.id = m.case_id
      WHERE m.topic_id = ANY(${sql.array(topicIds)}::bigint[])
        ${o.departmentCode !== undefined ? sql`AND c.department_code = ${o.departmentCode}` : sql``}
        ${o.until ? sql`AND m.received_at < ${o.until}` : sql``}
        ${facetWhere(sql, o.facets, 'm.')}
      GROUP BY m.topic_id, c.id, c.tracking_no, c.status, c.title
    ) x WHERE rn <= ${perTopic} ORDER BY topic_id, received_at DESC`;
}

/** The member most like its topic's centroid (public ones only when asked): the representative message. */
export async function topRepresentative(sql: Db, topicId: number, publicOnly: boolean): Promise<{ messageId: number; sample: string } | undefined> {
  const [r] = publicOnly
    ? await sql<{ messageId: number; sample: string }[]>`SELECT message_id, sample FROM opinion_topic_members WHERE topic_id = ${topicId} AND is_public AND sample <> '' ORDER BY similarity DESC, received_at LIMIT 1`
    : await sql<{ messageId: number; sample: string }[]>`SELECT message_id, sample FROM opinion_topic_members WHERE topic_id = ${topicId} ORDER BY similarity DESC, received_at LIMIT 1`;
  return r ? { messageId: Number(r.messageId), sample: r.sample } : undefined;
}

export async function setMemberSimilarities(sql: Db, rows: { messageId: number; similarity: number }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 10_000) {
    const chunk = rows.slice(i, i + 10_000);
    await sql`
      UPDATE opinion_topic_members m SET similarity = v.s
      FROM (SELECT unnest(${sql.array(chunk.map((x) => x.messageId))}::bigint[]) AS message_id, unnest(${sql.array(chunk.map((x) => x.similarity))}::real[]) AS s) v
      WHERE m.message_id = v.message_id`;
  }
}

export interface TopicWindowFigures {
  topicId: number;
  volume: number;
  negative: number;
  cases: number;
  open: number;
  topCategory: string | null;
}

/** Per topic, over its members received in [from, to) (of the facets' channel and category): volume, negative ones, cases and open cases, the commonest category. */
export async function topicWindowFigures(
  sql: Db, topicIds: number[], from: Date, to: Date, openStatuses: readonly string[], facets?: TopicFacets,
): Promise<Map<number, TopicWindowFigures>> {
  if (!topicIds.length) return new Map();
  const rows = await sql<TopicWindowFigures[]>`
    SELECT m.topic_id, count(*)::int AS volume, (count(*) FILTER (WHERE m.negative > 0))::int AS negative,
      count(DISTINCT m.case_id)::int AS cases, (count(DISTINCT m.case_id) FILTER (WHERE c.status = ANY(${sql.array([...openStatuses])}::text[])))::int AS open,
      mode() WITHIN GROUP (ORDER BY c.category) FILTER (WHERE c.category IS NOT NULL AND c.category <> 'unknown') AS top_category
    FROM opinion_topic_members m LEFT JOIN cases c ON c.id = m.case_id
    WHERE m.topic_id = ANY(${sql.array(topicIds)}::bigint[]) AND m.received_at >= ${from} AND m.received_at < ${to} ${facetWhere(sql, facets, 'm.')}
    GROUP BY m.topic_id`;
  return new Map(rows.map((r) => [Number(r.topicId), { ...r, topicId: Number(r.topicId) }]));
}

/** Messages in topics received in [from, to), from the hourly rollup; with a filter, those of its channel and category in topics of its district, from the facet rollup. */
export async function countTopicMessagesInWindow(sql: Db, from: Date, to: Date, f: TopicFacets & { district?: string } = {}): Promise<number> {
  if (hasFacets(f) || f.district !== undefined) {
    const [r] = await sql<{ n: number }[]>`
      SELECT coalesce(sum(h.count), 0)::int AS n FROM opinion_topic_facet_hours h JOIN opinion_topics t ON t.id = h.topic_id
      WHERE h.hour >= ${from} AND h.hour < ${to} ${facetWhere(sql, f, 'h.')} ${districtWhere(sql, f.district)}`;
    return r.n;
  }
  const [r] = await sql<{ n: number }[]>`SELECT coalesce(sum(count), 0)::int AS n FROM opinion_topic_hours WHERE hour >= ${from} AND hour < ${to}`;
  return r.n;
}
