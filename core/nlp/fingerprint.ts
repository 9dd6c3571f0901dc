// 64-bit SimHash of a message for the duplicate merge: near-identical complaints about the same
// problem land a few bits apart, unrelated ones about half the bits apart. Features are content
// words (weighted by length and count) plus character bigrams, so rewording and
// segmentation slips move the hash only a little.
import { sharedSegment } from './segment';

const NOT_FEATURE = /[\s\p{P}\p{S}]+/gu;

const MAX_CHARS = 20000;

// Two independent 32-bit FNV-1a style hashes → 64 bits, of a feature's name ('w:' + word or
// 'b:' + two characters). The state after the two-character prefix is the same for every feature
// of a kind, so it is computed once and the name is never built.
const H1 = 0x811c9dc5;
const H2 = 0x01000193 ^ 0x5bd1e995;
let hashHi = 0;
let hashLo = 0;

function feed(h: [number, number], c: number): void {
  h[0] = Math.imul(h[0] ^ c, 0x01000193);
  let h2 = Math.imul(h[1] ^ c, 0x5bd1e995);
  h2 ^= h2 >>> 15;
  h[1] = h2;
}
const prefixState = (a: string, b: string): [number, number] => {
  const h: [number, number] = [H1, H2];
  feed(h, a.charCodeAt(0));
  feed(h, b.charCodeAt(0));
  return h;
};
const WORD = prefixState('w', ':');
const BIGRAM = prefixState('b', ':');

/** The 64-bit hash of prefix + s (into hashHi, hashLo). */
function hash64(prefix: readonly [number, number], s: string): void {
  let h1 = prefix[0];
  let h2 = prefix[1];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  // final avalanche so short features spread over all bits
  h1 ^= h1 >>> 16; h1 = Math.imul(h1, 0x85ebca6b); h1 ^= h1 >>> 13; h1 = Math.imul(h1, 0xc2b2ae35); h1 ^= h1 >>> 16;
  h2 ^= h2 >>> 16; h2 = Math.imul(h2, 0x85ebca6b); h2 ^= h2 >>> 13; h2 = Math.imul(h2, 0xc2b2ae35); h2 ^= h2 >>> 16;
  hashHi = h1 >>> 0;
  hashLo = h2 >>> 0;
}

export const EMPTY_FINGERPRINT = '0000000000000000';

const v = new Float64Array(64);

function addFeature(prefix: readonly [number, number], f: string, count: number): void {
  const w = 1 + Math.log(count); // repeated words count, but sublinearly
  hash64(prefix, f);
  const hi = hashHi;
  const lo = hashLo;
  for (let b = 0; b < 32; b++) {
    v[b] += (hi >>> b) & 1 ? w : -w;
    v[32 + b] += (lo >>> b) & 1 ? w : -w;
  }
}

export function simhash(text: string): string {
  if (typeof text !== 'string') return EMPTY_FINGERPRINT;
  const t = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  // words, then bigrams, each in order of first appearance (the order the weights are summed in)
  const words = new Map<string, number>();
  for (const w of sharedSegment(t)) words.set(w, (words.get(w) ?? 0) + (w.length >= 2 ? 2 : 1));
  // character bigrams (by code point) of the text without spaces, punctuation and symbols
  const bigrams = new Map<string, number>();
  const kept = t.replace(NOT_FEATURE, '');
  let prev = '';
  for (let i = 0; i < kept.length; ) {
    const c = kept.charCodeAt(i);
    const step = c >= 0xd800 && c <= 0xdbff && i + 1 < kept.length && (kept.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    const ch = step === 1 ? kept[i] : kept.slice(i, i + 2);
    if (prev) {
      const f = prev + ch;
      bigrams.set(f, (bigrams.get(f) ?? 0) + 1);
    }
    prev = ch;
    i += step;
  }
  if (words.size === 0 && bigrams.size === 0) return EMPTY_FINGERPRINT;
  v.fill(0);
  for (const [f, count] of words) addFeature(WORD, f, count);
  for (const [f, count] of bigrams) addFeature(BIGRAM, f, count);
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 32; b++) {
    if (v[b] > 0) hi |= 1 << b;
    if (v[32 + b] > 0) lo |= 1 << b;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

const POP4 = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];

/** Bits that differ between two 16-hex-digit fingerprints (0–64). */
export function hammingDistance(a: string, b: string): number {
  if (!/^[0-9a-f]{16}$/i.test(a) || !/^[0-9a-f]{16}$/i.test(b)) throw new Error(`hammingDistance: not 64-bit hex fingerprints: "${a}", "${b}"`);
  let d = 0;
  for (let i = 0; i < 16; i++) d += POP4[parseInt(a[i], 16) ^ parseInt(b[i], 16)];
  return d;
}

/** 1 for identical fingerprints, about 0.5 for unrelated texts, 0 for opposite ones. */
export function similarity(a: string, b: string): number {
  return 1 - hammingDistance(a, b) / 64;
}

/** Duplicate candidates for the merge: at most `maxDistance` bits apart (default 12 of 64; unrelated texts sit near 32). */
export function isNearDuplicate(a: string, b: string, maxDistance = 12): boolean {
  if (a === EMPTY_FINGERPRINT || b === EMPTY_FINGERPRINT) return false;
  return hammingDistance(a, b) <= maxDistance;
}
