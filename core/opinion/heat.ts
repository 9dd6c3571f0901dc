// 热度: a topic's heat, 0–100, from six parts each in [0, 1], weighted by lexicons/opinion.json:
// volume (log, saturating), growth (recent period against the one before), engagement (likes,
// reposts, comments, portal votes where the channel has them; log, saturating), negative intensity
// (mean negative sentiment), spread (channels, districts and days it is spoken of on), recency
// (exponential decay from its last message). README 舆情 says why each is there.
import type { OpinionConfig } from './config';

export interface HeatInput {
  size: number;
  /** messages in the last `growthRecentDays` and in the same span before it */
  recent: number;
  previous: number;
  engagement: number;
  /** summed negative intensity of the members, each in [0, 1] */
  negative: number;
  channels: number;
  districts: number;
  activeDays: number;
  lastAt: Date;
  now: Date;
}

export type HeatParts = Record<keyof OpinionConfig['heat']['weights'], number>;

const round = (x: number) => Math.round(x * 1000) / 1000;

export function heatParts(h: HeatInput, cfg: OpinionConfig['heat']): HeatParts {
  const sat = (x: number, s: number) => Math.min(1, Math.log1p(Math.max(0, x)) / Math.log1p(s));
  const ageDays = Math.max(0, (h.now.getTime() - h.lastAt.getTime()) / 86_400_000);
  return {
    volume: round(sat(h.size, cfg.volumeSaturation)),
    growth: round(h.recent > h.previous ? 1 - (h.previous + 1) / (h.recent + 1) : 0),
    engagement: round(sat(h.engagement, cfg.engagementSaturation)),
    negative: round(h.size ? Math.min(1, h.negative / h.size) : 0),
    spread: round(0.4 * Math.min(1, (h.channels - 1) / 3) + 0.3 * Math.min(1, (h.districts - 1) / 3) + 0.3 * sat(h.activeDays - 1, 30)),
    recency: round(Math.pow(0.5, ageDays / cfg.recencyHalfLifeDays)),
  };
}

export function heatIndex(parts: HeatParts, cfg: OpinionConfig['heat']): number {
  let sum = 0;
  let total = 0;
  for (const [k, w] of Object.entries(cfg.weights) as [keyof HeatParts, number][]) {
    sum += w * parts[k];
    total += w;
  }
  return total ? Math.round((100 * sum) / total * 100) / 100 : 0;
}
