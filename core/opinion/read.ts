// The read side of the topic store, for the API: hot topics in a window (public), one topic with
// its members and trend (staff), and recurring problems (每月一题, staff). Every figure comes from the
// topic tables and their hourly rollups that the workers keep, never from a scan of raw messages;
// the cockpit's channel and category filters cut them by the facet rollup (migration 0116).
import { OPEN_STATUSES } from '../cases/statuses';
import type { Db } from '../db/connect';
import {
  countTopicMessagesBetween, countTopicMessagesInWindow, getTopic, hasFacets, listHours, listMembers, listTopicBursts, listTopicCases, listTopicsActiveBetween,
  listTopicsByFacetVolume, listTopicsByIds, listTopicWeeks, topicWindowFigures, type BurstState, type TopicFacets, type TopicRow,
} from '../db/topics';
import { CONCEPT_PREFIX } from './features';
import { opinionConfig, type OpinionConfig } from './config';
// a sample kept by an older version is masked again with today's rules on every read (as alerts and reports are)
import { maskPublicText } from './sample';

export interface HotTopic {
  /** the topic's id as text (stable across refreshes and re-clustering) */
  key: string;
  id: number;
  label: string;
  district: string | null;
  place: string | null;
  /** the topic's main problem word (its label's first phrase) */
  keyword: string;
  keywords: string[];
  /** the topic's heat; in a filtered view (channel, category), times `share` */
  heat: number;
  /** the topic's own heat, whatever the filter */
  topicHeat: number;
  /** of the topic's messages in the window, the share the filter keeps (1 unfiltered) */
  share: number;
  heatParts: Record<string, number>;
  /** messages in the window (of the filter's channel and category) */
  volume: number;
  cases: number;
  open: number;
  /** messages of the topic in the previous window */
  previous: number;
  growth: number | null;
  /** the burst detector's verdict: counts far above the topic's own baseline within the window */
  burst: boolean;
  /** first seen within the window (new is not a burst unless the detector says so) */
  isNew: boolean;
  burstState: BurstState;
  negative: number;
  negativeShare: number;
  topCategory: string | null;
  /** the most representative PUBLIC message, masked; a topic of private messages shows none */
  sampleTitle: string;
}

export interface HotTopics {
  days: number;
  from: Date;
  to: Date;
  previousFrom: Date;
  /** messages in topics in the window (of the filter) */
  messages: number;
  /** what the figures are cut by (null: all) */
  filter: { district: string | null; channel: string | null; category: string | null };
  topics: HotTopic[];
}

/** The cockpit's filters of a topic read: the topic's district (未识别: none), its messages' channel and category. */
export type TopicFilter = TopicFacets & { district?: string };

/**
 * The label the public may see: built from the topic's public messages only (label, place and
 * problem words: core/opinion/topics.ts), so a private message's words or place never show; with
 * no public message, its district and the problem objects it names (停水, 电梯… from the shipped
 * lexicon).
 */
export function publicLabel(t: Pick<TopicRow, 'label' | 'labelTerms' | 'place' | 'publicLabel' | 'publicPlace' | 'publicLabelTerms' | 'publicSize' | 'district' | 'centroid' | 'size'>): { label: string; terms: string[]; place: string | null } {
  if (t.publicSize > 0 && t.publicLabel) return { label: t.publicLabel, terms: t.publicLabelTerms, place: t.publicPlace };
  // a topic stored before public labels were kept: its own label only when every member is public
  if (t.publicSize > 0 && t.publicSize >= t.size) return { label: t.label, terms: t.labelTerms, place: t.place };
  const concepts = Object.entries(t.centroid).filter(([k, w]) => k.startsWith(CONCEPT_PREFIX) && w >= Math.max(1, t.size) * 1.2)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 2).map(([k]) => k.slice(CONCEPT_PREFIX.length));
  return { label: [t.district ?? '区县未识别', concepts.join('、') || '未公开留言'].join('·'), terms: concepts, place: null };
}

/**
 * The hottest topics with messages in [from, to) (`from` defaults to `days` before `to`, `to` to now), beside the window as long before it.
 * With a filter (`o.filter`): the topics of its district with messages of its channel and category,
 * every figure counting those messages only, ranked by the filtered heat — the topic's heat times
 * the share of its window's messages the filter keeps — from the facet rollup.
 */
