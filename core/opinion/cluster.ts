// The clustering itself, free of storage: TF-IDF cosine between a message and a topic's centroid,
// the join rule (same district; a shared named place or a high likeness), and the re-clustering
// that merges and splits topics while keeping ids stable by majority overlap.
import type { OpinionConfig } from './config';
import { CONCEPT_PREFIX, SUBJECT_PLACE, type MessageFeatures } from './features';

/** Background document frequencies: how many messages contain each term, out of `docs`. */
export interface TermStats {
  docs: number;
  df(term: string): number;
  /** the live generic words (core/opinion/live-generic.ts): weight 0, never in a label */
  generic?: ReadonlySet<string>;
}

/**
 * Whether a term is a live generic word or a bigram with one at either end (加快建设 is 加快 plus
 * 建设): such terms weigh 0, as the shipped generic words, which never enter a term at all.
 */
export function isLiveGeneric(stats: TermStats, term: string): boolean {
  const g = stats.generic;
  if (!g || !g.size) return false;
  if (g.has(term)) return true;
  const chars = [...term];
  for (let k = 2; k <= Math.min(4, chars.length - 2); k++) {
    if (g.has(chars.slice(0, k).join('')) || g.has(chars.slice(chars.length - k).join(''))) return true;
  }
  return false;
}

export type Terms = Record<string, number>;

/**
 * Pseudo-messages the IDF assumes besides those counted, in none of which a term occurs: on a young
 * corpus (a new city, a test, the first hour of a burst) the burst's own words are most of what was
 * counted, and a raw IDF would call 停水 common because fifteen residents just said it, so their
 * messages would look less alike the more of them came. 150 weighs little once thousands are counted.
 */
export const IDF_PRIOR_DOCS = 150;

/** How rare a term is in the whole corpus (labels: what is distinctive of a topic against all messages). */
export function idf(stats: TermStats, term: string): number {
  return Math.log((stats.docs + 1) / (stats.df(term) + 1)) + 1;
}

/** The IDF of the topic likeness (assignment, re-clustering, merging): the corpus plus IDF_PRIOR_DOCS. */
export function likenessIdf(stats: TermStats, term: string): number {
  return Math.log((stats.docs + IDF_PRIOR_DOCS + 1) / (stats.df(term) + 1)) + 1;
}

function weighted(terms: Terms, stats: TermStats, scale = 1): Map<string, number> {
  const v = new Map<string, number>();
  for (const [t, w] of Object.entries(terms)) if (!isLiveGeneric(stats, t)) v.set(t, (w / scale) * likenessIdf(stats, t));
  return v;
}

