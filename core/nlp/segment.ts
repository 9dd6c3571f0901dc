// Chinese word segmentation: nodejieba with Minsheng's own user dictionary and stop words.
import { createRequire } from 'node:module';
import { shippedList } from '../shipped/store';

const require = createRequire(import.meta.url);
const jieba: { cut(text: string, hmm?: boolean): string[]; tag(text: string): { word: string; tag: string }[]; insertWord(word: string, tag?: string): boolean; load(opts: Record<string, string>): void } =
  require('nodejieba');

/** lexicons/userdict.txt ("word [freq] [tag]") and lexicons/stopwords.txt, read by the shipped-file loader */
export const shippedUserDict = shippedList('userdict.txt', { optional: true });
export const shippedStopWords = shippedList('stopwords.txt', { optional: true });

let loaded = false;
let stopWords: Set<string> = new Set();

function ensureLoaded(): void {
  if (loaded) return;
  loaded = true;
  // "word [freq] [tag]": nodejieba's insertWord takes no frequency, so only the tag is kept.
  for (const line of shippedUserDict()) {
    const [word, ...rest] = line.split(/\s+/);
    if (!word) continue;
    const tag = rest.find((f) => !/^\d+$/.test(f));
    if (tag) jieba.insertWord(word, tag);
    else jieba.insertWord(word);
    dictionaryWords.add(word);
  }
  stopWords = new Set(shippedStopWords());
}

/** Add words at run time (e.g. gazetteer names) so they are never split. */
export function addWords(words: Iterable<string>): void {
  ensureLoaded();
  for (const w of words) {
    if (!w) continue;
    jieba.insertWord(w);
    dictionaryWords.add(w);
  }
}

// words we added (user dictionary, gazetteer): known words even where jieba's tagger says 'x'
const dictionaryWords = new Set<string>();
export function isDictionaryWord(word: string): boolean {
  ensureLoaded();
  return dictionaryWords.has(word);
}

/** Raw segmentation, every token kept (punctuation and spaces included). Lone surrogates reach
 * the native side as U+FFFD, so malformed input never throws. */
export function cut(text: string): string[] {
  if (typeof text !== 'string' || !text) return [];
  ensureLoaded();
  return jieba.cut(text, true);
}

/** Content tokens: no whitespace, no punctuation-only tokens, no stop words. */
export function segment(text: string): string[] {
  const out: string[] = [];
  for (const t of cut(text)) {
    const w = t.trim();
    if (!w || /^[\p{P}\p{S}\s]+$/u.test(w) || stopWords.has(w)) continue;
    out.push(w);
  }
  return out;
}

/** Words with their part-of-speech tags (jieba's: n noun, ns place, nr name, v verb, x unknown…), every token kept. */
export function tagWords(text: string): { word: string; tag: string }[] {
  if (typeof text !== 'string' || !text) return [];
  ensureLoaded();
  return jieba.tag(text);
}

export function isStopWord(word: string): boolean {
  ensureLoaded();
  return stopWords.has(word);
}
