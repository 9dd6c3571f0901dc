// A topic's name: where (its most named place, else its district) and what (the phrase most
// distinctive of its members against the background corpus: class-based TF-IDF over words and
// bigrams, i.e. share of members using it × log(all messages / messages using it)). Generic words
// (小时, 诉求, 了解…) have a high background frequency and are also listed in lexicons/opinion.json.
import { idf, isLiveGeneric, type TermStats, type TopicShape } from './cluster';
import { isGenericWord, opinionConfig } from './config';
import { CONCEPT_PREFIX, SUBJECT_PLACE } from './features';
import { topicsOf } from '../cases/duplicates';
import { isProblemWord } from './problem-words';
import { isDictionaryWord, tagWords } from '../nlp/segment';

const PLACE_LIKE = /(小区|花园|家园|新城|新村|广场|公寓|大厦|苑|村|社区|路|大道|街|巷|镇|乡|街道|[区县市省])$/;

export interface TopicLabel {
  label: string;
  /** the place part and the problem words, for display and search */
  place: string | null;
  terms: string[];
}

// a phrase that shares two characters running with a place name is part of the "where", not the "what"
function overlapsPlace(term: string, places: string[]): boolean {
  const chars = [...term];
  for (let i = 0; i + 1 < chars.length; i++) {
    const pair = chars[i] + chars[i + 1];
    if (places.some((p) => p.includes(pair))) return true;
  }
  return false;
}

// a bigram with a generic or place word at either end (小区附近, 附近搅拌站) is that word plus another
function hasGenericEnd(term: string): boolean {
  const chars = [...term];
  for (let k = 2; k <= Math.min(4, chars.length - 2); k++) {
    const head = chars.slice(0, k).join('');
    const tail = chars.slice(chars.length - k).join('');
    if (isGenericWord(head) || isGenericWord(tail) || PLACE_LIKE.test(head)) return true;
  }
  return false;
}

const DANGLING_END = /^(ad|d|p|f|u.*|c|r|m|q|e|y|o|zg|uj)$/;

/**
 * A phrase a leader can read as a problem: whole known words (no unknown fragment such as 控规为 or
 * 临路建, which jieba tags x), not ending in a function word, and no verb left hanging after another
 * verb or adverb (修建搅拌, 公开承诺). A single verb (扩建) or noun + verb (旧城改造) is fine.
 */
export function isReadablePhrase(term: string): boolean {
  const words = tagWords(term).filter((w) => w.word.trim());
  if (!words.length) return false;
  if (words.some((w) => w.tag === 'x' && !isDictionaryWord(w.word))) return false;
  const last = words[words.length - 1];
  if (DANGLING_END.test(last.tag)) return false;
  // a verb that ends in its preposition (有损于, 致力于, 用于) asks for an object: no problem named
  if (/于$/.test(last.word)) return false;
  if (words.length > 1 && /^v(?!n)/.test(last.tag) && /^(v(?!n).*|ad|d)$/.test(words[words.length - 2].tag)) return false;
  return true;
}

function wordsOf(term: string): string[] {
  return tagWords(term).map((w) => w.word).filter((w) => w.trim());
}

/** The topic's named places (subject marks removed): place → members naming it. */
export function placesOf(anchors: Record<string, number>, subjectOnly: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(anchors)) {
    const subject = k.startsWith(SUBJECT_PLACE);
    if (subjectOnly && !subject) continue;
    if (!subjectOnly && subject) continue;
    out[subject ? k.slice(SUBJECT_PLACE.length) : k] = n;
  }
  return out;
}

