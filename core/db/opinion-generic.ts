// Live generic words (migrations 0111, 0112): per-group word counts (a group is a predicted category,
// 'c:…'; group ' all' holds each word's total over the categories) and the words mined from them
// (core/opinion/live-generic.ts).
import type { Db, Sql } from './connect';

// a group's message count lives under a name no word can have (tokens are trimmed)
export const GROUP_DOCS = ' docs';
// each word's total over the categories (a name no category can have)
const ALL = ' all';
// the category groups: a range no collation can reorder (LIKE 'c:%' cannot use a btree under a non-C collation)
const inCategories = (sql: Db) => sql`grp COLLATE "C" >= 'c:' AND grp COLLATE "C" < 'c;'`;

/** The (term, group) rows one message adds to: each word and the group's own count, under each group (and ' all' for a category). */
export function groupCountRows(groups: string[], words: string[]): { terms: string[]; grps: string[] } {
  const terms: string[] = [];
  const grps: string[] = [];
  if (!groups.length) return { terms, grps };
  const all = [GROUP_DOCS, ...new Set(words)];
  const gs = new Set(groups);
  if ([...gs].some((g) => g.startsWith('c:'))) gs.add(ALL);
  for (const g of gs) for (const w of all) {
    terms.push(w);
    grps.push(g);
  }
  return { terms, grps };
}

/** Counts one more message of each group containing each of `words` (and of the group itself). */
export async function addGroupCounts(sql: Db, groups: string[], words: string[]): Promise<void> {
  const { terms, grps } = groupCountRows(groups, words);
  await addGroupCountsBatch(sql, terms, grps, terms.map(() => 1));
}

/**
 * Adds `counts[i]` to the count of `terms[i]` under `grps[i]`, in the order given (writers that
 * each pass one sorted order cannot deadlock one another).
 */
export async function addGroupCountsBatch(sql: Db, terms: string[], grps: string[], counts: number[]): Promise<void> {
  for (let i = 0; i < terms.length; i += 5000) {
    await sql`
      INSERT INTO opinion_term_groups (term, grp, df)
      SELECT * FROM unnest(${sql.array(terms.slice(i, i + 5000))}::text[], ${sql.array(grps.slice(i, i + 5000))}::text[], ${sql.array(counts.slice(i, i + 5000))}::int[])
      ON CONFLICT (grp, term) DO UPDATE SET df = opinion_term_groups.df + excluded.df`;
  }
}

/** Messages counted under a category (each message is in one category). */
export async function countCategoryDocs(sql: Db): Promise<number> {
  const [r] = await sql<{ n: number }[]>`SELECT df AS n FROM opinion_term_groups WHERE grp = ${ALL} AND term = ${GROUP_DOCS}`;
  return r?.n ?? 0;
}

/**
 * The category counts of the words counted in at least `minDocs` messages in all: category →
 * messages, word → category → messages. Reads the words' totals (group ' all'), then only those
 * words' rows, by word.
 */
export async function listCategoryCounts(sql: Db, minDocs: number): Promise<{ groups: Map<string, number>; words: Map<string, Map<string, number>> }> {
  const rows = await sql<{ term: string; grp: string; df: number }[]>`
    SELECT c.term, c.grp, c.df FROM opinion_term_groups c
    WHERE c.term = ANY(ARRAY(SELECT term FROM opinion_term_groups WHERE grp = ${ALL} AND (df >= ${minDocs} OR term = ${GROUP_DOCS})))
      AND ${inCategories(sql)}`;
  const groups = new Map<string, number>();
  const words = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.term === GROUP_DOCS) {
      groups.set(r.grp, r.df);
      continue;
    }
    let m = words.get(r.term);
    if (!m) words.set(r.term, (m = new Map()));
    m.set(r.grp, r.df);
  }
  return { groups, words };
}

export interface GenericWordRow {
  word: string;
  docs: number;
  groups: number;
  evenness: number;
}

/**
 * Replaces the mined list in one statement: a concurrent reader sees the old list or the new one,
 * never an empty or partial one. Two overlapping re-clusters take turns (a transaction lock), so the
 * later one's statement sees the earlier one's list and replaces all of it.
 */
export async function saveGenericWords(sql: Sql, words: GenericWordRow[], at: Date): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtext('opinion_generic_words'))`;
    await tx`
    WITH fresh AS (
      SELECT w, d, g, e FROM unnest(${sql.array(words.map((x) => x.word))}::text[], ${sql.array(words.map((x) => x.docs))}::int[],
        ${sql.array(words.map((x) => x.groups))}::int[], ${sql.array(words.map((x) => x.evenness))}::real[]) AS x(w, d, g, e)
    ), gone AS (
      DELETE FROM opinion_generic_words o WHERE NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.w = o.word)
    )
    INSERT INTO opinion_generic_words (word, docs, groups, evenness, mined_at)
    SELECT w, d, g, e, ${at} FROM fresh
    ON CONFLICT (word) DO UPDATE SET docs = excluded.docs, groups = excluded.groups, evenness = excluded.evenness, mined_at = excluded.mined_at`;
  });
}

export async function listGenericWords(sql: Db): Promise<GenericWordRow[]> {
  return sql<GenericWordRow[]>`SELECT word, docs, groups, evenness FROM opinion_generic_words ORDER BY docs DESC, word`;
}
