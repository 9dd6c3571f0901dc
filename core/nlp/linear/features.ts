// Text → hashed feature keys: character n-grams over normalised UTF-16 code units (no
// segmentation needed, so tens of thousands of messages a second), optional jieba words,
// and a separate namespace for n-grams of the opening characters, where a title usually sits.

export interface FeatureConfig {
  /** character n-gram orders, inclusive */
  minN: number;
  maxN: number;
  /** n-grams from the first `prefixChars` characters are emitted again in their own namespace */
  prefixChars: number;
  prefixMaxN: number;
  /** n-grams from the last `suffixChars` characters (where a writer's closing request sits) are
   * emitted again in a third namespace, up to prefixMaxN */
  suffixChars: number;
  /** fold every ASCII digit to '0' so that dates and phone numbers share features */
  foldDigits: boolean;
  /** n-grams never span punctuation (punctuation itself yields no feature) */
  punctBreaks: boolean;
  /** longer texts keep their head (80 %) and tail (20 %) */
  maxChars: number;
  /** jieba word unigrams as an extra namespace (slow: about 5,000 messages/s alone) */
  words: boolean;
  /** word n-gram orders up to this (1 = unigrams; 2 adds adjacent pairs within a clause) */
  wordMaxN: number;
  /** keep stop words (不, 没, 很…) among the word features: sentiment needs them, topics do not */
  wordStopWords: boolean;
  /** words within this many tokens after a negation (不, 没…) in the same clause also emit a
   * NOT_-marked twin, so 不 + 满意 differs from 满意 (0 = off) */
  negationScope: number;
}

export const DEFAULT_FEATURES: FeatureConfig = {
  minN: 1,
  maxN: 2,
  prefixChars: 0,
  prefixMaxN: 2,
  suffixChars: 0,
  foldDigits: false,
  punctBreaks: true,
  maxChars: 3000,
  words: false,
  wordMaxN: 1,
  wordStopWords: false,
  negationScope: 0,
};

/** Negation words that open a NOT_ scope in the word view. */
const NEGATORS = new Set(['不', '没', '没有', '无', '未', '别', '非', '不是', '并不', '并非', '毫无', '从不', '从未', '绝不', '不太', '不够', '不怎么', '一点也不', '一点都不', '不算', '谈不上', '算不上']);

const BOUNDARY = /^[\p{P}\p{S}\s]+$/u;
// a token opening with a CJK ideograph or an ASCII letter or digit is not all punctuation: no regex needed
const isBoundary = (w: string) => {
  const c = w.charCodeAt(0);
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return false;
  return BOUNDARY.test(w);
};

// the two 32-bit lanes of a word hash, carried across the words of a pair (module state: no
// allocation per call in this hot path)
let lane1 = 0;
let lane2 = 0;
function hashRun(w: string): void {
  for (let j = 0; j < w.length; j++) {
    const c = w.charCodeAt(j);
    lane1 = Math.imul(lane1 ^ c, P1);
    lane2 = Math.imul(lane2 ^ c, P2);
    lane2 ^= lane2 >>> 15;
  }
}
const laneKey = () => (lane1 >>> 0) + (lane2 & 0x1fffff) * 4294967296;

function wordKey(w: string, seed1: number, seed2: number): number {
  lane1 = seed1 | 0;
  lane2 = seed2 | 0;
  hashRun(w);
  return laneKey();
}

/** The key of `prev + '\u0001' + w` (a word pair), hashed in one pass without building the string. */
function pairKey(prev: string, w: string, seed1: number, seed2: number): number {
  lane1 = seed1 | 0;
  lane2 = seed2 | 0;
  hashRun(prev);
  hashRun('\u0001');
  hashRun(w);
  return laneKey();
}

// whitespace as String.prototype.trim sees it, for the first and last code unit of a token
const isTrimSpace = (c: number) =>
  c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

/** Word-view features from a token stream that may still hold punctuation (a clause break). */
function wordKeys(tokens: readonly string[], cfg: FeatureConfig): number[] {
  const keys: number[] = [];
  let prev: string | null = null;
  let scope = 0;
  for (const raw of tokens) {
    // trim only when an end is white space (jieba's tokens rarely are): no new string otherwise
    const w = raw.length && !isTrimSpace(raw.charCodeAt(0)) && !isTrimSpace(raw.charCodeAt(raw.length - 1)) ? raw : raw.trim();
    if (!w || isBoundary(w)) { prev = null; scope = 0; continue; }
    keys.push(wordKey(w, 0x6a09e667, 0x3f84d5b5));
    if (cfg.wordMaxN >= 2 && prev !== null) keys.push(pairKey(prev, w, 0x510e527f, 0x1f83d9ab));
    if (scope > 0) { keys.push(wordKey(w, 0x5be0cd19, 0x137e2179)); scope--; }
    if (cfg.negationScope > 0 && NEGATORS.has(w)) scope = cfg.negationScope;
    prev = w;
  }
  return keys;
}

