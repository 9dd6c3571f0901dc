// Keywords of a message for topics and search: jieba's TF-IDF extraction with our user
// dictionary and gazetteer words, minus stop words, numbers and one-character scraps.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dictionaryGeneration, isDictionaryWord, isStopWord, segment, sharedCut, tagsOfTokens, tagWords } from './segment';

const require = createRequire(import.meta.url);
const jiebaFiles: { DEFAULT_IDF_DICT: string; DEFAULT_STOP_WORD_DICT: string } = require('nodejieba');

// jieba's TF-IDF extraction (cppjieba's KeywordExtractor, as nodejieba.extract runs it) done here on
// the message's shared segmentation instead of a second native segmentation: the same idf file
// and stop words, the same weights (count × idf, the mean idf for unknown words) and the same
// order, ties included (std::map order of the words, then libstdc++'s partial_sort).
interface IdfTable {
  /** word → its index in `values` (small integers: no boxed number per word) */
  index: Map<string, number>;
  values: Float64Array;
  average: number;
  stop: Set<string>;
}
let idfTable: IdfTable | null = null;

/** The lines of a text file as getline reads them (none after a final newline), one at a time. */
function* lines(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    yield text.slice(start, end);
    start = end + 1;
  }
}

function loadIdf(): IdfTable {
  if (idfTable) return idfTable;
  const index = new Map<string, number>();
  let values = new Float64Array(1 << 18);
  let sum = 0;
  let lineCount = 0;
  for (const line of lines(readFileSync(jiebaFiles.DEFAULT_IDF_DICT, 'utf8'))) {
    lineCount++;
    if (!line) continue;
    const parts = splitLikeLimonp(line);
    if (parts.length !== 2) continue;
    const v = atof(parts[1]);
    // a copy of the word, so the map does not keep the whole file's text alive through slices
    const word = Buffer.from(parts[0], 'utf8').toString('utf8');
    let i = index.get(word);
    if (i === undefined) {
      i = index.size;
      index.set(word, i);
      if (i >= values.length) {
        const bigger = new Float64Array(values.length * 2);
        bigger.set(values);
        values = bigger;
      }
    }
    values[i] = v; // a repeated word keeps its last value, as the C++ map does; every line counts in the mean
    sum += v;
  }
  const stop = new Set<string>(lines(readFileSync(jiebaFiles.DEFAULT_STOP_WORD_DICT, 'utf8')));
  idfTable = { index, values, average: sum / Math.max(lineCount, 1), stop };
  return idfTable;
}

/** limonp::Split(line, res, " "): pieces between single spaces, no empty piece at the end. */
function splitLikeLimonp(line: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < line.length) {
    const end = line.indexOf(' ', start);
    if (end < 0) {
      out.push(line.slice(start));
      break;
    }
    out.push(line.slice(start, end));
    start = end + 1;
  }
  return out;
}

/** C's atof: the longest leading number, 0 when there is none. */
function atof(s: string): number {
  const m = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(s);
  return m ? Number(m[0]) : 0;
}

/** std::string's order: bytes of UTF-8, i.e. code points (JS's < orders UTF-16 units). */
function codePointCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1; // a surrogate (astral code point) sorts after any other BMP unit above it
    return x - y;
  }
  return a.length - b.length;
}

const SURROGATE = /[\uD800-\uDFFF]/;

interface Weighted {
  word: string;
  weight: number;
}

// libstdc++'s heap algorithms with comp(a, b) = a.weight > b.weight, as std::partial_sort runs them
const comp = (a: Weighted, b: Weighted) => a.weight > b.weight;
function pushHeap(v: Weighted[], first: number, hole: number, top: number, value: Weighted): void {
  let parent = Math.floor((hole - 1) / 2);
  while (hole > top && comp(v[first + parent], value)) {
    v[first + hole] = v[first + parent];
    hole = parent;
    parent = Math.floor((hole - 1) / 2);
  }
  v[first + hole] = value;
}
function adjustHeap(v: Weighted[], first: number, hole: number, len: number, value: Weighted): void {
  const top = hole;
  let second = hole;
  while (second < Math.floor((len - 1) / 2)) {
    second = 2 * (second + 1);
    if (comp(v[first + second], v[first + second - 1])) second--;
    v[first + hole] = v[first + second];
    hole = second;
  }
  if ((len & 1) === 0 && second === Math.floor((len - 2) / 2)) {
    second = 2 * (second + 1);
    v[first + hole] = v[first + second - 1];
    hole = second - 1;
  }
  pushHeap(v, first, hole, top, value);
}
function popHeap(v: Weighted[], first: number, last: number, result: number): void {
  const value = v[result];
  v[result] = v[first];
  adjustHeap(v, first, 0, last - first, value);
}
function partialSort(v: Weighted[], middle: number): void {
  // __heap_select
  if (middle >= 2) {
    let parent = Math.floor((middle - 2) / 2);
    for (;;) {
      adjustHeap(v, 0, parent, middle, v[parent]);
      if (parent === 0) break;
      parent--;
    }
  }
  for (let i = middle; i < v.length; i++) if (comp(v[i], v[0])) popHeap(v, 0, middle, i);
  // __sort_heap
  for (let last = middle; last > 1; ) {
    last--;
    popHeap(v, 0, last, last);
  }
}