export function distinctiveTerms(t: Pick<TopicShape, 'centroid' | 'size' | 'anchors'>, stats: TermStats, n = 6, minShare = 0.3): { term: string; score: number }[] {
  const size = Math.max(1, t.size);
  // the places the topic is about (named by half its members; all of them in a topic of one or two):
  // their fragments are the "where"; a place one member in three passed (高铁铁路) must not hide 高铁
  const anchors = Object.entries(placesOf(t.anchors, false)).filter(([, n]) => size < 3 || n * 2 >= size).map(([k]) => k);
  const out: { term: string; score: number }[] = [];
  for (const [term, w] of Object.entries(t.centroid)) {
    if (term.startsWith(CONCEPT_PREFIX) || isGenericWord(term) || isLiveGeneric(stats, term) || PLACE_LIKE.test(term) || anchors.some((a) => a.includes(term) || term.includes(a))) continue;
    if (overlapsPlace(term, anchors) || hasGenericEnd(term)) continue;
    // share of members, a subject word counting double (so the subjects' words win), times how rare it is elsewhere
    const share = Math.min(2, w / size);
    if (size >= 3 && share < minShare) continue;
    if (!isReadablePhrase(term)) continue; // last: it asks the tagger
    out.push({ term, score: share * idf(stats, term) * (1 + 0.15 * Math.min(4, [...term].length - 2)) });
  }
  out.sort((a, b) => b.score - a.score || a.term.localeCompare(b.term));
  return out.slice(0, n);
}

// jieba tags of a problem phrase's head: a noun (车位, 烧烤店), a verbal noun (补偿), a proper or
// other noun; a verb alone (停水, 扩建, 油烟扰民) names a problem too, a little less surely
const HEAD_TAG = /^(n|vn|nz|ng|nt|j)$/;
const PAIR_FIRST = /^(n|vn|nz|ng|nt|j|ns|v)$/;
// an idiom or set phrase (刻不容缓, 身心健康) is rhetoric, not the problem
const IDIOM_TAG = /^(i|l)$/;
/** a pair must be used by most members: each member using it adds at least 1 to the centroid weight */
const PAIR_MIN_SHARE = 0.8;
/** a word pair within this share of the best bare noun's score names the problem better */
const PAIR_TIE = 0.75;
/** … and a phrase naming a problem object (lexicons/duplicate-topics.json) within this share */
const PROBLEM_TIE = 0.5;
/** when no phrase reaches distinctiveTerms' share bar: the share a fallback phrase needs */
const RELAXED_SHARE = 0.12;

export type PhraseKind = 'head' | 'verb' | 'pair' | 'idiom' | 'other';

/**
 * What kind of problem phrase the term is, by its jieba tags: one noun-like word ('head'), one verb
 * ('verb'), a contiguous v+n / n+n / n+v pair ('pair': 捆绑销售, 购房资金, 旧城改造), a four-character
 * idiom or set phrase ('idiom'), or anything else ('other': an adjective, an adverb + verb…).
 */
export function phraseKind(term: string): PhraseKind {
  const words = tagWords(term).filter((w) => w.word.trim());
  if (words.some((w) => IDIOM_TAG.test(w.tag) && [...w.word].length === 4)) return 'idiom';
  if (words.length === 1) return HEAD_TAG.test(words[0].tag) ? 'head' : /^v/.test(words[0].tag) ? 'verb' : 'other';
  if (words.length === 2) {
    const [a, b] = words;
    if (PAIR_FIRST.test(a.tag) && HEAD_TAG.test(b.tag)) return 'pair';
    if (/^(n|nz|ng|ns|vn)$/.test(a.tag) && /^v/.test(b.tag)) return 'pair';
  }
  return 'other';
}

const KIND_WEIGHT: Record<PhraseKind, number> = { head: 1, pair: 1, verb: 0.85, other: 0, idiom: 0 };

/**
 * How much a phrase of this kind names a problem: a noun-like head or a word pair 1, a verb 0.85 (扩建
 * says less than 扩建学校), but a single verb of four characters or more is a whole problem in one
 * dictionary word (油烟扰民, 噪音扰民, 违规停车: the object and what is wrong with it), so 1 — a bare
 * object (门面, 电缆) must not beat it on share alone.
 */
export function kindWeight(term: string, kind: PhraseKind = phraseKind(term)): number {
  if (kind === 'verb' && [...term].length >= 4) return 1;
  return KIND_WEIGHT[kind];
}

