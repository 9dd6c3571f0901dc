// Chinese word segmentation: nodejieba with Minsheng's own user dictionary and stop words.
import { createRequire } from 'node:module';
import { shippedList } from '../shipped/store';
import { loadJiebaOnce, type JiebaFiles, type JiebaLoadMode } from './segment-dict';

const require = createRequire(import.meta.url);
const jieba: JiebaFiles & { cut(text: string, hmm?: boolean): string[]; tag(text: string): { word: string; tag: string }[]; insertWord(word: string, tag?: string): boolean; load(opts: Record<string, string>): void } =
  require('nodejieba');

/** lexicons/userdict.txt ("word [freq] [tag]") and lexicons/stopwords.txt, read by the shipped-file loader */
export const shippedUserDict = shippedList('userdict.txt', { optional: true });
export const shippedStopWords = shippedList('stopwords.txt', { optional: true });

let loaded = false;
let loadMode: JiebaLoadMode | null = null;
let stopWords: Set<string> = new Set();

/** How jieba's dictionary was read ('pipe': one copy in memory; see segment-dict.ts), null before the first segmentation. */
export function jiebaLoadMode(): JiebaLoadMode | null {
  return loadMode;
}

function ensureLoaded(): void {
  if (loaded) return;
  // jieba's own files, the dictionary read once (nodejieba would read it twice on first use)
  loadMode = loadJiebaOnce(jieba, jieba);
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
  // only now: a load that threw part-way is done again by the next call, never left to nodejieba's
  // own first-use load (which has neither the user dictionary nor the stop words)
  loaded = true;
}

/** Add words at run time (e.g. gazetteer names) so they are never split. */
export function addWords(words: Iterable<string>): void {
  ensureLoaded();
  for (const w of words) {
    if (!w) continue;
    jieba.insertWord(w);
    dictionaryWords.add(w);
  }
  memo.fill(null); // the dictionary changed: earlier segmentations may differ now
  generation++;
}

let generation = 0;
/** Goes up whenever words are added: what was read from jieba's dictionary before (tags) may differ now. */
export function dictionaryGeneration(): number {
  return generation;
}

// words we added (user dictionary, gazetteer): known words even where jieba's tagger says 'x'
const dictionaryWords = new Set<string>();
export function isDictionaryWord(word: string): boolean {
  ensureLoaded();
  return dictionaryWords.has(word);
}

// One message is read by several readers (keywords, sentiment model, SimHash, tokens): the text is
// segmented once, by one jieba.cut call, and the readers share the result. A few texts are
// remembered (the message, its title…); a dictionary change forgets them.
interface Segmented {
  text: string;
  /** every token, as cut(text, true) */
  words: string[];
  /** content tokens (segment()), filled on first use */
  content: string[] | null;
}
const MEMO_SIZE = 4;
const memo: (Segmented | null)[] = new Array(MEMO_SIZE).fill(null);
let memoNext = 0;
const BOUNDARY_ONLY = /^[\p{P}\p{S}\s]+$/u;
// a token opening with a CJK ideograph or an ASCII letter or digit is not all punctuation: no regex needed
function boundaryOnly(w: string): boolean {
  const c = w.charCodeAt(0);
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return false;
  return BOUNDARY_ONLY.test(w);
}

/** The text segmented (shared, read-only: callers copy before changing). */
function segmented(text: string): Segmented {
  for (let i = 0; i < MEMO_SIZE; i++) {
    const m = memo[i];
    if (m !== null && m.text === text) return m;
  }
  ensureLoaded();
  const m: Segmented = { text, words: jieba.cut(text, true), content: null };
  memo[memoNext] = m;
  memoNext = (memoNext + 1) % MEMO_SIZE;
  return m;
}

/** Raw segmentation, every token kept (punctuation and spaces included). Lone surrogates reach
 * the native side as U+FFFD, so malformed input never throws. */
export function cut(text: string): string[] {
  if (typeof text !== 'string' || !text) return [];
  return segmented(text).words.slice();
}

/** cut() without the copy, for readers that only read the tokens. */
export function sharedCut(text: string): readonly string[] {
  if (typeof text !== 'string' || !text) return [];
  return segmented(text).words;
}

function contentTokens(m: Segmented): string[] {
  if (m.content) return m.content;
  const out: string[] = [];
  for (const t of m.words) {
    const w = t.trim();
    if (!w || stopWords.has(w) || boundaryOnly(w)) continue;
    out.push(w);
  }
  return (m.content = out);
}

/** Content tokens: no whitespace, no punctuation-only tokens, no stop words. */
export function segment(text: string): string[] {
  if (typeof text !== 'string' || !text) return [];
  return contentTokens(segmented(text)).slice();
}

/** segment() without the copy, for readers that only read the tokens. */
export function sharedSegment(text: string): readonly string[] {
  if (typeof text !== 'string' || !text) return [];
  return contentTokens(segmented(text));
}

/** Words with their part-of-speech tags (jieba's: n noun, ns place, nr name, v verb, x unknown…), every token kept. */
export function tagWords(text: string): { word: string; tag: string }[] {
  if (typeof text !== 'string' || !text) return [];
  ensureLoaded();
  return jieba.tag(text);
}

/**
 * jieba's tag of each of these tokens (tokens of a cut: no separator inside), in one call: the
 * tokens joined by newlines, which jieba's pre-filter always cuts at, so each comes back as it
 * was, tagged by the dictionary lookup the tagger gives it inside its text (the tag depends on the
 * word alone). null when a token does not come back whole (the caller tags the text instead).
 */
export function tagsOfTokens(tokens: readonly string[]): Map<string, string> | null {
  const out = new Map<string, string>();
  if (!tokens.length) return out;
  for (const t of tokens) if (!t || t.includes('\n')) return null;
  ensureLoaded();
  const tagged = jieba.tag(tokens.join('\n'));
  if (tagged.length !== tokens.length * 2 - 1) return null;
  for (let i = 0; i < tokens.length; i++) {
    const x = tagged[i * 2];
    if (x.word !== tokens[i] || (i > 0 && tagged[i * 2 - 1].word !== '\n')) return null;
    out.set(tokens[i], x.tag);
  }
  return out;
}

export function isStopWord(word: string): boolean {
  ensureLoaded();
  return stopWords.has(word);
}
