// 合并: is a new message the same problem as an open case? Text likeness (SimHash, content
// bigrams, keywords) only counts within the same place and time window; conflicting places,
// categories or building numbers veto a merge, because a wrong merge hides a resident's problem.
import { z } from 'zod';
import { shippedJson } from '../shipped/store';
import { EMPTY_FINGERPRINT, hammingDistance } from '../nlp/fingerprint';

const topicsSchema = z.object({ version: z.literal(1), topics: z.array(z.object({ name: z.string().min(1), match: z.array(z.string().min(1)).min(1) })) });
const shippedTopics = shippedJson('duplicate-topics.json', topicsSchema);

/** The problem objects a text talks about (路灯, 井盖, 停水 …), from lexicons/duplicate-topics.json. */
export function topicsOf(text: string): Set<string> {
  return new Set(shippedTopics().topics.filter((t) => t.match.some((m) => text.includes(m))).map((t) => t.name));
}

export interface DuplicateSubject {
  text: string;
  fingerprint: string | null;
  keywords: string[];
  category: string | null;
  district: string | null;
  street: string | null;
  community: string | null;
}

export interface DuplicatePolicy {
  /** open cases received within this many days before the message */
  windowDays: number;
  /** merge at or above this confidence */
  minConfidence: number;
}
export const DEFAULT_DUPLICATE_POLICY: DuplicatePolicy = { windowDays: 7, minConfidence: 0.42 };

export interface DuplicateScore {
  confidence: number;
  hamming: number | null;
  bigram: number;
  keywords: number;
  /** problem objects both name */
  topics: string[];
  veto: string | null;
}

const known = (s: string | null | undefined): s is string => Boolean(s && s !== 'unknown');

/** Content characters' bigrams (digits kept: they name buildings and roads). */
export function contentBigrams(text: string): Set<string> {
  const chars = [...text.replace(/[\s\p{P}\p{S}*＊]+/gu, '').replace(/(您好|你好|请问|谢谢|麻烦|希望|尽快|相关部门|有关部门|解决|处理)/g, '')];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  return out;
}

// a message is scored against many candidates: the set of each feature array is built once
const sets = new WeakMap<readonly string[], Set<string>>();
function setOf(a: readonly string[]): Set<string> {
  let s = sets.get(a);
  if (!s) sets.set(a, (s = new Set(a)));
  return s;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n / (a.size + b.size - n);
}

function overlap(a: string[], b: string[]): number {
  const A = setOf(a);
  const B = setOf(b);
  if (!A.size || !B.size) return 0;
  let n = 0;
  for (const x of A) if (B.has(x)) n++;
  return n / Math.min(A.size, B.size);
}

/** "3栋" "5号楼" "12单元": numbered buildings; two messages naming only different ones are different problems. */
function buildingNumbers(text: string): Set<string> {
  return new Set([...text.matchAll(/(\d+)\s*(?:栋|幢|号楼|单元|号门)/g)].map((m) => m[1]));
}

/** Place names say where, not what: they are left out of the text likeness (the place gate judges them). */
function withoutPlaces(s: DuplicateSubject, other: DuplicateSubject): { text: string; keywords: string[] } {
  const names = [s.district, s.street, s.community, other.district, other.street, other.community].filter(known);
  let text = s.text;
  for (const n of names) text = text.split(n).join('');
  return { text, keywords: s.keywords.filter((k) => !names.some((n) => n.includes(k) || k.includes(n))) };
}

/** What the score needs of one side, computed once (and stored with the case when it opens). */
export interface DuplicateFeatures {
  fingerprint: string | null;
  category: string | null;
  district: string | null;
  street: string | null;
  community: string | null;
  /** content bigrams of the text without place names */
  bigrams: string[];
  /** keywords that are not place names */
  keywords: string[];
  /** problem objects named by the text without place names */
  topics: string[];
  /** building numbers of the full text */
  buildings: string[];
}

/** Features of a subject with the place names of `other` (and its own) left out of the text likeness. */
export function featuresOf(s: DuplicateSubject, other: DuplicateSubject = s): DuplicateFeatures {
  const p = withoutPlaces(s, other);
  return {
    fingerprint: s.fingerprint, category: s.category, district: s.district, street: s.street, community: s.community,
    bigrams: [...contentBigrams(p.text)], keywords: p.keywords, topics: [...topicsOf(p.text)], buildings: [...buildingNumbers(s.text)],
  };
}

/** 4 bands of 16 bits: two fingerprints within Hamming 3 agree on at least one band. */
export function simhashBands(fingerprint: string | null): string[] {
  if (!fingerprint || fingerprint === EMPTY_FINGERPRINT || !/^[0-9a-f]{16}$/i.test(fingerprint)) return [];
  return [0, 1, 2, 3].map((i) => `b${i}:${fingerprint.slice(i * 4, i * 4 + 4).toLowerCase()}`);
}

/**
 * The index keys a message and a candidate may share: SimHash bands ('b0:…'), problem objects ('t:…')
 * and keywords ('k:…'). The keys are place-free here; the index scopes them by place (`storedDupKeys`,
 * `lookupDupKeys`), so a key is only ever shared within one place. Which shared keys make a candidate:
 * `dupCandidateQualifies`.
 */
