// 突增: counts far above a series' own baseline. Each series (a topic, a district) keeps hourly
// counts; its expected rate per hour is its mean over the baseline days (shrunk towards a prior),
// scaled by its hour-of-day and day-of-week profile; at each new message the counts in the last
// 15/30/60/120 minutes are tested against Poisson(expected): a burst when the count is at least
// `minCount` and P(X ≥ count) < alpha. Under the Poisson model the false alarms per week are at most
// tests per week × alpha (README 舆情 gives the figure); the eval command measures them on real data.
// A topic with no history (new) is tested against the prior rate with a higher minimum count: new,
// not a burst, unless its volume alone is significant.
import type { OpinionConfig } from './config';

/** log P(X ≥ k) for X ~ Poisson(mu). */
export function poissonTail(k: number, mu: number): number {
  if (k <= 0) return 1;
  if (mu <= 0) return 0;
  // sum the upper tail directly: stable for small mu and the k we test
  let logTerm = -mu + k * Math.log(mu) - logFactorial(k);
  let sum = 0;
  for (let i = k; i < k + 200; i++) {
    sum += Math.exp(logTerm);
    logTerm += Math.log(mu) - Math.log(i + 1);
    if (i > mu && Math.exp(logTerm) < sum * 1e-12) break;
  }
  return Math.min(1, sum);
}

function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

export interface HourCount {
  hour: Date;
  count: number;
}

export interface BurstTest {
  burst: boolean;
  /** the most significant window */
  windowMinutes: number;
  observed: number;
  expected: number;
  pValue: number;
}

const HOUR = 3_600_000;

/** Expected messages per hour at `at`, from the series' own hourly counts before the tested windows. */
export function expectedRate(history: HourCount[], at: Date, cfg: OpinionConfig['bursts'], startedAt?: Date): number {
  const end = at.getTime() - Math.max(...cfg.windowsMinutes) * 60_000;
  const begin = Math.max(end - cfg.baselineDays * 24 * HOUR, startedAt ? startedAt.getTime() : -Infinity);
  const hours = Math.max(0, (end - begin) / HOUR);
  const past = history.filter((h) => h.hour.getTime() >= begin && h.hour.getTime() < end);
  const total = past.reduce((s, h) => s + h.count, 0);
  // shrink towards the prior with a day of pseudo-observations
  const base = (total + cfg.priorPerHour * 24) / (hours + 24);
  if (total < 24) return base;
  // seasonal profile (hour of day, day of week), each bounded so a thin history cannot zero it
  const hod = new Array(24).fill(0);
  const dow = new Array(7).fill(0);
  for (const h of past) {
    const local = new Date(h.hour.getTime() + 8 * HOUR); // the city's time zone (UTC+8, no DST)
    hod[local.getUTCHours()] += h.count;
    dow[local.getUTCDay()] += h.count;
  }
  const local = new Date(at.getTime() + 8 * HOUR);
  const fHod = (hod[local.getUTCHours()] + 1) / (total / 24 + 1);
  const fDow = (dow[local.getUTCDay()] + 1) / (total / 7 + 1);
  const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
  return base * clamp(fHod, 0.5, 3) * clamp(fDow, 0.5, 2);
}

/**
 * Tests the series at `at`: `recent` are the times of its messages in the last two hours (the
 * longest window), `history` its hourly counts. `isNew`: the series has no history of its own.
 */
export function testBurst(recent: Date[], history: HourCount[], at: Date, cfg: OpinionConfig['bursts'], opts: { isNew?: boolean; startedAt?: Date } = {}): BurstTest {
  const rate = opts.isNew ? cfg.priorPerHour : expectedRate(history, at, cfg, opts.startedAt);
  const min = opts.isNew ? cfg.newTopicMinCount : cfg.minCount;
  let best: BurstTest = { burst: false, windowMinutes: cfg.windowsMinutes[0], observed: 0, expected: 0, pValue: 1 };
  for (const w of cfg.windowsMinutes) {
    const since = at.getTime() - w * 60_000;
    const observed = recent.filter((t) => t.getTime() > since && t.getTime() <= at.getTime()).length;
    const expected = (rate * w) / 60;
    const p = poissonTail(observed, expected);
    const burst = observed >= min && p < cfg.alpha;
    if ((burst && !best.burst) || (burst === best.burst && p < best.pValue)) best = { burst, windowMinutes: w, observed, expected: Math.round(expected * 1e6) / 1e6, pValue: p };
  }
  return best;
}