export async function getHotTopics(sql: Db, o: { days: number; now?: Date; from?: Date; limit?: number; minVolume?: number; filter?: TopicFilter }): Promise<HotTopics> {
  const to = o.now ?? new Date();
  const from = o.from ?? new Date(to.getTime() - o.days * 86_400_000);
  const span = to.getTime() - from.getTime();
  const previousFrom = new Date(from.getTime() - span);
  const limit = o.limit ?? 10;
  const minVolume = o.minVolume ?? 2;
  const filter = o.filter ?? {};
  const filtered = hasFacets(filter) || filter.district !== undefined;
  const facets: TopicFacets | undefined = hasFacets(filter) ? { channel: filter.channel, category: filter.category } : undefined;
  const ranked = filtered
    ? await listTopicsByFacetVolume(sql, from, to, filter, Math.max(200, limit * 10))
    : (await listTopicsActiveBetween(sql, from, to, Math.max(200, limit * 10))).map((topic) => ({ topic, volume: null, total: null }));
  const candidates = ranked.map((r) => r.topic);
  const shares = new Map(ranked.map((r) => [r.topic.id, r.volume !== null && r.total ? r.volume / r.total : 1]));
  const ids = candidates.map((t) => t.id);
  const figures = await topicWindowFigures(sql, ids, from, to, OPEN_STATUSES, facets);
  const previous = await countTopicMessagesBetween(sql, ids, previousFrom, from, facets);
  const topics: HotTopic[] = [];
  for (const t of candidates) {
    const f = figures.get(t.id);
    if (!f || f.volume < minVolume) continue;
    const share = shares.get(t.id) ?? 1;
    const prev = previous.get(t.id) ?? 0;
    const shown = publicLabel(t);
    const terms = shown.terms;
    topics.push({
      key: String(t.id), id: t.id, label: shown.label, district: t.district, place: shown.place,
      keyword: terms[0] ?? shown.label, keywords: terms.length ? terms : [shown.label],
      heat: share === 1 ? t.heat : Math.round(t.heat * share * 1000) / 1000, topicHeat: t.heat, share: Math.round(share * 1000) / 1000, heatParts: t.heatParts, volume: f.volume, cases: f.cases, open: f.open, previous: prev,
      growth: prev ? Math.round(((f.volume - prev) / prev) * 1000) / 1000 : null,
      burst: t.burstState === 'burst' && !!t.burstAt && t.burstAt >= from,
      isNew: t.firstAt >= from, burstState: t.burstState,
      negative: f.negative, negativeShare: Math.round((f.negative / f.volume) * 1000) / 1000, topCategory: f.topCategory,
      sampleTitle: t.publicSample != null ? maskPublicText(t.publicSample) : `${shown.label}相关留言（均未公开）`,
    });
    if (topics.length >= limit) break;
  }
  return {
    days: o.from ? Math.round(span / 86_400_000) : o.days, from, to, previousFrom, messages: await countTopicMessagesInWindow(sql, from, to, filter),
    filter: { district: filter.district ?? null, channel: filter.channel ?? null, category: filter.category ?? null }, topics,
  };
}

export interface TopicDetail {
  topic: {
    id: number; label: string; district: string | null; place: string | null; terms: string[]; size: number; heat: number; heatParts: Record<string, number>;
    firstAt: Date; lastAt: Date; status: 'active' | 'merged'; mergedInto: number | null; burstState: BurstState; burstAt: Date | null; channels: string[]; sample: string | null;
  };
  /** members, newest first; text masked (public samples only; private messages show no text) */
  members: { messageId: number; caseId: number | null; receivedAt: Date; channel: string; isPublic: boolean; negative: boolean; similarity: number; text: string | null }[];
  hourly: { hour: Date; count: number }[];
  daily: { day: string; count: number }[];
  bursts: { startedAt: Date; lastAt: Date; observed: number; expected: number; pValue: number; windowHours: number }[];
  /** the channel and category the members and counts are cut by (null: all) */
  filter: { channel: string | null; category: string | null };
}

/**
 * One topic for staff; a merged topic answers with its survivor's id in `mergedInto`. With
 * `o.facets`, the members, hourly and daily counts are those of the channel and category only
 * (from the facet rollup); the topic's own figures stay whole.
 */
export async function getTopicDetail(sql: Db, id: number, o: { days?: number; now?: Date; facets?: TopicFacets } = {}): Promise<TopicDetail | null> {
  const t = await getTopic(sql, id);
  if (!t) return null;
  const now = o.now ?? new Date();
  const since = new Date(Math.max(t.firstAt.getTime() - 3_600_000, now.getTime() - (o.days ?? 90) * 86_400_000));
  const hourly = await listHours(sql, { topicId: id }, since, undefined, o.facets);
  const daily = new Map<string, number>();
  for (const h of hourly) {
    const day = new Date(h.hour.getTime() + 8 * 3_600_000).toISOString().slice(0, 10); // local (UTC+8) day
    daily.set(day, (daily.get(day) ?? 0) + h.count);
  }
  const members = (await listMembers(sql, id, 500, o.facets)).reverse();
  return {
    topic: {
      id: t.id, label: t.label, district: t.district, place: t.place, terms: t.labelTerms, size: t.size, heat: t.heat, heatParts: t.heatParts,
      firstAt: t.firstAt, lastAt: t.lastAt, status: t.status, mergedInto: t.mergedInto, burstState: t.burstState, burstAt: t.burstAt, channels: t.channels, sample: t.publicSample && maskPublicText(t.publicSample),
    },
    members: members.map((m) => ({
      messageId: m.messageId, caseId: m.caseId, receivedAt: m.receivedAt, channel: m.channel, isPublic: m.isPublic, negative: m.negative > 0,
      similarity: Math.round(m.similarity * 1000) / 1000, text: m.sample ? maskPublicText(m.sample) : null,
    })),
    hourly,
    daily: [...daily].map(([day, count]) => ({ day, count })),
    bursts: (await listTopicBursts(sql, id)).map((b) => ({ startedAt: b.startedAt, lastAt: b.lastAt, observed: b.observed, expected: b.expected, pValue: b.pValue, windowHours: b.windowHours })),
    filter: { channel: o.facets?.channel ?? null, category: o.facets?.category ?? null },
  };
}

