// 舆情 topics, kept as messages are processed: after a message is read (analysis) and has its case,
// it joins the topic about the same problem in the same place, or starts one; the topic's label,
// representative message, heat and burst state are brought up to date in the same transaction.
// `reclusterTopics` (a periodic job) merges and splits topics, keeping ids by majority overlap.
import type { Db, Sql } from '../db/connect';
import type { Logger } from '../logger';
import {
  addHourCount, countActiveDays, countTopicMessagesBetween, createTopic, extendBurst, getMember, getTopic, insertMember,
  latestBurst, listActiveTopicDistricts, listActiveTopicIds, listMessagesWithoutTopic, listHours, noteTopicError, listMemberTimes, listMembersOfActiveTopics, listMembersOfTopics, listPublicMemberFeatures, listQuietTopics, listTopicsByIds, lockTopicScope, markTopicMerged, moveMembers, openBurst,
  rebuildTopicHours, saveTopic, setMemberSimilarities, topRepresentative, type BurstState, type MemberRow, type TopicRow,
} from '../db/topics';
import { getMessage, getMessageRaw } from '../db/messages';
import type { MessageAnalysis } from '../nlp/types';
import { addToShape, chooseTopic, cosine, likenessIdf, recluster, topicsAlikeToAny, type TermStats, type TopicShape } from './cluster';
import { opinionConfig, type OpinionConfig } from './config';
import { messageFeatures, type MessageFeatures } from './features';
import { heatIndex, heatParts } from './heat';
import { topicLabel, type TopicLabel } from './label';
import { liveGenericWords, liveWordGroups, refreshLiveGenericWords } from './live-generic';
import { flushTermCounts, termCounts, type TermCounts } from './term-counts';
import { topicRows } from './topic-rows';
import { publicSample } from './sample';
import { testBurst, type BurstTest } from './bursts';

/** One processed message, as the topic code needs it. */
export interface TopicInput {
  messageId: number;
  caseId: number | null;
  receivedAt: Date;
  channel: string;
  isPublic: boolean;
  title: string | null;
  body: string;
  analysis: MessageAnalysis;
  /** likes + reposts + comments (Weibo), votes (portal): 0 where the channel has none */
  engagement: number;
  contactName?: string | null;
  address?: string | null;
}

export interface AssignResult {
  topicId: number;
  created: boolean;
  similarity: number;
  burst: BurstState;
  /** true when this message opened a burst episode (topic or district) */
  burstOpened: { topic: boolean; district: boolean };
}

const HOUR = 3_600_000;
/** how far back (before the re-clustering window) a quiet topic may be merged with a recent one */
const QUIET_LOOKBACK_DAYS = 180;
const hourOf = (d: Date) => new Date(Math.floor(d.getTime() / HOUR) * HOUR);

function statsFrom(docs: number, df: Map<string, number>, generic?: ReadonlySet<string>): TermStats {
  return { docs, df: (t) => df.get(t) ?? 0, generic };
}

function sharesPlace(anchors: string[], of: Record<string, number>): boolean {
  return anchors.some((a) => (of[a] ?? 0) > 0);
}