/**
 * A pair whose second word names a problem object (门面油烟, 夜间噪音: lexicons/duplicate-topics.json)
 * is the object and the problem, so it needs no majority of members: the problem object is what
 * the topic is about already. Other pairs must be used by most members (PAIR_MIN_SHARE).
 */
export function pairEndsInProblem(term: string): boolean {
  const words = tagWords(term).filter((w) => w.word.trim());
  return words.length === 2 && topicsOf(words[1].word).size > 0;
}

/**
 * The topic's one problem phrase: the most distinctive term (class-based TF-IDF, distinctiveTerms)
 * that is a noun-like head, a verb, or a contiguous word pair most members use — never a generic
 * word and never an idiom unless nothing else is left (then the topic's problem object, then the idiom).
 */
export function problemPhrase(t: Pick<TopicShape, 'centroid' | 'size' | 'anchors'>, stats: TermStats): string | null {
  const own = pickPhrase(t, stats, distinctiveTerms(t, stats, 40), true);
  if (own.phrase) return own.phrase;
  // no phrase of its own stands out: the problem object most members name (停水, 路灯…)
  const concept = Object.entries(t.centroid).filter(([k]) => k.startsWith(CONCEPT_PREFIX)).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  if (concept) return concept[0].slice(CONCEPT_PREFIX.length);
  // still nothing: the most distinctive problem word or phrase a smaller share of members use, not a bare place
  return pickPhrase(t, stats, distinctiveTerms(t, stats, 40, RELAXED_SHARE), false).phrase ?? own.idiom;
}

function pickPhrase(t: Pick<TopicShape, 'centroid' | 'size'>, stats: TermStats, candidates: { term: string; score: number }[], pairsByMajority: boolean): { phrase: string | null; idiom: string | null } {
  const size = Math.max(1, t.size);
  let best: { term: string; score: number; kind: PhraseKind } | null = null;
  const pairs: { term: string; score: number; tie: number }[] = [];
  let idiom: string | null = null;
  let bestProblem: { term: string; score: number } | null = null;
  let bestOutright: { term: string; score: number } | null = null;
  for (const { term, score } of candidates) {
    if (wordsOf(term).some((w) => isGenericWord(w) || !!stats.generic?.has(w))) continue;
    const kind = phraseKind(term);
    if (kind === 'idiom') {
      idiom ??= term;
      continue;
    }
    if (pairsByMajority && kind === 'pair' && size >= 3 && (t.centroid[term] ?? 0) / size < PAIR_MIN_SHARE && !pairEndsInProblem(term)) continue;
    const s = score * kindWeight(term, kind);
    if (s > 0 && (!best || s > best.score)) best = { term, score: s, kind };
    if (s > 0 && namesProblem(term) && (!bestProblem || s > bestProblem.score)) bestProblem = { term, score: s };
    if (s > 0 && namesProblemOutright(term) && (!bestOutright || s > bestOutright.score)) bestOutright = { term, score: s };
    if (s > 0 && (kind === 'pair' || (kind === 'verb' && [...term].length >= 4))) {
      // a phrase naming a problem object (油烟扰民, 门面油烟) needs less to beat a bare object
      pairs.push({ term, score: s, tie: topicsOf(term).size > 0 ? PROBLEM_TIE : PAIR_TIE });
    }
  }
  // a bare object (车位, 门面, 电缆) says less than the object's problem (捆绑销售, 油烟扰民): a
  // word pair or whole-problem verb nearly as distinctive wins (the subjects name the object, doubled)
  // (the most distinctive such phrase that passes its bar: one that fails must not hide one that passes)
  const bestPair = best?.kind === 'head' ? pairs.filter((p) => p.score >= p.tie * best.score).sort((a, b) => b.score / b.tie - a.score / a.tie)[0] : undefined;
  // a phrase that names the problem outright (a word of labelProblemWords: 诈骗案) over one whose only
  // problem word is a field's keyword (银行 of 银行账户), nearly as distinctive
  if (best && !namesProblemOutright(best.term) && bestOutright && bestOutright.score >= PROBLEM_TIE * best.score) return { phrase: bestOutright.term, idiom };
  // a bare object that names no problem, and a pair that names none either (银行账户 beside 涉案人员),
  // yield to a phrase that names one (诈骗案) nearly as distinctive
  if (bestPair && best && !namesProblem(best.term) && !namesProblem(bestPair.term) && bestProblem && bestProblem.score >= PROBLEM_TIE * best.score && bestProblem.score >= PROBLEM_TIE * bestPair.score) return { phrase: bestProblem.term, idiom };
  if (bestPair) return { phrase: bestPair.term, idiom };
  // a bare object that names no problem (电缆, 银行账户) yields to a phrase that does (高压线, 辐射, 诈骗) nearly as distinctive
  if (best && best.kind === 'head' && !namesProblem(best.term) && bestProblem && bestProblem.score >= PROBLEM_TIE * best.score) return { phrase: bestProblem.term, idiom };
  return { phrase: best?.term ?? null, idiom };
}

