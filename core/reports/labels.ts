// The words a report prints, shared by its HTML and its PDF.
export const CHANNEL_LABELS: Record<string, string> = { wechat: '微信', weibo: '微博', portal: '留言板', hotline: '12345热线' };

export const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v * 1000) / 10}%`);

/** 2026-12-02T03:04:05Z → 2026-12-02 11:04 (Beijing time) */
export function beijingTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export const burstMark = (b: 'none' | 'new' | 'burst') => (b === 'burst' ? ' ▲突增' : b === 'new' ? ' ●新' : '');

/** what the department table's order and its dashes mean */
export const DEPARTMENT_NOTE = '按按时办结率从高到低排列（相同时工单多者在前）；“—”表示本期没有可计算该比率的工单（如尚无到期或已回访的工单）。';

/** what the hot-topic table's columns mean */
export const TOPIC_NOTE = '本期留言：本期内该话题的留言数；累计：话题自出现以来的留言数；热度 0–100（留言量、互动、时效、增长、负面、扩散综合）。▲突增 ●新话题。';

/** the days the sentiment trend covers, and its unit */
export function trendNote(d: { kind: 'daily' | 'weekly'; periodStart: string; periodLast: string; sentimentTrend: { day: string }[] }): string {
  return d.kind === 'daily'
    ? `近 7 日每日留言（${d.sentimentTrend[0]?.day ?? d.periodStart} 至 ${d.periodLast}），按情感分；单位：条。`
    : `本周每日留言（${d.periodStart} 至 ${d.periodLast}），按情感分；单位：条。`;
}

/** said instead of a flat chart when the days shown have no message */
export const NO_TREND = '所列日期均无留言，不绘制走势图。';

/** a burst's count beside the baseline's expectation: an expectation under 0.01 is not "0" (nothing was expected, not none) */
export const observedExpected = (b: { observed: number; expected: number }) => `${b.observed} / ${b.expected < 0.01 ? '<0.01' : b.expected}`;
