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

/** The final avalanche, so short features spread over all bits, into hashHi, hashLo. */
function settle(h1: number, h2: number): void {
  h1 ^= h1 >>> 16; h1 = Math.imul(h1, 0x85ebca6b); h1 ^= h1 >>> 13; h1 = Math.imul(h1, 0xc2b2ae35); h1 ^= h1 >>> 16;
  h2 ^= h2 >>> 16; h2 = Math.imul(h2, 0x85ebca6b); h2 ^= h2 >>> 13; h2 = Math.imul(h2, 0xc2b2ae35); h2 ^= h2 >>> 16;
  hashHi = h1 >>> 0;
  hashLo = h2 >>> 0;
}

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
  settle(h1, h2);
}

export const EMPTY_FINGERPRINT = '0000000000000000';

const v = new Float64Array(64);


// Bigram counts in order of first appearance, keyed by the two code points (cp1 · 2²¹ + cp2, exact
// in a double): an open-addressing table reused across calls (a stamp per slot empties it in O(1)),
// so no string is built or hashed per bigram.
let slotKeys = new Float64Array(4096);
let slotIdx = new Int32Array(4096);
let slotStamp = new Int32Array(4096);
let stamp = 0;
let orderKeys = new Float64Array(2048);
let orderCounts = new Int32Array(2048);
let nBigrams = 0;

function resetBigrams(expected: number): void {
  let cap = slotKeys.length;
  while (cap < expected * 2) cap *= 2;
  if (cap !== slotKeys.length) {
    slotKeys = new Float64Array(cap);
    slotIdx = new Int32Array(cap);
    slotStamp = new Int32Array(cap);
    stamp = 0;
  }
  if (orderKeys.length < expected) {
    orderKeys = new Float64Array(expected * 2);
    orderCounts = new Int32Array(expected * 2);
  }
  if (++stamp > 0x7ffffff0) {
    slotStamp.fill(0);
    stamp = 1;
  }
  nBigrams = 0;
}

function countBigram(key: number): void {
  const mask = slotKeys.length - 1;
  let i = Math.imul((key >>> 0) ^ Math.imul((key / 4294967296) | 0, 0x85ebca6b), 0x9e3779b1) & mask;
  while (slotStamp[i] === stamp) {
    if (slotKeys[i] === key) {
      orderCounts[slotIdx[i]]++;
      return;
    }
    i = (i + 1) & mask;
  }
  slotStamp[i] = stamp;
  slotKeys[i] = key;
  slotIdx[i] = nBigrams;
  orderKeys[nBigrams] = key;
  orderCounts[nBigrams++] = 1;
}

/** The hash of 'b:' + the two code points of a bigram key (their UTF-16 units, as the string would hold them). */
function hashBigram(key: number): void {
  let h1 = BIGRAM[0];
  let h2 = BIGRAM[1];
  const cp1 = Math.floor(key / 2097152);
  const cp2 = key - cp1 * 2097152;
  for (let k = 0; k < 2; k++) {
    const cp = k === 0 ? cp1 : cp2;
    const units = cp > 0xffff ? 2 : 1;
    for (let u = 0; u < units; u++) {
      const c = units === 1 ? cp : u === 0 ? 0xd800 + ((cp - 0x10000) >> 10) : 0xdc00 + ((cp - 0x10000) & 0x3ff);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
  }
  settle(h1, h2);
}

function addHashed(count: number): void {
  const w = 1 + Math.log(count); // repeated words count, but sublinearly
  const hi = hashHi;
  const lo = hashLo;
  // branch-free: the bits are random, so a conditional mispredicts half the time (w · ±1 is exactly ±w)
  for (let b = 0; b < 32; b++) {
    v[b] += w * ((((hi >>> b) & 1) << 1) - 1);
    v[32 + b] += w * ((((lo >>> b) & 1) << 1) - 1);
  }
}

export function simhash(text: string): string {
  if (typeof text !== 'string') return EMPTY_FINGERPRINT;
  const t = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  // words, then bigrams, each in order of first appearance (the order the weights are summed in)
  const words = new Map<string, number>();
  for (const w of sharedSegment(t)) words.set(w, (words.get(w) ?? 0) + (w.length >= 2 ? 2 : 1));
  // character bigrams (by code point; a lone surrogate is a code point of its own) of the text
  // without spaces, punctuation and symbols
  const kept = t.replace(NOT_FEATURE, '');
  resetBigrams(kept.length + 1);
  let prev = -1;
  for (let i = 0; i < kept.length; ) {
    const c = kept.charCodeAt(i);
    let cp = c;
    let step = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < kept.length) {
      const d = kept.charCodeAt(i + 1);
      if ((d & 0xfc00) === 0xdc00) {
        cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        step = 2;
      }
    }
    if (prev >= 0) countBigram(prev * 2097152 + cp);
    prev = cp;
    i += step;
  }
  if (words.size === 0 && nBigrams === 0) return EMPTY_FINGERPRINT;
  v.fill(0);
  for (const [f, count] of words) {
    hash64(WORD, f);
    addHashed(count);
  }
  for (let j = 0; j < nBigrams; j++) {
    hashBigram(orderKeys[j]);
    addHashed(orderCounts[j]);
  }
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