/** Whether a phrase names a problem: a problem object (duplicate-topics.json) or a word of the problem lexicons (problem-words.ts). */
function namesProblem(term: string): boolean {
  return topicsOf(term).size > 0 || isProblemWord(term) || wordsOf(term).some((w) => isProblemWord(w) || opensWithProblem(w));
}

/** Whether a phrase has a word opening with one of labelProblemWords (诈骗案): it names the problem outright. */
function namesProblemOutright(term: string): boolean {
  const own = opinionConfig().labelProblemWords;
  return wordsOf(term).some((w) => own.some((p) => w.startsWith(p)));
}

/** A word that opens with a problem word of two characters or more (诈骗案 of 诈骗, 噪音污染 of 噪音). */
function opensWithProblem(word: string): boolean {
  const chars = [...word];
  for (let k = chars.length - 1; k >= 2; k--) if (isProblemWord(chars.slice(0, k).join(''))) return true;
  return false;
}

export function topicLabel(t: Pick<TopicShape, 'centroid' | 'size' | 'anchors' | 'district'>, stats: TermStats): TopicLabel {
  // place + ONE problem phrase (油烟扰民, 捆绑销售): never two keywords glued together (加快刻不容缓)
  const phrase = problemPhrase(t, stats);
  const chosen = phrase ? [phrase] : [];
  const place = labelPlace(t);
  const where = [t.district, place].filter(Boolean).join('');
  const what = chosen.join('');
  return { label: [where, what].filter(Boolean).join('·') || '未归类留言', place: place ?? null, terms: chosen };
}

/**
 * Where: the place most members name in their subject (the subject says what the message is about;
 * a school named in passing in the body must not win), else the place most members name at all.
 * A longer name wins a tie (沁景园滨江苑 over 沁景园 when every member names both).
 */
export function labelPlace(t: Pick<TopicShape, 'anchors' | 'size'>): string | undefined {
  const size = Math.max(1, t.size);
  const best = (places: Record<string, number>, share: number) =>
    Object.entries(places).filter(([, n]) => size < 3 || n / size >= share).sort((a, b) => b[1] - a[1] || [...b[0]].length - [...a[0]].length || a[0].localeCompare(b[0]))[0]?.[0];
  const subject = best(placesOf(t.anchors, true), 0.2);
  if (subject) return subject;
  // no place in the subjects: a place of the bodies only when no other place (not one inside the
  // other) is named as often, else a list of the estates nearby would name a metro station's problem
  const body = placesOf(t.anchors, false);
  const pick = best(body, 0.25);
  if (!pick) return undefined;
  const rival = Object.entries(body).some(([k, n]) => n >= body[pick] && k !== pick && !k.includes(pick) && !pick.includes(k));
  return rival && size >= 3 ? undefined : pick;
}