/** The district whose topics name the message's places most often (members naming them), or null. */
function districtOfPlaces(anchors: string[], topics: TopicRow[]): string | null {
  const votes = new Map<string, number>();
  for (const t of topics) {
    if (!t.district) continue;
    const n = anchors.reduce((s, a) => s + (t.anchors[a] ?? 0), 0);
    if (n) votes.set(t.district, (votes.get(t.district) ?? 0) + n);
  }
  return [...votes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

/** Negative intensity in [0, 1]: how strongly negative the reader found the message. */
export function negativeIntensity(a: Pick<MessageAnalysis, 'sentiment'>): number {
  if (a.sentiment.label !== 'negative') return 0;
  return Math.min(1, Math.max(0.3, -a.sentiment.score, a.sentiment.confidence * 0.8));
}

/** Likes, reposts, comments and votes in a channel's raw payload (Weibo JSON, portal/CSV votes). */
export function engagementOf(raw: string | null | undefined): number {
  if (!raw || raw[0] !== '{') return 0;
  try {
    const o = JSON.parse(raw) as Record<string, unknown>;
    let n = 0;
    for (const k of ['like_count', 'like_counts', 'attitudes_count', 'reposts_count', 'comments_count', 'likes', 'votes', 'supports']) {
      const v = o[k];
      if (typeof v === 'number' && Number.isFinite(v) && v > 0) n += Math.floor(v);
      else if (typeof v === 'string' && /^\d{1,9}$/.test(v)) n += Number(v);
    }
    return n;
  } catch {
    return 0;
  }
}

/**
 * Puts one processed message into its topic (idempotent: a message already in a topic is left
 * alone). Serialised per district, so concurrent workers cannot open two topics for one problem.
 */
export async function assignToTopic(sql: Sql, input: TopicInput, cfg: OpinionConfig = opinionConfig()): Promise<AssignResult> {
  const f = messageFeatures({ title: input.title, body: input.body, analysis: input.analysis, contactName: input.contactName });
  const since = new Date(input.receivedAt.getTime() - cfg.assignment.windowDays * 86_400_000);
  const counts = termCounts(sql);
  const kept = topicRows(sql); // the candidates' rows are kept between steps (core/opinion/topic-rows.ts)
  const terms = Object.keys(f.terms);
  let counted = false;
  const result = await sql.begin(async (tx) => {
    // a topic opened by a message that named no district (香樟湾没水了) about a place this one names
    // may take it (and its district): the no-district scope is always locked first, as a message
    // without a district locks its own scope before the district of the topic it joins
    const placeless = async () => (f.district !== null && f.anchors.length ? (await kept.candidates(tx, null, since, cfg.assignment.maxCandidates, f.anchors)).filter((t) => t.district === null && sharesPlace(f.anchors, t.anchors)) : []);
    const withoutDistrict = (await placeless()).length > 0;
    if (withoutDistrict) await lockTopicScope(tx, null);
    await lockTopicScope(tx, f.district);
    const existing = await getMember(tx, input.messageId);
    if (existing) {
      const t = await getTopic(tx, existing.topicId);
      return { topicId: existing.topicId, created: false, similarity: existing.similarity, burst: t?.burstState ?? 'none', burstOpened: { topic: false, district: false } };
    }
    counted = true;
    // the message's own counts are read as if written (they are, once the step commits:
    // core/opinion/term-counts.ts); the reads in one round trip
    const own = new Set(terms);
    const [generic, { docs, df }, candidates] = await Promise.all([
      liveGenericWords(tx),
      counts.read(tx, terms, own),
      kept.candidates(tx, f.district, since, cfg.assignment.maxCandidates, f.anchors),
    ]);
    const stats = statsFrom(docs, df, generic);
    if (withoutDistrict) candidates.push(...(await placeless()));
    const choice = chooseTopic(f, candidates, stats, cfg.assignment, input.receivedAt);
    const joined = candidates.find((c) => c.id === choice.topicId);
    if (joined && joined.district !== null && joined.district !== f.district) await lockTopicScope(tx, joined.district); // no-district message, district topic
    // a message that names no district but a place of a district's topics is about that district
    // (香樟湾 is in 弋江区): a topic it opens is that district's, so the district's next reports find it
    if (!joined && f.district === null) {
      const d = districtOfPlaces(f.anchors, candidates);
      if (d) {
        await lockTopicScope(tx, d);
        f.district = d;
      }
    }
    const created = choice.topicId === null;
    const topicId = choice.topicId ?? (await createTopic(tx, { district: f.district, firstAt: input.receivedAt }));
    // a copy of a kept row: changed below, and the change may yet roll back
    const keptRow = candidates.find((c) => c.id === topicId);
    const topic = keptRow ? structuredClone(keptRow) : (await getTopic(tx, topicId))!;
    if (topic.district === null && f.district !== null) topic.district = f.district; // it was opened without one
    const negative = negativeIntensity(input.analysis);
    const sample = input.isPublic ? publicSample(input.title ?? input.body, { contactName: input.contactName, address: input.address }) : '';
    // the member and its hours in one round trip (the burst tests below read them)
    await Promise.all([
      insertMember(tx, {
        messageId: input.messageId, topicId, caseId: input.caseId, receivedAt: input.receivedAt, channel: input.channel, district: f.district, category: input.analysis.category.label || 'unknown',
        isPublic: input.isPublic, negative, engagement: input.engagement, similarity: created ? 1 : choice.similarity, terms: f.terms, anchors: f.anchors, sample,
      }),
      addHourCount(tx, { topicId }, hourOf(input.receivedAt)),
      f.district ? addHourCount(tx, { district: f.district }, hourOf(input.receivedAt)) : undefined,
    ]);

    addToShape(topic, f, cfg.assignment.maxCentroidTerms);
    topic.publicSize += input.isPublic ? 1 : 0;
    topic.negative += negative;
    topic.engagement += input.engagement;
    if (!topic.channels.includes(input.channel)) topic.channels = [...topic.channels, input.channel];
    const d = input.analysis.place.district ?? f.district;
    if (d && !topic.districts.includes(d)) topic.districts = [...topic.districts, d];
    if (input.receivedAt < topic.firstAt) topic.firstAt = input.receivedAt;
    if (input.receivedAt > topic.lastAt) topic.lastAt = input.receivedAt;

    const at = input.receivedAt;
    const topicBurst = await burstStep(tx, { topicId }, at, cfg, topic.size, topic.firstAt);
    const districtBurst = f.district ? await burstStep(tx, { district: f.district }, at, cfg, null, null) : null;
    if (topicBurst.test.burst || topicBurst.open) {
      topic.burstState = 'burst';
      topic.burstAt = topicBurst.startedAt ?? at;
      topic.burstScore = topicBurst.test.pValue;
    } else if (topic.burstState !== 'burst' || !topic.burstAt || at.getTime() - topic.burstAt.getTime() > cfg.bursts.quietHours * HOUR) {
      topic.burstState = at.getTime() - topic.firstAt.getTime() < cfg.bursts.quietHours * HOUR ? 'new' : 'none';
    }
    await refreshTopic(tx, topic, at, cfg, counts, generic, own);
    return {
      topicId, created, similarity: choice.similarity, burst: topic.burstState,
      burstOpened: { topic: topicBurst.opened, district: districtBurst?.opened ?? false },
    };
  });
  // counted once the step has committed (a step rolled back and retried counts once)
  if (counted) counts.add(terms, liveWordGroups(input.analysis.category.label), f.words ?? []);
  return result;
}

/** Tests one series at a message's arrival; opens or extends its burst episode. */
async function burstStep(tx: Db, scope: { topicId: number } | { district: string }, at: Date, cfg: OpinionConfig, topicSize: number | null, firstAt: Date | null) {
  const longest = Math.max(...cfg.bursts.windowsMinutes) * 60_000;
  // the three reads in one round trip
  const [recent, history, last] = await Promise.all([
    listMemberTimes(tx, scope, new Date(at.getTime() - longest)),
    listHours(tx, scope, new Date(at.getTime() - (cfg.bursts.baselineDays + 1) * 24 * HOUR), new Date(at.getTime() - longest)),
    latestBurst(tx, scope),
  ]);
  // a topic is new when it has no history before the tested windows
  const isNew = topicSize !== null && (!firstAt || at.getTime() - firstAt.getTime() < cfg.bursts.quietHours * HOUR) && history.length === 0;
  const test: BurstTest = testBurst(recent, history, at, cfg.bursts, { isNew, startedAt: firstAt ?? undefined });
  const ongoing = last && at.getTime() - last.lastAt.getTime() <= cfg.bursts.quietHours * HOUR;
  let opened = false;
  if (test.burst) {
    if (ongoing) await extendBurst(tx, last.id, at, test.observed, test.pValue);
    else {
      await openBurst(tx, {
        scope: 'topicId' in scope ? 'topic' : 'district', topicId: 'topicId' in scope ? scope.topicId : null, district: 'district' in scope ? scope.district : null,
        startedAt: at, lastAt: at, observed: test.observed, expected: test.expected, pValue: test.pValue, windowHours: test.windowMinutes / 60,
      });
      opened = true;
    }
  }
  return { test, opened, open: !!ongoing && !test.burst ? false : test.burst, startedAt: ongoing ? last.startedAt : test.burst ? at : null };
}

/** Label, representative messages and heat from the topic's current members. */
async function refreshTopic(tx: Db, topic: TopicRow, now: Date, cfg: OpinionConfig, counts: TermCounts, generic?: ReadonlySet<string>, own?: ReadonlySet<string>): Promise<void> {
  const span = cfg.heat.growthRecentDays * 86_400_000;
  const mixed = topic.publicSize > 0 && topic.publicSize < topic.size;
  // every read that does not depend on another in one round trip
  const [{ docs, df }, liveGeneric, publicMembers, rep, pubRep, recent, previous, activeDays] = await Promise.all([
    counts.read(tx, Object.keys(topic.centroid), own),
    generic ?? liveGenericWords(tx),
    mixed ? listPublicMemberFeatures(tx, topic.id) : [],
    topRepresentative(tx, topic.id, false),
    topRepresentative(tx, topic.id, true),
    countTopicMessagesBetween(tx, [topic.id], new Date(now.getTime() - span), new Date(now.getTime() + HOUR)),
    countTopicMessagesBetween(tx, [topic.id], new Date(now.getTime() - 2 * span), new Date(now.getTime() - span)),
    countActiveDays(tx, topic.id),
  ]);
  const stats = statsFrom(docs, df, liveGeneric);
  const label = topicLabel(topic, stats);
  // what the public sees is built from the public members only: a private message's words or
  // place never reach the public label (none public: read.ts shows the district and problem objects)
  let pub: TopicLabel | null = null;
  if (topic.publicSize > 0 && topic.publicSize >= topic.size) pub = label;
  else if (mixed) {
    const shape: TopicShape = { id: topic.id, district: topic.district, centroid: {}, anchors: {}, size: 0 };
    for (const m of publicMembers) addToShape(shape, m, cfg.assignment.maxCentroidTerms);
    if (shape.size) {
      const more = await counts.read(tx, Object.keys(shape.centroid).filter((k) => !df.has(k)), own);
      for (const [k, n] of more.df) df.set(k, n);
      pub = topicLabel(shape, stats);
    }
  }
  const parts = heatParts({
    size: topic.size, recent: recent.get(topic.id) ?? 0, previous: previous.get(topic.id) ?? 0, engagement: topic.engagement, negative: topic.negative,
    channels: topic.channels.length, districts: Math.max(1, topic.districts.length), activeDays, lastAt: topic.lastAt, now,
  }, cfg.heat);
  await saveTopic(tx, topic.id, {
    ...topic, label: label.label, place: label.place, labelTerms: label.terms, representativeId: rep?.messageId ?? null, publicSample: pubRep?.sample ?? null,
    publicLabel: pub?.label ?? null, publicPlace: pub?.place ?? null, publicLabelTerms: pub?.terms ?? [],
    heat: heatIndex(parts, cfg.heat), heatParts: parts,
  }, now);
}

/** Recomputes heat (recency decays with time) and labels of the active topics. */
export async function refreshActiveTopics(sql: Sql, now: Date, cfg: OpinionConfig = opinionConfig(), opts: { since?: Date } = {}): Promise<number> {
  const since = opts.since ?? new Date(now.getTime() - cfg.assignment.windowDays * 2 * 86_400_000);
  const ids = await listActiveTopicIds(sql, since);
  const generic = await liveGenericWords(sql);
  const counts = termCounts(sql);
  for (const id of ids) {
    await sql.begin(async (tx) => {
      const t = await getTopic(tx, id);
      if (t && t.status === 'active') {
        if (t.burstState !== 'none' && (!t.burstAt || now.getTime() - Math.max(t.burstAt.getTime(), t.lastAt.getTime()) > cfg.bursts.quietHours * HOUR)) {
          t.burstState = now.getTime() - t.firstAt.getTime() < cfg.bursts.quietHours * HOUR ? 'new' : 'none';
        }
        await refreshTopic(tx, t, now, cfg, counts, generic);
      }
    });
  }
  return ids.length;
}

function memberFeatures(m: MemberRow): MessageFeatures & { messageId: number; receivedAt: Date; topicId: number } {
  return { messageId: m.messageId, receivedAt: m.receivedAt, topicId: m.topicId, district: m.district, anchors: m.anchors, terms: m.terms };
}

export interface ReclusterResult {
  topics: number;
  moved: number;
  merged: number;
  created: number;
}

/**
 * Re-clusters the members of the recently active topics with today's term statistics, so early
 * choices (made when the background corpus was small) are revisited: topics that grew alike merge,
 * a topic that holds two problems splits. Ids are kept by majority overlap (core/opinion/cluster.ts).
 */
export async function reclusterTopics(sql: Sql, now: Date, cfg: OpinionConfig = opinionConfig()): Promise<ReclusterResult> {
  const since = new Date(now.getTime() - cfg.assignment.reclusterDays * 86_400_000);
  const total: ReclusterResult = { topics: 0, moved: 0, merged: 0, created: 0 };
  // today's live generic words first (from the counts as of now): the re-clustering weighs them 0
  await flushTermCounts(sql);
  await refreshLiveGenericWords(sql, now, cfg.liveGenericWords);
  const generic = await liveGenericWords(sql);
  // one district at a time (topics never span districts), so workers wait on one district's lock only
  for (const district of await listActiveTopicDistricts(sql, since)) {
    const r = await reclusterDistrict(sql, district, since, now, cfg, generic, termCounts(sql));
    for (const k of Object.keys(total) as (keyof ReclusterResult)[]) total[k] += r[k];
  }
  return total;
}

async function reclusterDistrict(sql: Sql, district: string | null, since: Date, now: Date, cfg: OpinionConfig, generic: ReadonlySet<string>, counts: TermCounts): Promise<ReclusterResult> {
  return sql.begin(async (tx) => {
    await lockTopicScope(tx, district);
    const recent = await listMembersOfActiveTopics(tx, district, since);
    if (!recent.length) return { topics: 0, moved: 0, merged: 0, created: 0 };
    // a problem that went quiet and came back opened a second topic (the first was out of the join
    // window): the older topics of the district whose centroids are close to a recent one join the
    // re-clustering, so the two merge back (the larger keeping its id)
    const quiet = await listQuietTopics(tx, district, new Date(since.getTime() - QUIET_LOOKBACK_DAYS * 86_400_000), since, cfg.assignment.maxCandidates);
    const recentTopics = quiet.length ? await listTopicsByIds(tx, [...new Set(recent.map((m) => m.topicId))]) : [];
    const allTerms = new Set(recent.flatMap((m) => Object.keys(m.terms)));
    for (const t of quiet) for (const k of Object.keys(t.centroid)) allTerms.add(k);
    let { docs, df } = await counts.read(tx, [...allTerms]);
    const close = topicsAlikeToAny(quiet.map((q) => ({ ...q, district })), recentTopics.map((r) => ({ ...r, district })), statsFrom(docs, df, generic), cfg.assignment);
    const older = await listMembersOfTopics(tx, close.map((t) => t.id));
    const members = older.length ? [...older, ...recent].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.messageId - b.messageId) : recent;
    if (older.length) ({ docs, df } = await counts.read(tx, [...new Set(members.flatMap((m) => Object.keys(m.terms)))]));
    const stats = statsFrom(docs, df, generic);
    // every member clusters within this district (a no-district member joined a topic here by its place)
    const features = members.map((m) => ({ ...memberFeatures(m), district }));
    const r = recluster(features, stats, cfg.assignment);
    // new clusters (negative ids) become topics
    const realId = new Map<number, number>();
    for (const m of features) { // in time order: a new cluster's first member gives its district and start
      const id = r.assignment.get(m.messageId)!;
      if (id < 0 && !realId.has(id)) realId.set(id, await createTopic(tx, { district: m.district, firstAt: m.receivedAt }));
    }
    const resolve = (id: number) => (id < 0 ? realId.get(id)! : id);
    const moves = features.filter((m) => resolve(r.assignment.get(m.messageId)!) !== m.topicId).map((m) => ({ messageId: m.messageId, topicId: resolve(r.assignment.get(m.messageId)!) }));
    await moveMembers(tx, moves);
    for (const [old, into] of r.mergedInto) await markTopicMerged(tx, old, resolve(into), now);
    // rebuild each surviving topic's shape and figures from its members
    const byTopic = new Map<number, typeof features>();
    for (const m of features) {
      const id = resolve(r.assignment.get(m.messageId)!);
      const list = byTopic.get(id);
      if (list) list.push(m);
      else byTopic.set(id, [m]);
    }
    const featureById = new Map(features.map((m) => [m.messageId, m]));
    const touched = [...new Set([...moves.map((m) => m.topicId), ...moves.map((m) => featureById.get(m.messageId)!.topicId)])];
    await rebuildTopicHours(tx, touched);
    const rowsById = new Map(members.map((m) => [m.messageId, m]));
    const sims: { messageId: number; similarity: number }[] = [];
    const changed = new Set(touched);
    for (const [id, ms] of byTopic) {
      if (!changed.has(id)) continue; // same members as before: nothing to rebuild
      const t = (await getTopic(tx, id))!;
      const shape: TopicShape = { id, district: ms[0].district, centroid: {}, anchors: {}, size: 0 };
      for (const m of ms) addToShape(shape, m, cfg.assignment.maxCentroidTerms);
      const centroidVec = new Map(Object.entries(shape.centroid).map(([k, w]) => [k, (w / shape.size) * likenessIdf(stats, k)]));
      for (const m of ms) sims.push({ messageId: m.messageId, similarity: cosine(new Map(Object.entries(m.terms).map(([k, w]) => [k, w * likenessIdf(stats, k)])), centroidVec) });
      const rows = ms.map((m) => rowsById.get(m.messageId)!);
      Object.assign(t, {
        district: shape.district, centroid: shape.centroid, anchors: shape.anchors, size: shape.size,
        publicSize: rows.filter((x) => x.isPublic).length, negative: rows.reduce((s, x) => s + x.negative, 0), engagement: rows.reduce((s, x) => s + x.engagement, 0),
        channels: [...new Set(rows.map((x) => x.channel))], districts: [...new Set(rows.map((x) => x.district).filter((x): x is string => !!x))],
        firstAt: new Date(Math.min(...rows.map((x) => x.receivedAt.getTime()))), lastAt: new Date(Math.max(...rows.map((x) => x.receivedAt.getTime()))),
      });
      await setMemberSimilarities(tx, sims);
      await refreshTopic(tx, t, now, cfg, counts, generic);
    }
    return { topics: changed.size, moved: moves.length, merged: r.mergedInto.size, created: realId.size };
  });
}

/**
 * The worker's topic step for one stored, processed message (after its analysis and case). A
 * message not yet read, or failed, is skipped: the sweep picks it up once processed.
 */
export async function assignMessageToTopic(sql: Sql, messageId: number, cfg: OpinionConfig = opinionConfig()): Promise<AssignResult | null> {
  const msg = await getMessage(sql, messageId);
  if (!msg || !msg.analysis || msg.state !== 'processed') return null;
  const raw = msg.channel === 'weibo' || msg.channel === 'portal' ? await getMessageRaw(sql, messageId) : undefined;
  return assignToTopic(sql, {
    messageId, caseId: msg.caseId, receivedAt: msg.receivedAt, channel: msg.channel, isPublic: msg.isPublic, title: msg.title, body: msg.body,
    analysis: msg.analysis, engagement: engagementOf(raw), contactName: msg.contactName, address: msg.address,
  }, cfg);
}

/** A message whose topic step failed this many times is left out of later sweeps (opinion_topic_errors keeps why). */
export const TOPIC_MAX_ATTEMPTS = 3;

export interface SweepResult {
  assigned: number;
  /** messages whose topic step threw in this sweep (each counted in opinion_topic_errors) */
  failed: { messageId: number; attempts: number; error: string }[];
  recluster: ReclusterResult;
  refreshed: number;
}

type SweepLog = Pick<Logger, 'warn'>;

/**
 * The periodic topic sweep: messages that missed their topic step, re-clustering, heat decay. Each
 * message is tried on its own: one that throws is logged, counted and, after TOPIC_MAX_ATTEMPTS,
 * no longer retried, so a poison message cannot stop the sweep; a failed re-clustering does not stop
 * the heat refresh either.
 */
export async function sweepTopics(sql: Sql, now: Date, cfg: OpinionConfig = opinionConfig(), log?: SweepLog): Promise<SweepResult> {
  let assigned = 0;
  const failed: SweepResult['failed'] = [];
  for (const id of await listMessagesWithoutTopic(sql, 1000, TOPIC_MAX_ATTEMPTS)) {
    try {
      if (await assignMessageToTopic(sql, id, cfg)) assigned++;
    } catch (err) {
      const error = String((err as Error)?.message ?? err);
      const attempts = await noteTopicError(sql, id, error, now).catch(() => 0);
      failed.push({ messageId: id, attempts, error });
      log?.warn({ err, messageId: id, attempts, givenUp: attempts >= TOPIC_MAX_ATTEMPTS }, 'topic step failed for a message');
    }
  }
  let r: ReclusterResult = { topics: 0, moved: 0, merged: 0, created: 0 };
  try {
    r = await reclusterTopics(sql, now, cfg);
  } catch (err) {
    log?.warn({ err }, 'topic re-clustering failed');
  }
  const refreshed = await refreshActiveTopics(sql, now, cfg, { since: new Date(now.getTime() - cfg.assignment.reclusterDays * 86_400_000) });
  return { assigned, failed, recluster: r, refreshed };
}
