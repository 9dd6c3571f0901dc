// Generic words mined from our own seed corpus (lexicons/seed/messages*.csv): a word that residents
// use about every kind of problem alike (加快, 尽快, 多次, 严重…) says nothing about *which* problem a
// message is about, so it must neither join two messages into one topic nor name a topic. "Alike" is
// measured, not typed: the word's document frequency in each of the seven categories, as a rate of
// that category's messages, spread evenly across them (normalised entropy of the rates) and present
// in nearly all of them. `npm run --silent cli -- eval topics --mine-generic` prints the list; the
// shipped copy (lexicons/opinion.json `minedGenericWords`) is checked against it by a test.
import path from 'node:path';
import { loadSeedMessages, SEED_FILE } from '../demo/seed-corpus';
import { segment } from '../nlp/segment';

export interface GenericWordCriteria {
  /** at least this share of all messages use the word (rarer words carry too little evidence of spread) */
  minDocShare: number;
  /** in at least this many categories */
  minCategories: number;
  /** normalised entropy (0–1) of the per-category rates at least this: 1 = used by every category at the same rate */
  minEvenness: number;
}

export const GENERIC_CRITERIA: GenericWordCriteria = { minDocShare: 0.004, minCategories: 6, minEvenness: 0.9 };

export interface MinedWord {
  word: string;
  docs: number;
  categories: number;
  evenness: number;
}

// a content word as the topic code reads words: two characters or more, no digits or Latin letters
const WORD = /^[\p{Script=Han}]{2,}$/u;

/**
 * `places`: the gazetteer's names (city, districts, streets, communities, roads, landmarks). The seed
 * corpus moves each message to many places, so a place name is spread evenly too; a word inside a
 * place name (赭山 of 赭山路) is the "where", kept out of this list.
 */
export function mineGenericWords(docs: { text: string; category: string }[], places: string[], c: GenericWordCriteria = GENERIC_CRITERIA): MinedWord[] {
  const perCategory = new Map<string, number>();
  const df = new Map<string, Map<string, number>>();
  for (const d of docs) {
    perCategory.set(d.category, (perCategory.get(d.category) ?? 0) + 1);
    for (const w of contentWords(segment(d.text))) {
      let m = df.get(w);
      if (!m) df.set(w, (m = new Map()));
      m.set(d.category, (m.get(d.category) ?? 0) + 1);
    }
  }
  return genericFromCounts(perCategory, df, docs.length, c, (word) => places.some((p) => p.includes(word)));
}

/** The distinct words of a token list that the miners count (two Han characters or more). */
export function contentWords(tokens: string[]): string[] {
  return [...new Set(tokens.filter((t) => WORD.test(t)))];
}

/**
 * The shared criteria, on counts: `groups` group → messages (categories, or districts), `words`
 * word → group → messages using it, `total` all messages counted. A word used by at least
 * `minDocShare` of the messages, in at least `minCategories` groups, at rates spread evenly
 * (normalised entropy ≥ `minEvenness`) is generic; `skip` keeps some words out (place names, problem objects).
 */
export function genericFromCounts(groups: Map<string, number>, words: Map<string, Map<string, number>>, total: number, c: GenericWordCriteria, skip: (word: string) => boolean = () => false): MinedWord[] {
  const keys = [...groups.keys()];
  const out: MinedWord[] = [];
  if (keys.length < 2) return out;
  for (const [word, m] of words) {
    const docsWith = [...m.values()].reduce((a, b) => a + b, 0);
    if (docsWith < c.minDocShare * total || m.size < c.minCategories) continue;
    const rates = keys.map((k) => (m.get(k) ?? 0) / groups.get(k)!);
    const sum = rates.reduce((a, b) => a + b, 0);
    const h = -rates.filter((r) => r > 0).reduce((a, r) => a + (r / sum) * Math.log(r / sum), 0);
    const evenness = h / Math.log(keys.length);
    if (evenness < c.minEvenness || skip(word)) continue;
    out.push({ word, docs: docsWith, categories: m.size, evenness: Math.round(evenness * 1000) / 1000 });
  }
  return out.sort((a, b) => b.docs - a.docs || a.word.localeCompare(b.word));
}

/** Every name of the gazetteer, for mineGenericWords. */
export function gazetteerNames(g: { city: string; districts: { name: string; aliases: string[]; streets: { name: string; aliases: string[]; communities: string[]; roads: string[] }[] }[]; landmarks: { name: string }[] }): string[] {
  const out = [g.city, ...g.landmarks.map((l) => l.name)];
  for (const d of g.districts) {
    out.push(d.name, ...d.aliases);
    for (const s of d.streets) out.push(s.name, ...s.aliases, ...s.communities, ...s.roads);
  }
  return out;
}

/** The seed corpus's messages (all its parts) with their categories. */
export function seedCorpusDocs(): { text: string; category: string }[] {
  const dir = path.dirname(SEED_FILE);
  return [SEED_FILE, path.join(dir, 'messages-2.csv'), path.join(dir, 'messages-3.csv')].flatMap((f) => loadSeedMessages(f)).map((m) => ({ text: m.text, category: m.category }));
}