/** nodejieba.extract(text, topN) computed from the text's tokens (every token, as cut(text, true)). */
export function tfidfFromTokens(words: readonly string[], topN: number): Weighted[] {
  const t = loadIdf();
  const counts = new Map<string, number>();
  for (const w of words) {
    // IsSingleWord: one code point
    const cp = w.codePointAt(0);
    if (cp === undefined || w.length === (cp > 0xffff ? 2 : 1) || t.stop.has(w)) continue;
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const keys = [...counts.keys()];
  // code point order is UTF-16 order (the default sort's) unless a word holds a surrogate
  let astral = false;
  for (const k of keys) if (SURROGATE.test(k)) { astral = true; break; }
  if (astral) keys.sort(codePointCompare);
  else keys.sort();
  const v: Weighted[] = keys.map((word) => {
    const i = t.index.get(word);
    return { word, weight: counts.get(word)! * (i === undefined ? t.average : t.values[i]) };
  });
  const n = Math.min(topN, v.length);
  partialSort(v, n);
  v.length = n;
  return v;
}

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

const TAG_BATCH = 10;
const TAG_CACHE_MAX = 200_000;
const tagCache = new Map<string, string>();
let tagCacheGeneration = -1;

/** Top keywords with TF-IDF weights, best first. */
export function extractKeywordsWeighted(text: string, topN = 8): Keyword[] {
  if (typeof text !== 'string' || !/[\p{L}\p{N}]/u.test(text)) return [];
  segment(''); // loads the user dictionary and stop words before extraction
  // Ask for more than needed: some of jieba's picks are filtered out below.
  const input = text.length > 20000 ? text.slice(0, 20000) : text;
  const picked = tfidfFromTokens(sharedCut(input), topN * 3);
  // The tags of the picked words that are read (the loop stops at topN), a batch at a time in one
  // small jieba call each, as tagging the whole text gives them (a word's tag is the dictionary's);
  // the whole text is tagged when a batch does not come back whole.
  // a word's tag is the dictionary's (the same in every text): tags read before are remembered
  // until the dictionary changes, and only the others are asked of jieba
  if (tagCacheGeneration !== dictionaryGeneration() || tagCache.size > TAG_CACHE_MAX) {
    tagCache.clear();
    tagCacheGeneration = dictionaryGeneration();
  }
  const tags = new Map<string, string>();
  const untagged: string[] = [];
  for (const k of picked) {
    if (isDictionaryWord(k.word)) continue;
    const known = tagCache.get(k.word);
    if (known !== undefined) tags.set(k.word, known);
    else untagged.push(k.word);
  }
  let next = 0;
  let wholeText = false;
  const tagOf = (word: string): string | undefined => {
    while (!tags.has(word) && !wholeText && next < untagged.length) {
      const batch = tagsOfTokens(untagged.slice(next, next + TAG_BATCH));
      next += TAG_BATCH;
      if (batch) for (const [w, t] of batch) { tags.set(w, t); tagCache.set(w, t); }
      else {
        wholeText = true;
        for (const t of tagWords(input)) if (!tags.has(t.word)) tags.set(t.word, t.tag);
      }
    }
    return tags.get(word);
  };
  const out: Keyword[] = [];
  for (const k of picked) {
    if (!topical(k.word, isDictionaryWord(k.word) ? undefined : tagOf(k.word))) continue;
    if (usable(k.word) && !out.some((o) => o.word === k.word)) out.push({ word: k.word, weight: Math.round(k.weight * 1000) / 1000 });
    if (out.length >= topN) break;
  }
  return out;
}

export function extractKeywords(text: string, topN = 8): string[] {
  return extractKeywordsWeighted(text, topN).map((k) => k.word);
}
