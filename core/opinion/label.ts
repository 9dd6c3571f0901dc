// A topic's name: where (its most named place, else its district) and what (the phrase most
// distinctive of its members against the background corpus: class-based TF-IDF over words and
// bigrams, i.e. share of members using it × log(all messages / messages using it)). Generic words
// (小时, 诉求, 了解…) have a high background frequency and are also listed in lexicons/opinion.json.
import { idf, type TermStats, type TopicShape } from './cluster';
import { isGenericWord } from './config';
import { CONCEPT_PREFIX, SUBJECT_PLACE } from './features';
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

export function distinctiveTerms(t: Pick<TopicShape, 'centroid' | 'size' | 'anchors'>, stats: TermStats, n = 6): { term: string; score: number }[] {
  const size = Math.max(1, t.size);
  const anchors = Object.keys(placesOf(t.anchors, false));
  const out: { term: string; score: number }[] = [];
  for (const [term, w] of Object.entries(t.centroid)) {
    if (term.startsWith(CONCEPT_PREFIX) || isGenericWord(term) || PLACE_LIKE.test(term) || anchors.some((a) => a.includes(term) || term.includes(a))) continue;
    if (overlapsPlace(term, anchors) || hasGenericEnd(term)) continue;
    // share of members, a subject word counting double (so the subjects' words win), times how rare it is elsewhere
    const share = Math.min(2, w / size);
    if (size >= 3 && share < 0.3) continue;
    if (!isReadablePhrase(term)) continue; // last: it asks the tagger
    out.push({ term, score: share * idf(stats, term) * (1 + 0.15 * Math.min(4, [...term].length - 2)) });
  }
  out.sort((a, b) => b.score - a.score || a.term.localeCompare(b.term));
  return out.slice(0, n);
}

export function topicLabel(t: Pick<TopicShape, 'centroid' | 'size' | 'anchors' | 'district'>, stats: TermStats): TopicLabel {
  const top = distinctiveTerms(t, stats, 8);
  // up to two problem phrases that share no word (油烟扰民 beats 油烟 and 扰民; never 控规为…控规为)
  const chosen: string[] = [];
  const used = new Set<string>();
  for (const { term } of top) {
    if (chosen.length >= 2) break;
    const words = wordsOf(term);
    if (chosen.some((c) => c.includes(term) || term.includes(c) || overlapsPlace(term, [c])) || words.some((w) => used.has(w))) continue;
    chosen.push(term);
    for (const w of words) used.add(w);
  }
  if (!chosen.length) {
    // no phrase of its own stands out: the problem object most members name (停水, 路灯…)
    const concept = Object.entries(t.centroid).filter(([k]) => k.startsWith(CONCEPT_PREFIX)).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (concept) chosen.push(concept[0].slice(CONCEPT_PREFIX.length));
  }
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
  return best(placesOf(t.anchors, true), 0.2) ?? best(placesOf(t.anchors, false), 0.25);
}