export function candidateKeys(f: DuplicateFeatures): string[] {
  return [...new Set([...simhashBands(f.fingerprint), ...f.topics.map((t) => `t:${t}`), ...f.keywords.map((k) => `k:${k}`)])];
}

/** Shared keyword keys that make a candidate without a shared band or object. */
export const DUP_KEYWORD_HITS = 2;
/** The newest cases read per key: the work per message is bounded whatever a place's case count. */
export const DUP_PER_KEY_LIMIT = 100;
/** The candidates scored per message (those sharing the most keys, then the newest). */
export const DUP_CANDIDATE_LIMIT = 50;

export type DupKeyKind = 'band' | 'object' | 'keyword';

/** The kind of a (place-scoped or not) index key. */
export function dupKeyKind(key: string): DupKeyKind {
  const k = key.slice(key.indexOf('|') + 1);
  return k.startsWith('b') ? 'band' : k.startsWith('t:') ? 'object' : 'keyword';
}

/**
 * Whether the keys a case shares with the message make it a candidate: a SimHash band (Hamming 3 or
 * nearer), a problem object and a keyword, or DUP_KEYWORD_HITS keywords. An object alone does not:
 * at a busy street one object (路灯) is shared by too many open cases to be worth scoring, and a
 * merge on it still needs the texts to agree. Mirrored by core/db/cases.ts duplicateCandidatesQuery.
 */
export function dupCandidateQualifies(shared: { band: number; object: number; keyword: number }): boolean {
  return shared.band > 0 || (shared.object > 0 && shared.keyword >= 1) || shared.keyword >= DUP_KEYWORD_HITS;
}

export interface DupPlace {
  district: string | null;
  street: string | null;
}

/**
 * The index rows of a case: each key under every place scope a message that may merge with it looks
 * in. The place gate of `scoreFeatures` lets a message merge with a case at the same street, or in
 * the same district when one of the two names no street; so a case is filed under its street
 * ('s:'), its district ('d:', where messages naming only the district look) and, when it names no
 * street, its district's streetless cases ('n:', where messages naming a street of that district look).
 */
export function storedDupKeys(keys: string[], p: DupPlace): string[] {
  const scopes: string[] = [];
  if (known(p.street)) scopes.push(`s:${p.street}`);
  if (known(p.district)) scopes.push(`d:${p.district}`);
  if (known(p.district) && !known(p.street)) scopes.push(`n:${p.district}`);
  return scopes.flatMap((s) => keys.map((k) => `${s}|${k}`));
}

/**
 * The index rows a message looks up: its street's cases and its district's streetless ones, or, naming
 * only a district, every case of the district. Exactly the cases the place gate does not veto.
 */
export function lookupDupKeys(keys: string[], p: DupPlace): string[] {
  const scopes: string[] = [];
  if (known(p.street)) {
    scopes.push(`s:${p.street}`);
    if (known(p.district)) scopes.push(`n:${p.district}`);
  } else if (known(p.district)) scopes.push(`d:${p.district}`);
  return scopes.flatMap((s) => keys.map((k) => `${s}|${k}`));
}

export function scoreDuplicate(a: DuplicateSubject, b: DuplicateSubject): DuplicateScore {
  return scoreFeatures(featuresOf(a, b), featuresOf(b, a));
}

/** The duplicate score from stored features alone (no text is read). */
export function scoreFeatures(a: DuplicateFeatures, b: DuplicateFeatures): DuplicateScore {
  const hamming = a.fingerprint && b.fingerprint && a.fingerprint !== EMPTY_FINGERPRINT && b.fingerprint !== EMPTY_FINGERPRINT
    ? hammingDistance(a.fingerprint, b.fingerprint)
    : null;
  const bigram = jaccard(setOf(a.bigrams), setOf(b.bigrams));
  const keywords = overlap(a.keywords, b.keywords);
  const simhash = hamming === null ? 0 : Math.max(0, (32 - hamming) / 32);
  const tb = setOf(b.topics);
  const shared = [...setOf(a.topics)].filter((t) => tb.has(t));
  const confidence = Math.round((0.4 * Math.min(1, bigram / 0.3) + 0.2 * keywords + 0.15 * simhash + (shared.length ? 0.25 : 0)) * 1000) / 1000;
  let veto: string | null = null;
  const samePlace =
    (known(a.street) && a.street === b.street) || (known(a.district) && a.district === b.district && !(known(a.street) && known(b.street)));
  if (known(a.district) && known(b.district) && a.district !== b.district) veto = 'district';
  else if (known(a.street) && known(b.street) && a.street !== b.street) veto = 'street';
  else if (known(a.community) && known(b.community) && a.community !== b.community) veto = 'community';
  else if (!samePlace) veto = 'place-unknown';
  else if (known(a.category) && known(b.category) && a.category !== b.category && (hamming === null || hamming > 6)) veto = 'category';
  else if (a.topics.length && b.topics.length && !shared.length) veto = 'topic';
  else if (a.buildings.length && b.buildings.length && !a.buildings.some((x) => b.buildings.includes(x))) veto = 'building';
  return { confidence, hamming, bigram: Math.round(bigram * 1000) / 1000, keywords: Math.round(keywords * 1000) / 1000, topics: shared, veto };
}

export function isDuplicate(s: DuplicateScore, policy: DuplicatePolicy = DEFAULT_DUPLICATE_POLICY): boolean {
  return s.veto === null && s.confidence >= policy.minConfidence;
}