export function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [, x] of a) na += x * x;
  for (const [, y] of b) nb += y * y;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const [t, x] of small) {
    const y = large.get(t);
    if (y) dot += x * y;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** What assignment needs to know of a topic. */
export interface TopicShape {
  id: number;
  district: string | null;
  centroid: Terms;
  /** named place → members naming it */
  anchors: Record<string, number>;
  size: number;
  /** its newest member's time (for the no-place rule; unknown: the rule does not apply) */
  lastAt?: Date;
}

export interface Choice {
  topicId: number | null;
  similarity: number;
}

interface Prepared {
  shape: TopicShape;
  vec: Map<string, number>;
  /** the problem objects at least 40 % of the members name, the most named first */
  concepts: string[];
}

/** The problem objects at least 40 % of a topic's members name, the most named first. */
function conceptsOfCentroid(t: TopicShape): string[] {
  const size = Math.max(1, t.size);
  return Object.entries(t.centroid).filter(([k, w]) => k.startsWith(CONCEPT_PREFIX) && w >= size * 3 * 0.4)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
}

function prepare(t: TopicShape, stats: TermStats): Prepared {
  return { shape: t, vec: weighted(t.centroid, stats, Math.max(1, t.size)), concepts: conceptsOfCentroid(t) };
}

/** What the join rule reads of a candidate: its shape and its problem objects (most named first). */
interface Candidate {
  shape: TopicShape;
  concepts: string[];
}

function chooseAmong<P extends Candidate>(f: MessageFeatures, candidates: Iterable<P>, likeness: (p: P) => number, cfg: OpinionConfig['assignment'], at?: Date): Choice {
  const mine = Object.keys(f.terms).filter((k) => k.startsWith(CONCEPT_PREFIX));
  let best: Choice = { topicId: null, similarity: 0 };
  for (const p of candidates) {
    const t = p.shape;
    // a message that names no district may join a district's topic about a place it names, and a
    // topic opened by such a message may take a district's message about its place
    const shared = f.anchors.some((a) => (t.anchors[a] ?? 0) > 0);
    if (t.district !== f.district && !(shared && (f.district === null || t.district === null))) continue;
    // two texts that each name problem objects (停水, 路灯…) but none in common are about different problems
    if (mine.length && p.concepts.length && !mine.some((k) => p.concepts.includes(k))) continue;
    const sim = likeness(p);
    // the same place and the problem object most of its members name: one problem in other words,
    // whose wording differs more than the bar allows (short texts, the burst's own words common)
    const sameObject = mine.some((k) => p.concepts.includes(k));
    // a message that names no place at all (南瑞街道停水了) but the problem object of a topic of its
    // district that is being reported right now: the place bar, not the no-place one
    const nowReported = !f.anchors.length && sameObject && t.district === f.district && !!at && !!t.lastAt
      && Math.abs(at.getTime() - t.lastAt.getTime()) <= cfg.problemJoinHours * 3_600_000;
    // a subject about another place than the one the topic's subjects name (银杏苑停水 beside a
    // topic of 香樟湾停水): the same words are another estate's outage, unless nearly the same text
    const elsewhere = !shared && subjectPlaces(f.anchors).length > 0 && mainSubjectPlaces(t).length > 0;
    // the place must be what both are about: named in the message's subject and in the subjects of
    // half the topic's members (not a road one member passed, nor a road named in passing in the body)
    const sharedMain = subjectPlaces(f.anchors).some((a) => (t.anchors[a] ?? 0) * 2 >= Math.max(1, t.size));
    const bar = sharedMain && sameObject ? cfg.joinSimilarityProblem : shared || nowReported ? cfg.joinSimilarity
      : elsewhere ? Math.max(cfg.joinSimilarityNoAnchor, cfg.joinSimilarityElsewhere) : cfg.joinSimilarityNoAnchor;
    if (sim >= bar && sim > best.similarity) best = { topicId: t.id, similarity: sim };
  }
  return best;
}

/** The places a message names in its subject (marked in its anchors). */
function subjectPlaces(anchors: string[]): string[] {
  return anchors.filter((a) => a.startsWith(SUBJECT_PLACE));
}

/** The places at least half of a topic's members name in their subjects (marked). */
function mainSubjectPlaces(t: Pick<TopicShape, 'anchors' | 'size'>): string[] {
  return Object.entries(t.anchors).filter(([k, n]) => k.startsWith(SUBJECT_PLACE) && n * 2 >= Math.max(1, t.size)).map(([k]) => k);
}

function alikePrepared(a: Prepared, b: Prepared, cfg: OpinionConfig['assignment']): boolean {
  // two topics each naming problem objects (停水, 路灯…) but none in common stay apart, as messages do
  if (a.concepts.length && b.concepts.length && !a.concepts.some((k) => b.concepts.includes(k))) return false;
  const sim = cosine(a.vec, b.vec);
  const shared = Object.keys(b.shape.anchors).some((x) => a.shape.anchors[x]);
  // two topics whose subjects name two places and no place in common: two places' problems
  if (!shared && mainSubjectPlaces(a.shape).length && mainSubjectPlaces(b.shape).length) return sim >= Math.max(cfg.mergeSimilarity, cfg.joinSimilarityElsewhere);
  if (sim >= cfg.mergeSimilarity) return true;
  if (shared && sim >= Math.max(cfg.joinSimilarity, cfg.mergeSimilarity * 0.8)) return true;
  // the same main place (named by half the members of each) and the same problem objects: one
  // problem told in other words (楼下饭店油烟太大 and 烧烤店油烟扰民), alike at the join bar
  const main = (t: TopicShape) => Object.entries(t.anchors).filter(([, n]) => n * 2 >= Math.max(1, t.size)).map(([k]) => k);
  const mainB = main(b.shape);
  const samePlace = main(a.shape).some((x) => mainB.includes(x));
  // … and with the same main problem object, at the bar of a message naming the topic's place and object
  const mainSubjectB = mainSubjectPlaces(b.shape);
  const sameSubjectPlace = mainSubjectPlaces(a.shape).some((x) => mainSubjectB.includes(x));
  if (sameSubjectPlace && !!a.concepts[0] && a.concepts[0] === b.concepts[0] && sim >= Math.min(cfg.joinSimilarity, cfg.joinSimilarityProblem)) return true;
  if (!samePlace || sim < cfg.joinSimilarity) return false;
  const [few, many] = a.concepts.length <= b.concepts.length ? [a.concepts, b.concepts] : [b.concepts, a.concepts];
  // the same problem objects, or the same main one (the object most members of each name)
  return (few.length > 0 && few.every((k) => many.includes(k))) || (!!a.concepts[0] && a.concepts[0] === b.concepts[0]);
}

/**
 * Whether two topics of one district are about one problem: their centroids at least
 * `mergeSimilarity` alike, or 0.8 of it when they share a named place, and no disjoint problem
 * objects. Re-clustering merges such topics (the larger keeps its id).
 */
export function topicsAlike(a: TopicShape, b: TopicShape, stats: TermStats, cfg: OpinionConfig['assignment']): boolean {
  return a.district === b.district && alikePrepared(prepare(a, stats), prepare(b, stats), cfg);
}

/** The topics of `some` alike to at least one of `others` (each centroid weighed once). */
export function topicsAlikeToAny(some: TopicShape[], others: TopicShape[], stats: TermStats, cfg: OpinionConfig['assignment']): TopicShape[] {
  const prepared = others.map((t) => prepare(t, stats));
  return some.filter((t) => {
    const p = prepare(t, stats);
    return prepared.some((o) => o.shape.district === t.district && alikePrepared(p, o, cfg));
  });
}

/** The topic a message joins (the most alike over the bar), or null: it starts one. */
export function chooseTopic(f: MessageFeatures, candidates: TopicShape[], stats: TermStats, cfg: OpinionConfig['assignment'], at?: Date): Choice {
  const me = weighted(f.terms, stats);
  let na = 0;
  for (const [, x] of me) na += x * x;
  const idfOf = likenessIdfOf(stats);
  const generic = genericOf(stats);
  return chooseAmong(f, candidates.map(shapeParts), (p) => likenessTo(me, na, p, idfOf, generic), cfg, at);
}

/**
 * A topic's centroid as the likeness reads it: its terms and weights in the centroid's order, and
 * its problem objects. Kept per centroid object when the centroid is frozen (the topic step's kept
 * rows, core/opinion/topic-rows.ts: shared and never changed), so a topic unchanged since the last
 * message is not taken apart again.
 */
interface ShapeParts extends Candidate {
  keys: string[];
  weights: number[];
  size: number;
}

const partsOf = new WeakMap<Terms, ShapeParts>();

function shapeParts(t: TopicShape): ShapeParts {
  const frozen = Object.isFrozen(t.centroid);
  const kept = frozen ? partsOf.get(t.centroid) : undefined;
  if (kept && kept.size === t.size) return kept.shape === t ? kept : { ...kept, shape: t };
  const keys = Object.keys(t.centroid);
  const weights = keys.map((k) => t.centroid[k]);
  const parts: ShapeParts = { shape: t, keys, weights, size: t.size, concepts: conceptsOfCentroid(t) };
  if (frozen) partsOf.set(t.centroid, parts);
  return parts;
}

/** likenessIdf for one set of stats, with the IDF of the terms it has no count for worked out once. */
function likenessIdfOf(stats: TermStats): (term: string) => number {
  const top = stats.docs + IDF_PRIOR_DOCS + 1;
  const none = Math.log(top / (0 + 1)) + 1;
  return (t) => {
    const d = stats.df(t);
    return d === 0 ? none : Math.log(top / (d + 1)) + 1;
  };
}

/** isLiveGeneric for one set of stats, remembered per term (null: no live generic words). */
function genericOf(stats: TermStats): ((term: string) => boolean) | null {
  if (!stats.generic?.size) return null;
  const seen = new Map<string, boolean>();
  return (t) => {
    let g = seen.get(t);
    if (g === undefined) seen.set(t, (g = isLiveGeneric(stats, t)));
    return g;
  };
}

/**
 * cosine(me, weighted centroid) without building the centroid's vector: the same products summed
 * in the same order (the centroid's norm in its order, the dot product over the smaller of the two
 * in its order), so the same number to the last bit.
 */
function likenessTo(me: Map<string, number>, na: number, p: ShapeParts, idfOf: (t: string) => number, generic: ((t: string) => boolean) | null): number {
  const scale = Math.max(1, p.shape.size);
  const { keys, weights } = p;
  let nb = 0;
  let n = 0;
  for (let i = 0; i < keys.length; i++) {
    if (generic && generic(keys[i])) continue;
    const y = (weights[i] / scale) * idfOf(keys[i]);
    nb += y * y;
    n++;
  }
  let dot = 0;
  if (me.size < n) {
    const c = p.shape.centroid;
    for (const [t, x] of me) {
      const w = Object.hasOwn(c, t) ? c[t] : undefined;
      if (w === undefined) continue; // me holds no live generic word, so neither is one here
      const y = (w / scale) * idfOf(t);
      if (y) dot += x * y;
    }
  } else {
    for (let i = 0; i < keys.length; i++) {
      if (generic && generic(keys[i])) continue;
      const y = me.get(keys[i]);
      if (y) dot += ((weights[i] / scale) * idfOf(keys[i])) * y;
    }
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** Adds (sign 1) or removes (sign -1) a member's terms and places; keeps the heaviest terms only. */
export function addToShape(t: Pick<TopicShape, 'centroid' | 'anchors' | 'size'>, f: Pick<MessageFeatures, 'terms' | 'anchors'>, maxTerms: number, sign: 1 | -1 = 1): void {
  for (const [term, w] of Object.entries(f.terms)) {
    const v = (t.centroid[term] ?? 0) + sign * w;
    if (v > 1e-9) t.centroid[term] = Math.round(v * 1000) / 1000;
    else delete t.centroid[term];
  }
  for (const a of f.anchors) {
    const v = (t.anchors[a] ?? 0) + sign;
    if (v > 0) t.anchors[a] = v;
    else delete t.anchors[a];
  }
  t.size += sign;
  const keys = Object.keys(t.centroid);
  if (keys.length > maxTerms) {
    keys.sort((a, b) => t.centroid[b] - t.centroid[a]);
    for (const k of keys.slice(maxTerms)) delete t.centroid[k];
  }
}

export interface MemberFeatures extends MessageFeatures {
  messageId: number;
  receivedAt: Date;
  /** the topic it is in now */
  topicId: number;
}

function conceptsOf(f: Pick<MessageFeatures, 'terms'>): string[] {
  return Object.keys(f.terms).filter((k) => k.startsWith(CONCEPT_PREFIX));
}

export interface Reclustered {
  /** message → topic id (old ids kept by majority overlap; negative numbers are new topics to create) */
  assignment: Map<number, number>;
  /** old topic → the topic that absorbed it */
  mergedInto: Map<number, number>;
}

/**
 * Clusters the members afresh with the same join rule (in time order, then one pass moving each
 * member to its best centroid), merges clusters of one district that have grown alike, then names
 * each cluster after the old topic holding most of its members: a topic that grows keeps its id, a
 * topic split in two keeps it on the larger part, and two merged topics continue as the larger one.
 */
export function recluster(members: MemberFeatures[], stats: TermStats, cfg: OpinionConfig['assignment']): Reclustered {
  const sorted = [...members].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.messageId - b.messageId);
  let next = 0;
  const clusters = new Map<number, TopicShape & { members: Set<number> }>();
  const of = new Map<number, number>();
  const byId = new Map(sorted.map((m) => [m.messageId, m]));
  const vectors = new Map(sorted.map((m) => [m.messageId, weighted(m.terms, stats)]));
  // prepared (weighted) centroids, per district, rebuilt only when a cluster changed
  const prepared = new Map<number, Prepared>();
  const dirty = new Set<number>();
  const prep = (c: TopicShape) => {
    if (dirty.has(c.id) || !prepared.has(c.id)) {
      prepared.set(c.id, prepare(c, stats));
      dirty.delete(c.id);
    }
    return prepared.get(c.id)!;
  };
  const inDistrict = (d: string | null) => {
    const out: Prepared[] = [];
    for (const c of clusters.values()) if (c.district === d) out.push(prep(c));
    return out;
  };
  const choose = (m: MemberFeatures) => {
    const me = vectors.get(m.messageId)!;
    return chooseAmong(m, inDistrict(m.district), (p) => cosine(me, p.vec), cfg, m.receivedAt);
  };
  const place = (m: MemberFeatures, cid: number) => {
    const c = clusters.get(cid)!;
    addToShape(c, m, cfg.maxCentroidTerms);
    if (!c.lastAt || m.receivedAt > c.lastAt) c.lastAt = m.receivedAt;
    c.members.add(m.messageId);
    of.set(m.messageId, cid);
    dirty.add(cid);
  };
  const unplace = (m: MemberFeatures) => {
    const c = clusters.get(of.get(m.messageId)!)!;
    addToShape(c, m, Number.MAX_SAFE_INTEGER, -1);
    c.members.delete(m.messageId);
    dirty.add(c.id);
    if (!c.size) {
      clusters.delete(c.id);
      prepared.delete(c.id);
    }
  };
  const open = (m: MemberFeatures) => {
    const id = next++;
    clusters.set(id, { id, district: m.district, centroid: {}, anchors: {}, size: 0, members: new Set() });
    return id;
  };
  for (const m of sorted) {
    const c = choose(m);
    place(m, c.topicId ?? open(m));
  }
  // refinement: each member to the cluster it now fits best (its own, without it, included)
  for (const m of sorted) {
    const own = of.get(m.messageId)!;
    if (clusters.get(own)!.size === 1) continue;
    unplace(m);
    const c = choose(m);
    place(m, c.topicId ?? (clusters.has(own) ? own : open(m)));
  }
  // merge: clusters of one district whose centroids are alike
  const list = [...clusters.values()].sort((a, b) => b.size - a.size || a.id - b.id);
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    if (!clusters.has(a.id)) continue;
    for (let j = i + 1; j < list.length; j++) {
      const b = list[j];
      if (!clusters.has(b.id) || a.district !== b.district) continue;
      if (alikePrepared(prep(a), prep(b), cfg)) {
        for (const id of [...b.members]) {
          const m = byId.get(id)!;
          unplace(m);
          place(m, a.id);
        }
      }
    }
  }
  // split: a cluster whose members divide into two problem objects (a school's places and its
  // canteen) is two problems at one place. Members naming problem objects, none of them the one most
  // members name, leave it together when at least two of them share one, and two members stay.
  for (const c of [...clusters.values()].sort((a, b) => b.size - a.size || a.id - b.id)) {
    if (c.size < 4) continue;
    const main = prep(c).concepts[0];
    if (!main) continue;
    const outside = [...c.members].map((id) => byId.get(id)!).filter((m) => {
      const mine = conceptsOf(m);
      return mine.length > 0 && !mine.includes(main);
    });
    if (outside.length < 2 || c.size - outside.length < 2) continue;
    const counts = new Map<string, number>();
    for (const m of outside) for (const k of conceptsOf(m)) counts.set(k, (counts.get(k) ?? 0) + 1);
    const [other, n] = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (n < 2) continue;
    const id = open(outside.find((m) => conceptsOf(m).includes(other))!);
    for (const m of outside) if (conceptsOf(m).includes(other)) {
      unplace(m);
      place(m, id);
    }
  }
  // ids by majority overlap, larger clusters choosing first
  const assignment = new Map<number, number>();
  const taken = new Set<number>();
  let fresh = -1;
  const final = [...clusters.values()].sort((a, b) => b.size - a.size || a.id - b.id);
  const clusterId = new Map<number, number>();
  for (const c of final) {
    const votes = new Map<number, number>();
    for (const id of c.members) {
      const old = byId.get(id)!.topicId;
      votes.set(old, (votes.get(old) ?? 0) + 1);
    }
    const ranked = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const pick = ranked.find(([old]) => !taken.has(old) && old > 0);
    const id = pick ? pick[0] : fresh--;
    if (pick) taken.add(pick[0]);
    clusterId.set(c.id, id);
    for (const m of c.members) assignment.set(m, id);
  }
  // an old topic that named no cluster was absorbed: by the cluster holding most of its members
  const mergedInto = new Map<number, number>();
  const oldTopics = new Map<number, Map<number, number>>();
  for (const m of sorted) {
    const to = assignment.get(m.messageId)!;
    const votes = oldTopics.get(m.topicId) ?? new Map<number, number>();
    votes.set(to, (votes.get(to) ?? 0) + 1);
    oldTopics.set(m.topicId, votes);
  }
  for (const [old, votes] of oldTopics) {
    if (taken.has(old)) continue;
    const [to] = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    mergedInto.set(old, to);
  }
  return { assignment, mergedInto };
}
