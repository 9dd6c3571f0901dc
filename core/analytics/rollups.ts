// The arithmetic of the rollups (core/db/rollups.ts holds their SQL): what one case contributes to
// the counters, the fixed duration buckets and the percentiles read from them, and the local day.
// Every analytics endpoint answers from these tables, never from a scan of raw messages.
import { isOpenStatus } from '../cases/statuses';

/** Asia/Shanghai has no daylight saving: a local day is the UTC instant shifted by eight hours. */
const LOCAL_OFFSET_MS = 8 * 3600_000;
export function localDay(t: Date): string {
  return new Date(t.getTime() + LOCAL_OFFSET_MS).toISOString().slice(0, 10);
}
/** The instant a local day starts. */
export function localDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - LOCAL_OFFSET_MS);
}

/**
 * Bucket upper bounds in minutes: 10 minutes, then ×1.25 each, up to 120 days, then one open bucket.
 * A percentile read from them (linear within its bucket) is off by at most the bucket's width, a
 * quarter of the value (and for durations under 10 minutes, 10 minutes); in practice a few percent.
 */
export const DURATION_BUCKETS_MIN: readonly number[] = (() => {
  const out: number[] = [];
  for (let b = 10; b < 120 * 1440; b *= 1.25) out.push(Math.round(b));
  return out;
})();

export function durationBucket(ms: number): number {
  const min = Math.max(0, ms) / 60_000;
  const i = DURATION_BUCKETS_MIN.findIndex((b) => min <= b);
  return i === -1 ? DURATION_BUCKETS_MIN.length : i;
}

/** The q-quantile (0–1) in minutes from bucket counts, linear within the bucket; null without data. */
export function quantileFromBuckets(counts: ReadonlyMap<number, number>, q: number): number | null {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (!total) return null;
  const target = q * total;
  let seen = 0;
  const last = DURATION_BUCKETS_MIN.length;
  for (let i = 0; i <= last; i++) {
    const n = counts.get(i) ?? 0;
    if (!n) continue;
    if (seen + n >= target) {
      const lo = i === 0 ? 0 : DURATION_BUCKETS_MIN[i - 1];
      // the open bucket past 120 days answers its lower bound: "at least"
      const hi = i === last ? lo : DURATION_BUCKETS_MIN[i];
      return Math.round(lo + ((target - seen) / n) * (hi - lo));
    }
    seen += n;
  }
  return DURATION_BUCKETS_MIN[last - 1];
}

/** rollup_cases' counters, in the order a fact stores them. */
export const CASE_COUNTERS = [
  'n', 'review', 'overdueOpen', 'respDue', 'respHit', 'onTimeDue', 'onTimeHit', 'closed', 'rated', 'satisfied', 'resolvedYes', 'resolvedAsked',
] as const;
export type CaseCounter = (typeof CASE_COUNTERS)[number];

export interface CaseDims {
  day: string;
  district: string;
  category: string;
  channel: string;
  sentiment: string;
  requestType: string;
  department: string;
  status: string;
}

/** The columns of a case (and its latest 回访 and whether it was ever closed) that its counts depend on. */
export interface CaseForRollup {
  createdAt: Date;
  district: string | null;
  category: string | null;
  channel: string;
  sentiment: string | null;
  requestType: string | null;
  departmentCode: string | null;
  status: string;
  needsReview: boolean;
  responseDueAt: Date | null;
  firstResponseAt: Date | null;
  resolveDueAt: Date | null;
  /** the reply waits for 答复审核: not sent, the resolution deadline still runs */
  replyPending: boolean;
  /** when the reply reached the resident (null while held): 按时办结 and the resolution time count from it */
  replySentAt: Date | null;
  everClosed: boolean;
  rating: string | null;
  /** the latest rating's answer to 问题是否解决 (true/false), null when not asked or not rated */
  resolved: boolean | null;
}

export interface CaseFact {
  dims: CaseDims;
  counters: number[];
  responseBucket: number | null;
  resolutionBucket: number | null;
  /** when a counter next changes by the clock alone (a deadline passing), or null */
  flipAt: Date | null;
}

/**
 * What one case adds to the rollups at `now`, by the 三率 definitions of core/analytics/metrics.ts:
 * 响应 due once the response deadline passed, hit when the first response came by it; 按时办结 due
 * once the reply reached the resident or past the resolution deadline, hit when it reached them by it
 * (a reply held for 答复审核 has not: the approval's time counts, not the department's); 超期在办
 * open, or its reply held, and past it.
 */
export function caseFact(c: CaseForRollup, now: Date): CaseFact {
  const t = now.getTime();
  const open = isOpenStatus(c.status);
  const respDue = c.responseDueAt !== null && c.responseDueAt.getTime() < t;
  const resolvePassed = c.resolveDueAt !== null && c.resolveDueAt.getTime() < t;
  const v: Record<CaseCounter, boolean> = {
    n: true,
    review: c.needsReview && open,
    overdueOpen: (open || c.replyPending) && resolvePassed,
    respDue,
    respHit: respDue && c.firstResponseAt !== null && c.firstResponseAt <= c.responseDueAt!,
    onTimeDue: c.replySentAt !== null || resolvePassed,
    onTimeHit: c.replySentAt !== null && c.resolveDueAt !== null && c.replySentAt <= c.resolveDueAt,
    closed: c.everClosed,
    rated: c.rating !== null,
    satisfied: c.rating === '满意' || c.rating === '基本满意',
    resolvedYes: c.resolved === true,
    resolvedAsked: c.resolved !== null,
  };
  const future = [c.responseDueAt, c.resolveDueAt].filter((d): d is Date => d !== null && d.getTime() >= t).map((d) => d.getTime());
  const counted = c.status !== 'merged';
  return {
    dims: {
      day: localDay(c.createdAt),
      district: c.district ?? '',
      category: c.category ?? '',
      channel: c.channel,
      sentiment: c.sentiment ?? '',
      requestType: c.requestType ?? '',
      department: c.departmentCode ?? '',
      status: c.status,
    },
    counters: CASE_COUNTERS.map((k) => (v[k] ? 1 : 0)),
    responseBucket: counted && c.firstResponseAt ? durationBucket(c.firstResponseAt.getTime() - c.createdAt.getTime()) : null,
    resolutionBucket: counted && c.replySentAt ? durationBucket(c.replySentAt.getTime() - c.createdAt.getTime()) : null,
    // a millisecond past the deadline: the comparisons above are strict
    flipAt: future.length ? new Date(Math.min(...future) + 1) : null,
  };
}

export function sameDims(a: CaseDims, b: CaseDims): boolean {
  return (Object.keys(a) as (keyof CaseDims)[]).every((k) => a[k] === b[k]);
}

/** The filters every statistics endpoint takes: a period of whole local days and three dimensions. */
export interface StatsFilter {
  /** first local day, inclusive (YYYY-MM-DD) */
  fromDay: string;
  /** last local day, inclusive */
  toDay: string;
  district?: string;
  category?: string;
  channel?: string;
}

/** The local days a period [from, to) covers. */
export function filterOf(o: { from: Date; to: Date; district?: string; category?: string; channel?: string }): StatsFilter {
  return { fromDay: localDay(o.from), toDay: localDay(new Date(o.to.getTime() - 1)), district: o.district, category: o.category, channel: o.channel };
}

export function daysOf(f: StatsFilter): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${f.fromDay}T00:00:00Z`), end = Date.parse(`${f.toDay}T00:00:00Z`); t <= end; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}
