// The 舆情 settings the product ships (lexicons/opinion.json): topic assignment thresholds, the heat
// index's weights, the burst detector's false-alarm bound, and the words that never name a topic.
import { z } from 'zod';
import { shippedJson } from '../shipped/store';

const weight = z.number().min(0).max(10);
export const opinionConfigSchema = z.object({
  assignment: z.object({
    /** a topic takes new members while its last one is at most this old */
    windowDays: z.number().positive().max(365),
    /** cosine (TF-IDF) to join a topic when the message names one of the topic's places */
    joinSimilarity: z.number().min(0).max(1),
    /** cosine to join when it names none of them */
    joinSimilarityNoAnchor: z.number().min(0).max(1),
    /**
     * cosine to join when the message names one of the topic's places AND the problem object most
     * of its members name (停水 at 香樟湾): the same place and the same problem, told in other words
     */
    joinSimilarityProblem: z.number().min(0).max(1).default(0.08),
    /**
     * a message naming no place joins at the place bar (joinSimilarity) a topic of its district with
     * its problem object whose newest member is at most this many hours from it (a burst being reported)
     */
    problemJoinHours: z.number().min(0).max(24 * 7).default(24),
    /**
     * cosine to join (or merge) when the subject names another place than the topic's subjects do
     * and no place is shared: another place's problem, unless the texts are nearly the same
     */
    joinSimilarityElsewhere: z.number().min(0).max(1).default(0.6),
    /** re-clustering revisits the topics with a member in the last this many days (all their members) */
    reclusterDays: z.number().positive().max(365),
    /** re-clustering merges two topics of one district whose centroids are at least this alike */
    mergeSimilarity: z.number().min(0).max(1),
    maxCentroidTerms: z.number().int().min(10).max(2000),
    maxCandidates: z.number().int().min(1).max(5000),
  }),
  heat: z.object({
    weights: z.object({ volume: weight, growth: weight, engagement: weight, negative: weight, spread: weight, recency: weight }),
    volumeSaturation: z.number().positive(),
    engagementSaturation: z.number().positive(),
    recencyHalfLifeDays: z.number().positive(),
    growthRecentDays: z.number().positive(),
  }),
  bursts: z.object({
    alpha: z.number().positive().max(0.05),
    windowsMinutes: z.array(z.number().int().min(5).max(24 * 60)).min(1),
    minCount: z.number().int().min(2),
    newTopicMinCount: z.number().int().min(2),
    baselineDays: z.number().int().min(1).max(365),
    priorPerHour: z.number().positive(),
    quietHours: z.number().positive(),
  }),
  /** generic words mined from the messages the topic code sees (core/opinion/live-generic.ts) */
  liveGenericWords: z.object({
    /** mined once at least this many messages with a predicted category are counted */
    minMessages: z.number().int().min(100),
    minDocShare: z.number().min(0).max(1),
    /** the word is used in at least this many categories, at rates this even (normalised entropy) */
    minCategories: z.number().int().min(2),
    minEvenness: z.number().min(0).max(1),
  }).default({ minMessages: 1000, minDocShare: 0.004, minCategories: 6, minEvenness: 0.9 }),
  /**
   * Objects of lexicons/duplicate-topics.json that name an institution, not a problem (物业, 学校,
   * 医院): residents name them about every kind of problem there, so they neither join two messages
   * nor keep two apart (no concept term); the word itself stays an ordinary term.
   */
  institutionObjects: z.array(z.string().min(1)).default(['物业', '学校', '医院']),
  /** words that name a problem no other shipped lexicon lists (诈骗, 集资): a label's bare object yields to them */
  labelProblemWords: z.array(z.string().min(1)).default([]),
  recurring: z.object({ minWeeks: z.number().int().min(2), lookbackWeeks: z.number().int().min(2).max(104) }),
  genericWords: z.array(z.string().min(1)).refine((xs) => new Set(xs).size === xs.length, { message: '词表有重复' }),
  /** generic words mined from the seed corpus (core/opinion/generic-words.ts; a test keeps this copy equal to the miner's answer) */
  minedGenericWords: z.array(z.string().min(1)).refine((xs) => new Set(xs).size === xs.length, { message: '词表有重复' }).default([]),
});
export type OpinionConfig = z.infer<typeof opinionConfigSchema>;

export const opinionConfig: () => OpinionConfig = shippedJson('opinion.json', opinionConfigSchema);

let generic: { list: string[]; set: Set<string> } | null = null;
/** Words that say nothing about which problem a message is about (小时, 诉求, 了解, 转给, 答复…). */
export function isGenericWord(w: string): boolean {
  const cfg = opinionConfig();
  const list = cfg.genericWords;
  if (!generic || generic.list !== list) generic = { list, set: new Set([...list, ...cfg.minedGenericWords]) };
  return generic.set.has(w);
}
