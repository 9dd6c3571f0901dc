// Generic words mined from the live messages (issue 10.1). The shipped lists (lexicons/opinion.json
// genericWords, minedGenericWords) come from our small seed corpus, which cannot tell that 加快 or
// 刻不容缓 are said about every kind of problem; the messages the topic code sees can. Each message's
// words are counted under its predicted category (migration 0111); re-clustering mines, with the
// seed miner's criteria (genericFromCounts), the words spread evenly over the categories. (Not over
// the districts as well: one district's large topic using 加快 made it uneven there, and most
// districts of a public data set have a handful of messages.) Such a word weighs 0 in the topic likeness and never names a topic.
// A problem object (停水, 路灯: lexicons/duplicate-topics.json), a problem word (安全, 事故: problem-words.ts)
// or a word naming a place is never one.
import { topicsOf } from '../cases/duplicates';
import type { Db, Sql } from '../db/connect';
import { countCategoryDocs, listCategoryCounts, listGenericWords, saveGenericWords } from '../db/opinion-generic';
import type { OpinionConfig } from './config';
import { genericFromCounts } from './generic-words';
import { isPlaceWord } from './features';
import { isProblemWord } from './problem-words';
import { flushTermCounts } from './term-counts';

const CATEGORY = 'c:';

/** The groups a message's distinct words are counted under: its predicted category (none when unread). */
export function liveWordGroups(category: string | null): string[] {
  return category && category !== 'unknown' ? [CATEGORY + category] : [];
}

export interface LiveGeneric {
  words: { word: string; docs: number; groups: number; evenness: number }[];
  /** messages counted under a category */
  messages: number;
}

/**
 * The words even over the categories (the seed miner's criteria); null when fewer than minMessages messages are counted yet (the spread of a word is then noise).
 */
export async function mineLiveGenericWords(sql: Db, cfg: OpinionConfig['liveGenericWords']): Promise<LiveGeneric | null> {
  await flushTermCounts(sql); // this process' counts as of now (a transaction's caller flushes first)
  const messages = await countCategoryDocs(sql);
  if (messages < cfg.minMessages) return null;
  const minDocs = Math.max(2, Math.ceil(cfg.minDocShare * messages));
  const skip = (w: string) => topicsOf(w).size > 0 || isProblemWord(w) || isPlaceWord(w);
  const cats = await listCategoryCounts(sql, minDocs);
  const words = genericFromCounts(cats.groups, cats.words, messages, cfg, skip);
  return { messages, words: words.map((w) => ({ word: w.word, docs: w.docs, groups: w.categories, evenness: w.evenness })) };
}

/** Mines and stores the live generic words (a no-op before minMessages); returns how many there are. */
export async function refreshLiveGenericWords(sql: Sql, now: Date, cfg: OpinionConfig['liveGenericWords']): Promise<number | null> {
  const mined = await mineLiveGenericWords(sql, cfg);
  if (!mined) return null;
  await saveGenericWords(sql, mined.words, now);
  return mined.words.length;
}

/** The stored live generic words, for the topic code. */
export async function liveGenericWords(sql: Db): Promise<Set<string>> {
  return new Set((await listGenericWords(sql)).map((w) => w.word));
}
