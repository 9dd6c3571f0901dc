// Residents mistype place names: 戈江区 for 弋江区, 赫山街道 for 赭山街道, an extra or a swapped
// character, 街道 dropped. When the exact gazetteer match finds no district, street or community,
// the words before a place suffix (区, 街道, 社区, 镇…) are compared with the gazetteer's names by
// natural's Damerau–Levenshtein distance (one edit: a wrong, missing, extra or swapped character),
// Jaro–Winkler breaking ties; where several names fit equally well they are all returned, for the
// caller to decide by the other places named (or to leave alone).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// natural's submodules only: the package index would load its storage back-ends (mongoose, pg, redis)
const jaroWinkler: (a: string, b: string, options?: { ignoreCase?: boolean }) => number = require('natural/lib/natural/distance/jaro-winkler_distance');
const { DamerauLevenshteinDistance: damerau }: { DamerauLevenshteinDistance: (a: string, b: string, options?: { transposition_cost?: number; restricted?: boolean }) => number } =
  require('natural/lib/natural/distance/levenshtein_distance');

export interface FuzzyName<T> {
  /** the full name as in the gazetteer (弋江区, 赭山街道, 官巷社区) */
  name: string;
  target: T;
}

const SUFFIX = /(街道|社区|区|县|镇|乡|村)/g;
const suffixOf = (name: string) => /(街道|社区|区|县|镇|乡|村)$/.exec(name)?.[1] ?? '';

export interface FuzzyHit<T> {
  text: string;
  start: number;
  end: number;
  name: string;
  target: T;
  distance: number;
  similarity: number;
  /** other names that fit exactly as well (ambiguous: the caller may decide by the other places named) */
  alternatives: FuzzyName<T>[];
}

// the names grouped by suffix, once per list of names (the place index keeps its list)
const pools = new WeakMap<readonly FuzzyName<unknown>[], { size: number; bySuffix: Map<string, FuzzyName<unknown>[]> }>();
function poolsBySuffix<T>(names: readonly FuzzyName<T>[]): Map<string, FuzzyName<T>[]> {
  const cached = pools.get(names);
  if (cached && cached.size === names.length) return cached.bySuffix as Map<string, FuzzyName<T>[]>;
  const bySuffix = new Map<string, FuzzyName<T>[]>();
  for (const n of names) {
    const s = suffixOf(n.name);
    if (!s || n.name.length < 3) continue;
    (bySuffix.get(s) ?? bySuffix.set(s, []).get(s)!).push(n);
  }
  pools.set(names, { size: names.length, bySuffix: bySuffix as Map<string, FuzzyName<unknown>[]> });
  return bySuffix;
}

/** Whether the restricted Damerau–Levenshtein (optimal string alignment) distance is at most 1:
 * equal, or one substitution, one character more or less, or two neighbours swapped. Exact, and
 * far cheaper than the full distance for the many names that are further off. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (la === lb) {
    let i = 0;
    while (i < la && a.charCodeAt(i) === b.charCodeAt(i)) i++;
    // one substitution at i, or a swap of i and i + 1; the rest must be equal
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return i + 1 < la && a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i) && a.slice(i + 2) === b.slice(i + 2);
  }
  if (Math.abs(la - lb) !== 1) return false;
  const [s, l] = la < lb ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === l.charCodeAt(i)) i++;
  return s.slice(i) === l.slice(i + 1);
}

/**
 * Names the text mistypes, one per place suffix in the text. `names` should hold only names of three
 * characters or more with a suffix (shorter cores change meaning with one edit).
 */
export function fuzzyPlaceHits<T>(text: string, names: readonly FuzzyName<T>[], exact: { has(name: string): boolean }): FuzzyHit<T>[] {
  const bySuffix = poolsBySuffix(names);
  const hits: FuzzyHit<T>[] = [];
  for (const m of text.matchAll(SUFFIX)) {
    const suffix = m[1];
    const end = m.index! + suffix.length;
    const pool = bySuffix.get(suffix) ?? [];
    let best: { hit: FuzzyHit<T>; ties: FuzzyName<T>[] } | null = null;
    // a core of 1–5 characters before the suffix (names here have 1–4; one may be extra)
    for (let len = 1; len <= 5 && m.index! - len >= 0; len++) {
      const start = m.index! - len;
      const core = text.slice(start, m.index!);
      if (/[^\u4e00-\u9fa5]/.test(core)) break;
      const written = core + suffix;
      if (exact.has(written)) { best = null; break; } // written right: the exact matcher has it
      for (const n of pool) {
        if (Math.abs(n.name.length - written.length) > 1 || !withinOneEdit(written, n.name)) continue;
        const d = damerau(written, n.name, { restricted: true });
        if (d > 1) continue;
        const sim = jaroWinkler(written, n.name);
        const hit: FuzzyHit<T> = { text: written, start, end, name: n.name, target: n.target, distance: d, similarity: sim, alternatives: [] };
        // fewer edits first, then a substitution (same length) over a dropped or extra character, then Jaro–Winkler
        const rank = (h: FuzzyHit<T>) => [h.distance, h.text.length === h.name.length ? 0 : 1, -h.similarity];
        const cmp = best ? compare(rank(hit), rank(best.hit)) : -1;
        if (cmp < 0) best = { hit, ties: [] };
        else if (cmp === 0 && n.name !== best!.hit.name && !best!.ties.some((t) => t.name === n.name)) best!.ties.push(n);
      }
    }
    if (best) hits.push({ ...best.hit, alternatives: best.ties });
  }
  return hits;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > 1e-9) return a[i] < b[i] ? -1 : 1;
  return 0;
}
