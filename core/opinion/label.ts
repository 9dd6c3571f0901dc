// A topic's name: where (its most named place, else its district) and what (the phrase most
// distinctive of its members against the background corpus: class-based TF-IDF over words and
// bigrams, i.e. share of members using it × log(all messages / messages using it)). Generic words
// (小时, 诉求, 了解…) have a high background frequency and are also listed in lexicons/opinion.json.
import { idf, type TermStats, type TopicShape } from './cluster';
import { isGenericWord } from './config';
import { CONCEPT_PREFIX } from './features';

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

export function distinctiveTerms(t: Pick<TopicShape, 'centroid' | 'size' | 'anchors'>, stats: TermStats, n = 6): { term: string; score: number }[] {
  const size = Math.max(1, t.size);
  const anchors = Object.keys(t.anchors);
  const out: { term: string; score: number }[] = [];
  for (const [term, w] of Object.entries(t.centroid)) {
    if (term.startsWith(CONCEPT_PREFIX) || isGenericWord(term) || PLACE_LIKE.test(term) || anchors.some((a) => a.includes(term) || term.includes(a))) continue;
    if (overlapsPlace(term, anchors) || hasGenericEnd(term)) continue;
    // share of members, a subject word counting double (so the subjects' words win), times how rare it is elsewhere
    const share = Math.min(2, w / size);
    if (size >= 3 && share < 0.3) continue;
    out.push({ term, score: share * idf(stats, term) * (1 + 0.15 * Math.min(4, [...term].length - 2)) });
  }
  out.sort((a, b) => b.score - a.score || a.term.localeCompare(b.term));
  return out.slice(0, n);
}

export function topicLabel(t: Pick<TopicShape, 'centroid' | 'size' | 'anchors' | 'district'>, stats: TermStats): TopicLabel {
  const top = distinctiveTerms(t, stats, 8);
  // up to two problem phrases, neither contained in the other (油烟扰民 beats 油烟 and 扰民)
  const chosen: string[] = [];
  for (const { term } of top) {
    if (chosen.length >= 2) break;
    if (chosen.some((c) => c.includes(term) || term.includes(c))) continue;
    chosen.push(term);
  }
  if (!chosen.length) {
    // no phrase of its own stands out: the problem object most members name (停水, 路灯…)
    const concept = Object.entries(t.centroid).filter(([k]) => k.startsWith(CONCEPT_PREFIX)).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (concept) chosen.push(concept[0].slice(CONCEPT_PREFIX.length));
  }
  const size = Math.max(1, t.size);
  const [place] = Object.entries(t.anchors).filter(([, n]) => size < 3 || n / size >= 0.25).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? [];
  const where = [t.district, place].filter(Boolean).join('');
  const what = chosen.join('');
  return { label: [where, what].filter(Boolean).join('·') || '未归类留言', place: place ?? null, terms: chosen };
}
