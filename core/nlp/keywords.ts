// Keywords of a message for topics and search: jieba's TF-IDF extraction with our user
// dictionary and gazetteer words, minus stop words, numbers and one-character scraps.
import { createRequire } from 'node:module';
import { isDictionaryWord, isStopWord, segment } from './segment';

const require = createRequire(import.meta.url);
const jieba: {
  extract(text: string, topN: number): { word: string; weight: number }[];
  tag(text: string): { word: string; tag: string }[];
} = require('nodejieba');

// parts of speech that never name a topic: time, numerals, pronouns, adverbs, adjectives,
// prepositions, particles, conjunctions, locatives, measure words, interjections
const NON_TOPIC_TAGS = /^(t|tg|m|mq|r|rr|rz|d|dg|a|ad|p|u\w*|c|f|q|e|y|o|z|zg)$/;

// Words that appear in nearly every message to the government and say nothing about its topic.
const FILLER = new Set([
  '问题', '情况', '反映', '来电', '来电人', '市民', '网友', '领导', '您好', '你好', '尊敬', '谢谢', '感谢', '希望', '请问', '相关', '部门',
  '有关', '解决', '处理', '现在', '目前', '一直', '已经', '非常', '我们', '他们', '自己', '这个', '那个', '什么', '怎么', '为什么',
  '今天', '昨天', '时候', '看到', '知道', '觉得', '出现', '发现', '导致', '造成', '根本', '一下', '一个', '没有', '可以', '能够', '需要', '进行', '表示', '请求', '要求', '尽快', '某', '某某', '芜湖', '芜湖市',
]);

export interface Keyword {
  word: string;
  weight: number;
}

function usable(word: string): boolean {
  const w = word.trim();
  return w.length >= 2 && !/^[\d\p{P}\p{S}\s.%]+$/u.test(w) && !FILLER.has(w) && !isStopWord(w);
}

/**
 * A word that can name what a message is about. jieba's new-word guesses (tag 'x') are kept only
 * when they are ours (dictionary, gazetteer); negated or complement scraps ("不亮", "不上", "吵得")
 * describe, they do not name.
 */
function topical(word: string, tag: string | undefined): boolean {
  if (isDictionaryWord(word)) return true;
  if (tag && NON_TOPIC_TAGS.test(tag)) return false;
  if (tag === 'x') return false;
  return !(/^[不没别]/.test(word) && word.length <= 3);
}

/** Top keywords with TF-IDF weights, best first. */
export function extractKeywordsWeighted(text: string, topN = 8): Keyword[] {
  if (typeof text !== 'string' || !/[\p{L}\p{N}]/u.test(text)) return [];
  segment(''); // loads the user dictionary and stop words before extraction
  // Ask for more than needed: some of jieba's picks are filtered out below.
  const input = text.length > 20000 ? text.slice(0, 20000) : text;
  const picked = jieba.extract(input, topN * 3);
  const tags = new Map<string, string>();
  for (const t of jieba.tag(input)) if (!tags.has(t.word)) tags.set(t.word, t.tag);
  const out: Keyword[] = [];
  for (const k of picked) {
    if (!topical(k.word, tags.get(k.word))) continue;
    if (usable(k.word) && !out.some((o) => o.word === k.word)) out.push({ word: k.word, weight: Math.round(k.weight * 1000) / 1000 });
    if (out.length >= topN) break;
  }
  return out;
}

export function extractKeywords(text: string, topN = 8): string[] {
  return extractKeywordsWeighted(text, topN).map((k) => k.word);
}
