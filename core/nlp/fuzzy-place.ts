// Residents mistype place names: 戈江区 for 弋江区, 赫山街道 for 赭山街道, an extra or a swapped
// character. When the exact gazetteer match finds no district, street or community, the words
// before a place suffix (区, 街道, 社区, 镇…) are compared with the gazetteer's names by natural's
// Damerau–Levenshtein distance (one edit: a wrong, missing, extra or swapped character), Jaro–Winkler
// ranking the fits; every name one edit away is returned behind the best, for the caller to decide
// by the other places named (or to leave alone). A core of one or two characters one character off
// is marked weak: the caller takes it only with strong context. Names written in pinyin (yijiang qu,
// Yìjiāng Qū, yijiang区) are compared by their pinyin the same way (pinyinPlaceHits). Names with
// 街道/社区 dropped are place.ts's (bare names, read in context only).
import { createRequire } from 'node:module';
import { hanziSyllables, latinKey, latinWords } from './pinyin';

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

export type FuzzyFit<T> = Omit<FuzzyHit<T>, 'alternatives'>;

export interface FuzzyHit<T> {
  text: string;
  start: number;
  end: number;
  name: string;
  target: T;
  distance: number;
  similarity: number;
  /** the other names as many edits away, best first (each its own span): the places named decide
   * among them, and where the best two rank alike with none named, nothing is guessed */
  alternatives: FuzzyFit<T>[];
  /** fewer is better, compared element by element (see compareRank) */
  rank: number[];
  /** how the name was written: mistyped hanzi, or pinyin (distance and similarity are then over pinyin) */
  kind: 'typo' | 'pinyin';
  /** a core of one or two characters with a character wrong, missing or extra other than one typed
   * twice (农村 or 新型农村 for 新农村, 通湖区 for 镜湖区): one edit there makes another word as often as
   * a typo, so the caller wants strong context */
  weak: boolean;
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
    let fits: FuzzyFit<T>[] = [];
    // a core of 2–5 characters before the suffix (names here have 1–4; one may be extra); one written
    // character before a suffix (新村 of 工人新村, 农村) is a word far more often than a name cut short
    for (let len = 1; len <= 5 && m.index! - len >= 0; len++) {
      const start = m.index! - len;
      const core = text.slice(start, m.index!);
      if (/[^\u4e00-\u9fa5]/.test(core)) break;
      const written = core + suffix;
      if (exact.has(written)) { fits = []; break; } // written right: the exact matcher has it
      if (len < 2) continue;
      for (const n of pool) {
        if (Math.abs(n.name.length - written.length) > 1 || !withinOneEdit(written, n.name)) continue;
        // one edit (withinOneEdit is exact); natural's distance is taken for the fit kept, below
        const d = 1;
        const sim = jaroWinkler(written, n.name);
        const nameCore = n.name.length - suffix.length;
        const weak = nameCore <= 2 && !doubled(written, n.name) && !swapped(written, n.name);
        // fewer edits first, then a fit the caller takes without more context (烟墩墩社区: 烟墩社区 with an
        // extra 墩, not 墩社区 missing 烟), then a substitution (same length) over a dropped or extra
        // character, then Jaro–Winkler
        const rank = [d, weak ? 1 : 0, written.length === n.name.length ? 0 : 1, -sim];
        fits.push({ text: written, start, end, name: n.name, target: n.target, distance: d, similarity: sim, kind: 'typo', weak, rank });
      }
    }
    const hit = bestFits(fits);
    if (hit) hits.push({ ...hit, distance: damerau(hit.text, hit.name, { restricted: true }) });
  }
  return hits;
}

/** Two neighbouring characters swapped (the only edit of the same length that keeps the characters). */
const swapped = (a: string, b: string) => a.length === b.length && a !== b && [...a].sort().join('') === [...b].sort().join('');

/** `written` is `name` with one character typed twice (烟墩墩社区 for 烟墩社区). */
function doubled(written: string, name: string): boolean {
  if (written.length !== name.length + 1) return false;
  for (let i = 1; i < written.length; i++) if (written[i] === written[i - 1] && written.slice(0, i) + written.slice(i + 1) === name) return true;
  return false;
}

interface PinyinEntry<T> extends FuzzyName<T> {
  /** the name's toneless pinyin without separators (yijiangqu) */
  key: string;
}
// the names' pinyin by key length, once per list of names
const pinyinPools = new WeakMap<readonly FuzzyName<unknown>[], { size: number; byLength: Map<number, PinyinEntry<unknown>[]> }>();
/** Builds the names' pinyin now (pinyin-pro's tables load on first use): at start-up rather than
 * on the first message with Latin letters. */
export function preparePinyin<T>(names: readonly FuzzyName<T>[]): void {
  pinyinByLength(names);
}

