// Chinese full-text search for the staff case list: a case's text is cut by the project's jieba
// segmenter (core/nlp/segment.ts) into lexemes stored in cases.search_tsv (GIN-indexed); a query is cut
// the same way and every token must match (by its character pairs, each as a prefix: see
// searchLexemes). The lexemes are stored
// as they are (array_to_tsvector), which is what the 'simple' configuration would keep for Chinese and
// needs neither a parser that knows CJK nor an extension (zhparser, pg_jieba) in either run mode.
import { listUnindexedCases, setCaseSearchLexemesBulk } from '../db/cases';
import type { Db } from '../db/connect';
import { segment } from '../nlp/segment';

const CJK = /\p{Script=Han}/u;

/** Overlapping character pairs of a run of Han characters (路灯不亮 → 路灯 灯不 不亮); a single character stays as it is. */
function pairs(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  return chars.slice(0, -1).map((c, i) => c + chars[i + 1]);
}

const clean = (text: string) => segment(text.normalize('NFKC')).map((t) => t.toLowerCase()).filter((t) => t.length <= 60);

/**
 * What a text is indexed by: its jieba content tokens, and the character pairs of each run of Han
 * characters. jieba alone cuts the same words differently in different contexts (赭山路路灯不亮 gives
 * 路 | 灯不亮, while a query 路灯 stays whole), so matching is on pairs, as CJK analyzers do.
 */
export function searchLexemes(text: string): string[] {
  const out = new Set<string>();
  const tokens = clean(text);
  for (const t of tokens) out.add(t);
  // the pairs run across token boundaries (路 | 灯不亮 still holds 路灯): they are taken from the text itself
  for (const run of text.normalize('NFKC').match(/\p{Script=Han}+/gu) ?? []) for (const p of pairs(run)) out.add(p);
  return [...out];
}

/**
 * What a query must find, all of it (each as a prefix): the query is cut by jieba the same way, and
 * each Han token is asked for by its character pairs; other tokens (numbers, 门牌号, Latin) whole.
 */
export function queryLexemes(q: string): string[] {
  const out = new Set<string>();
  for (const t of clean(q)) {
    if (CJK.test(t) && /^\p{Script=Han}+$/u.test(t)) for (const p of pairs(t)) out.add(p);
    else out.add(t);
  }
  return [...out];
}

/** What a case is searched by. */
export function caseSearchText(c: { title: string | null; summary: string; address: string | null; trackingNo: string }): string {
  return [c.trackingNo, c.title ?? '', c.summary, c.address ?? ''].join(' ');
}

/**
 * Indexes cases without lexemes (opened before search existed, bulk-seeded, or whose text changed:
 * migration 0105's trigger clears them), a batch at a time in one write; returns how many. Run by
 * the read-model sweep and the seed, never by a request (the search reads unindexed cases by ILIKE).
 */
export async function indexUnindexedCases(sql: Db, batch = 500): Promise<number> {
  const rows = await listUnindexedCases(sql, batch);
  const cache = new Map<string, string[]>();
  await setCaseSearchLexemesBulk(sql, rows.map((r) => {
    const text = caseSearchText(r);
    let lex = cache.get(text);
    if (!lex) cache.set(text, (lex = searchLexemes(text)));
    return { id: r.id, lexemes: lex, read: r };
  }));
  return rows.length;
}