const BREAK = 0;
const SPACE = 32;

function isPunct(c: number): boolean {
  if (c < 128) return !((c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90));
  return (
    (c >= 0x2000 && c <= 0x206f) || // general punctuation
    (c >= 0x3000 && c <= 0x303f) || // CJK symbols and punctuation
    (c >= 0xff00 && c <= 0xff0f) ||
    (c >= 0xff1a && c <= 0xff20) ||
    (c >= 0xff3b && c <= 0xff40) ||
    (c >= 0xff5b && c <= 0xff65) ||
    (c >= 0xfe30 && c <= 0xfe4f) || // CJK compatibility forms
    c === 0xa0 || c === 0xb7 || c === 0xd7 || c === 0xfeff || c === 0xfffd
  );
}

/** Whether the text holds anything worth classifying (a letter, digit or CJK character). */
export function hasContent(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** Head and tail of an over-long text; never splits a surrogate pair on purpose, but lone
 * surrogates are harmless here because features are built from code units. */
export function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = Math.floor(maxChars * 0.8);
  return text.slice(0, head) + ' ' + text.slice(text.length - (maxChars - head));
}

let codeBuf = new Uint16Array(4096);

/** Normalised code units: full-width ASCII → ASCII, lower case, whitespace runs → one space,
 * punctuation → BREAK (when punctBreaks). Returns the length written into `codeBuf`. */
function normalise(text: string, cfg: FeatureConfig): number {
  if (codeBuf.length < text.length + 1) codeBuf = new Uint16Array(text.length * 2 + 16);
  const buf = codeBuf;
  let n = 0;
  let last = BREAK;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    else if (c === 0x3000) c = SPACE;
    if (c <= SPACE || c === 0x85 || c === 0xa0 || c === 0x2028 || c === 0x2029) {
      if (last === SPACE || last === BREAK) continue;
      c = SPACE;
    } else if (c >= 65 && c <= 90) c += 32;
    else if (cfg.foldDigits && c >= 48 && c <= 57) c = 48;
    else if (cfg.punctBreaks && isPunct(c)) {
      if (last === BREAK) continue;
      if (last === SPACE) n--;
      c = BREAK;
    }
    buf[n++] = c;
    last = c;
  }
  return n;
}

// Two independent multiplicative hashes give a 53-bit key: 32 bits (also the table slot) + 21 bits.
const P1 = 0x01000193;
const P2 = 0x5bd1e995;

export type Segmenter = (text: string) => readonly string[];

/** Writes the keys of the n-grams (minN..maxN) starting in [from, to) and ending before `to` into out[k…]; returns the new k. */
function ngramKeys(buf: Uint16Array, from: number, to: number, minN: number, maxN: number, seed1: number, seed2: number, out: Float64Array, k: number): number {
  for (let i = from; i < to; i++) {
    let h1 = seed1 | 0;
    let h2 = seed2 | 0;
    for (let n = 1; n <= maxN && i + n <= to; n++) {
      const c = buf[i + n - 1];
      if (c === BREAK) break;
      h1 = Math.imul(h1 ^ c, P1);
      h2 = Math.imul(h2 ^ c, P2);
      h2 ^= h2 >>> 15;
      if (n >= minN) out[k++] = (h1 >>> 0) + (h2 & 0x1fffff) * 4294967296;
    }
  }
  return k;
}

/** Appends the feature keys of `text` to `out` (growing it) and returns [out, count]. */
export function extractKeys(
  text: string,
  cfg: FeatureConfig,
  out: Float64Array,
  segmenter?: Segmenter,
): [Float64Array, number] {
  const len = normalise(text, cfg);
  const buf = codeBuf;
  const prefixEnd = Math.min(len, cfg.prefixChars);
  const suffixStart = Math.max(0, len - (cfg.suffixChars ?? 0));
  const upper = len * (cfg.maxN - cfg.minN + 1) + (prefixEnd + len - suffixStart) * cfg.prefixMaxN + 16;
  if (out.length < upper) out = new Float64Array(upper * 2);
  let k = 0;
  // every n-gram of the text, then those of its head (prefix) and of its tail (suffix), each family
  // with hash seeds of its own so that the same characters make different keys
  k = ngramKeys(buf, 0, len, cfg.minN, cfg.maxN, 0x811c9dc5, 0x2545f491, out, k);
  k = ngramKeys(buf, 0, prefixEnd, 1, cfg.prefixMaxN, 0x3c6ef372, 0x1b873593, out, k);
  k = ngramKeys(buf, suffixStart, len, 1, cfg.prefixMaxN, 0x6b43a9b5, 0x2f9be6cd, out, k);
  if (cfg.words && segmenter) {
    const words = wordKeys(segmenter(text), cfg);
    if (out.length < k + words.length) {
      const bigger = new Float64Array((k + words.length) * 2);
      bigger.set(out.subarray(0, k));
      out = bigger;
    }
    for (const key of words) out[k++] = key;
  }
  return [out, k];
}
