// Live generic words (migration 0111): per-group word counts (a group is a predicted category,
// 'c:…') and the words mined from them (core/opinion/live-generic.ts).
import type { Db } from './connect';

// a group's message count lives under a name no word can have (tokens are trimmed)
export const GROUP_DOCS = ' docs';

/** Counts one more message of each group containing each of `words` (and of the group itself). */
export async function addGroupCounts(sql: Db, groups: string[], words: string[]): Promise<void> {
  if (!groups.length) return;
  const all = [GROUP_DOCS, ...new Set(words)];
  const terms: string[] = [];
  const grps: string[] = [];
  for (const g of new Set(groups)) for (const w of all) {
    terms.push(w);
    grps.push(g);
  }
  for (let i = 0; i < terms.length; i += 5000) {
    await sql`
      INSERT INTO opinion_term_groups (term, grp, df)
      SELECT t, g, 1 FROM unnest(${sql.array(terms.slice(i, i + 5000))}::text[], ${sql.array(grps.slice(i, i + 5000))}::text[]) AS x(t, g)
      ON CONFLICT (grp, term) DO UPDATE SET df = opinion_term_groups.df + 1`;
  }
}

/** Messages counted under the groups of this kind ('c:': each message is in one category, so the sum of the groups). */
export async function countGroupDocs(sql: Db, prefix: string): Promise<number> {
  const [r] = await sql<{ n: number | null }[]>`SELECT sum(df)::int AS n FROM opinion_term_groups WHERE term = ${GROUP_DOCS} AND grp LIKE ${`${prefix}%`}`;
  return r?.n ?? 0;
}

/** Every count of the groups of this kind with at least `minDocs` messages in all: word → group → messages. */
export async function listGroupCounts(sql: Db, prefix: string, minDocs: number): Promise<{ groups: Map<string, number>; words: Map<string, Map<string, number>> }> {
  const rows = await sql<{ term: string; grp: string; df: number }[]>`
    SELECT c.term, c.grp, c.df FROM opinion_term_groups c
    WHERE c.grp LIKE ${`${prefix}%`} AND (c.term = ${GROUP_DOCS} OR c.term IN (
      SELECT term FROM opinion_term_groups WHERE grp LIKE ${`${prefix}%`} GROUP BY term HAVING sum(df) >= ${minDocs}))`;
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

/** Replaces the mined list. */
export async function saveGenericWords(sql: Db, words: GenericWordRow[], at: Date): Promise<void> {
  await sql`DELETE FROM opinion_generic_words`;
  for (let i = 0; i < words.length; i += 2000) {
    const chunk = words.slice(i, i + 2000);
    await sql`
      INSERT INTO opinion_generic_words (word, docs, groups, evenness, mined_at)
      SELECT w, d, g, e, ${at} FROM unnest(${sql.array(chunk.map((x) => x.word))}::text[], ${sql.array(chunk.map((x) => x.docs))}::int[],
        ${sql.array(chunk.map((x) => x.groups))}::int[], ${sql.array(chunk.map((x) => x.evenness))}::real[]) AS x(w, d, g, e)`;
  }
}

export async function listGenericWords(sql: Db): Promise<GenericWordRow[]> {
  return sql<GenericWordRow[]>`SELECT word, docs, groups, evenness FROM opinion_generic_words ORDER BY docs DESC, word`;
}