export interface RecurringProblem {
  topicId: number;
  label: string;
  district: string | null;
  place: string | null;
  /** weeks (local, Monday first) with at least one message, in the look-back */
  weeks: number;
  /** the longest run of consecutive such weeks */
  longestRun: number;
  messages: number;
  firstWeek: Date;
  lastWeek: Date;
  /** the cases behind the problem the caller may see (department users: their department's), all of them */
  caseCount: number;
  /** the newest 20 of them */
  cases: { caseId: number; trackingNo: string; status: string; title: string | null; receivedAt: Date }[];
}

/**
 * 每月一题: topics that come back week after week in the same place — a topic is one problem in one
 * place, so its weeks with messages say how often it returns. Ranked by weeks, then the longest run
 * of consecutive weeks, then messages; with the cases behind each. With `o.facets` a week counts
 * when it has messages of that channel and category (the facet rollup).
 */
export async function getRecurringProblems(
  sql: Db,
  o: {
    now?: Date; weeks?: number; minWeeks?: number; limit?: number;
    /** the period's end (the cockpit's `to`): the look-back ends there, and nothing received after it counts */
    to?: Date;
    /** a department user's department: only its cases are listed behind each problem */
    departmentCode?: string;
    /** only the messages of this channel and category count (weeks, messages, the cases behind them) */
    facets?: TopicFacets;
  } = {},
  cfg: OpinionConfig = opinionConfig(),
): Promise<{ since: Date; until: Date; problems: RecurringProblem[] }> {
  const until = o.to;
  const now = until ?? o.now ?? new Date();
  const lookback = o.weeks ?? cfg.recurring.lookbackWeeks;
  const minWeeks = o.minWeeks ?? cfg.recurring.minWeeks;
  const since = new Date(now.getTime() - lookback * 7 * 86_400_000);
  const rows = await listTopicWeeks(sql, since, until, o.facets);
  const byTopic = new Map<number, { week: Date; n: number }[]>();
  for (const r of rows) byTopic.set(Number(r.topicId), [...(byTopic.get(Number(r.topicId)) ?? []), { week: new Date(r.week), n: r.n }]);
  const WEEK = 7 * 86_400_000;
  const ranked: Omit<RecurringProblem, 'label' | 'district' | 'place' | 'cases' | 'caseCount'>[] = [];
  for (const [topicId, weeks] of byTopic) {
    if (weeks.length < minWeeks) continue;
    weeks.sort((a, b) => a.week.getTime() - b.week.getTime());
    let run = 1;
    let longest = 1;
    for (let i = 1; i < weeks.length; i++) {
      run = Math.round((weeks[i].week.getTime() - weeks[i - 1].week.getTime()) / WEEK) === 1 ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
    ranked.push({ topicId, weeks: weeks.length, longestRun: longest, messages: weeks.reduce((s, w) => s + w.n, 0), firstWeek: weeks[0].week, lastWeek: weeks[weeks.length - 1].week });
  }
  ranked.sort((a, b) => b.weeks - a.weeks || b.longestRun - a.longestRun || b.messages - a.messages || a.topicId - b.topicId);
  const top = ranked.slice(0, o.limit ?? 20);
  const topics = new Map((await listTopicsByIds(sql, top.map((r) => r.topicId))).map((t) => [t.id, t]));
  const cases = await listTopicCases(sql, top.map((r) => r.topicId), 20, { departmentCode: o.departmentCode, until, facets: o.facets });
  return {
    since,
    until: now,
    problems: top.map((r) => {
      const t = topics.get(r.topicId);
      return {
        ...r, label: t?.label ?? '', district: t?.district ?? null, place: t?.place ?? null,
        caseCount: cases.find((c) => Number(c.topicId) === r.topicId)?.total ?? 0,
        cases: cases.filter((c) => Number(c.topicId) === r.topicId).map((c) => ({ caseId: Number(c.caseId), trackingNo: c.trackingNo, status: c.status, title: c.title, receivedAt: c.receivedAt })),
      };
    }),
  };
}
