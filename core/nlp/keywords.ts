// Keywords of a message for topics and search: jieba's TF-IDF extraction with our user
// dictionary and gazetteer words, minus stop words, numbers and one-character scraps.
import { createRequire } from 'node:module';
import { isStopWord, segment } from './segment';

const require = createRequire(import.meta.url);
const jieba: { extract(text: string, topN: number): { word: string; weight: number }[] } = require('nodejieba');

// Words that appear in nearly every message to the government and say nothing about its topic.
const FILLER = new Set([
  '问题', '情况', '反映', '来电', '来电人', '市民', '网友', '领导', '您好', '你好', '尊敬', '谢谢', '感谢', '希望', '请问', '相关', '部门',
  '有关', '解决', '处理', '现在', '目前', '一直', '已经', '非常', '我们', '他们', '自己', '这个', '那个', '什么', '怎么', '为什么',
  '今天', '昨天', '时候', '一下', '一个', '没有', '可以', '能够', '需要', '进行', '表示', '请求', '要求', '尽快', '某', '某某', '芜湖', '芜湖市',
]);

export interface Keyword {
  word: string;
  weight: number;
}

function usable(word: string): boolean {
  const w = word.trim();
  return w.length >= 2 && !/^[\d\p{P}\p{S}\s.%]+$/u.test(w) && !FILLER.has(w) && !isStopWord(w);
}

/** Top keywords with TF-IDF weights, best first. */
export function extractKeywordsWeighted(text: string, topN = 8): Keyword[] {
  if (typeof text !== 'string' || !/[\p{L}\p{N}]/u.test(text)) return [];
  segment(''); // loads the user dictionary and stop words before extraction
  // Ask for more than needed: some of jieba's picks are filtered out below.
  const picked = jieba.extract(text.length > 20000 ? text.slice(0, 20000) : text, topN * 3);
  const out: Keyword[] = [];
  for (const k of picked) {
    if (usable(k.word) && !out.some((o) => o.word === k.word)) out.push({ word: k.word, weight: Math.round(k.weight * 1000) / 1000 });
    if (out.length >= topN) break;
  }
  return out;
}

export function extractKeywords(text: string, topN = 8): string[] {
  return extractKeywordsWeighted(text, topN).map((k) => k.word);
}