function pinyinByLength<T>(names: readonly FuzzyName<T>[]): Map<number, PinyinEntry<T>[]> {
  const cached = pinyinPools.get(names);
  if (cached && cached.size === names.length) return cached.byLength as Map<number, PinyinEntry<T>[]>;
  const byLength = new Map<number, PinyinEntry<T>[]>();
  for (const n of names) {
    if (n.name.length < 2) continue;
    const key = hanziSyllables(n.name).join('');
    (byLength.get(key.length) ?? byLength.set(key.length, []).get(key.length)!).push({ ...n, key });
  }
  pinyinPools.set(names, { size: names.length, byLength: byLength as Map<number, PinyinEntry<unknown>[]> });
  return byLength;
}

const suffixKeys = new Map<string, string>();
const suffixKey = (suffix: string) => suffixKeys.get(suffix) ?? suffixKeys.set(suffix, hanziSyllables(suffix).join('')).get(suffix)!;

/** Pinyin keys this long or longer may be one letter off (yijang qu); shorter ones must be exact. */
const PINYIN_EDIT_FROM = 8;
const HANZI_SUFFIX = /^\s*(街道|社区|区|县|市|镇|乡|村)/;

/**
 * Place names written in pinyin: a run of one to eight Latin words (tone marks, tone digits and
 * spaces or none), or such a run followed by the hanzi suffix (yijiang区), compared with the
 * gazetteer names' pinyin (pinyin-pro) by Damerau–Levenshtein (at most one letter off for keys of
 * eight letters or more, else exact), Jaro–Winkler breaking ties. `names`: every name of two
 * characters or more, once for each place it stands for; homophones and a name shared by several
 * places fit equally and are returned as alternatives. Non-overlapping, in text order.
 */
export function pinyinPlaceHits<T>(text: string, names: readonly FuzzyName<T>[]): FuzzyHit<T>[] {
  if (!/[A-Za-z]/.test(text)) return [];
  const byLength = pinyinByLength(names);
  const found: FuzzyHit<T>[] = [];
  for (const run of latinWords(text)) {
    for (let i = 0; i < run.length; i++) {
      let written = '';
      for (let j = i; j < run.length && j < i + 8; j++) {
        written += latinKey(run[j].word);
        const forms: { key: string; end: number; suffix: string | null }[] = [{ key: written, end: run[j].end, suffix: null }];
        const after = j === run.length - 1 ? HANZI_SUFFIX.exec(text.slice(run[j].end)) : null;
        if (after) forms.push({ key: written + suffixKey(after[1]), end: run[j].end + after[0].length, suffix: after[1] });
        for (const f of forms) {
          const fits: FuzzyFit<T>[] = [];
          for (let len = f.key.length - 1; len <= f.key.length + 1; len++) {
            for (const n of byLength.get(len) ?? []) {
              if (f.suffix && !n.name.endsWith(f.suffix)) continue;
              if (n.key !== f.key && (n.key.length < PINYIN_EDIT_FROM || !withinOneEdit(f.key, n.key))) continue;
              const d = damerau(f.key, n.key, { restricted: true });
              const sim = jaroWinkler(f.key, n.key);
              fits.push({ text: text.slice(run[i].start, f.end), start: run[i].start, end: f.end, name: n.name, target: n.target, distance: d, similarity: sim, kind: 'pinyin', weak: false, rank: [d, -sim] });
            }
          }
          // homophones, and one name in several places (新华村), fit alike: the alternatives at this span
          const hit = bestFits(fits.filter((x) => x.distance === Math.min(...fits.map((y) => y.distance))));
          if (hit) found.push(hit);
        }
      }
    }
  }
  // fewest letters off first, then the longer span (yijiang qu over a name that is only yijiang), then Jaro–Winkler
  const rank = (h: FuzzyHit<T>) => [h.distance, h.start - h.end, -h.similarity];
  found.sort((a, b) => compareRank(rank(a), rank(b)));
  const out: FuzzyHit<T>[] = [];
  for (const hit of found) if (!out.some((h) => h.start < hit.end && hit.start < h.end)) out.push(hit);
  return out.sort((a, b) => a.start - b.start);
}

/** The best fit, the others behind it (one per place, each at its best). */
function bestFits<T>(fits: FuzzyFit<T>[]): FuzzyHit<T> | null {
  if (!fits.length) return null;
  fits.sort((a, b) => compareRank(a.rank, b.rank));
  const seen = new Set<T>();
  const kept = fits.filter((f) => !seen.has(f.target) && (seen.add(f.target), true));
  return { ...kept[0], alternatives: kept.slice(1) };
}

export function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (Math.abs(a[i] - b[i]) > 1e-9) return a[i] < b[i] ? -1 : 1;
  return 0;
}
