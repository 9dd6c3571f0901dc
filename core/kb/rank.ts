// Ranking of knowledge-base entries for a question (知识库检索), one code for the desk (entries in the
// database, core/db/kb.ts) and for `eval kb` (entries in memory): both answer the same three questions
// (how many entries, their mean length; how many hold each lexeme; which hold any of some lexemes),
// and this file does the rest.
//
// Lexemes are the case search's (core/cases/search.ts searchLexemes): jieba content tokens plus the
// character pairs of each Han run, so 路灯 matches in 赭山路路灯 however jieba cuts it. An entry's score
// is BM25 with two fields (BM25F, binary term frequency): a lexeme in the entry's question counts 1, in
// its answer only 0.5 (answers repeat the stock phrases of every reply); rare lexemes weigh most
// (idf). At most the query's MAX_TERMS most distinctive lexemes are asked for: a bound on the work for a
// very long message (keeping only 48 was tried and scored lower on real messages: the rarest pairs of a
// long text are mostly noise).
import { searchLexemes } from '../cases/search';

export const K1 = 1.2;
export const B = 0.75;
export const ANSWER_WEIGHT = 0.5;
/** the most distinctive query lexemes kept (by idf); a message of usual length has fewer */
export const MAX_TERMS = 400;
/** the category of the case and of the entry agree: a small lift, never enough to beat a better match */
export const SAME_CATEGORY_BONUS = 1.1;
/** a lexeme of the question's heading (a message's subject, a case's title) says what it is about: it weighs double */
export const HEADING_WEIGHT = 2;

/** a chosen query lexeme and its weight (idf, doubled for the heading's) */
export interface Term {
  lexeme: string;
  idf: number;
}

export interface KbDoc {
  id: number;
  questionLexemes: readonly string[];
  answerLexemes: readonly string[];
  category: string | null;
}

export interface CorpusStats {
  /** entries that may be suggested now */
  n: number;
  /** their mean weighted length (question lexemes + ANSWER_WEIGHT × answer lexemes) */
  avgLen: number;
}

/** Where the entries are: the database (valid entries only) or memory (eval). */
export interface KbSource {
  stats(): Promise<CorpusStats>;
  /** how many entries hold each lexeme (lexemes no entry holds may be left out) */
  docFreq(lexemes: readonly string[]): Promise<Map<string, number>>;
  /** the entries holding any of the lexemes */
  candidates(lexemes: readonly string[]): Promise<KbDoc[]>;
}

export interface Ranked {
  id: number;
  /** 0…1: the share of the query's weight the entry matches (1: every chosen lexeme, in a short question) */
  score: number;
  /** the query lexemes found in the entry, most distinctive first (for the clerk: why it was suggested) */
  matched: string[];
}

export const entryLength = (d: Pick<KbDoc, 'questionLexemes' | 'answerLexemes'>) => d.questionLexemes.length + ANSWER_WEIGHT * d.answerLexemes.length;

const idf = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

/** The query's lexemes that count, with their idf: held by some entry, the MAX_TERMS rarest (ties by lexeme, for a stable order). */
export function chooseTerms(lexemes: readonly string[], df: Map<string, number>, n: number, heading: ReadonlySet<string> = new Set()): Term[] {
  return [...new Set(lexemes)]
    .filter((l) => (df.get(l) ?? 0) > 0)
    .map((l) => ({ lexeme: l, idf: idf(n, df.get(l)!) * (heading.has(l) ? HEADING_WEIGHT : 1) }))
    .sort((a, b) => b.idf - a.idf || (a.lexeme < b.lexeme ? -1 : a.lexeme > b.lexeme ? 1 : 0))
    .slice(0, MAX_TERMS);
}

// an entry held in memory is scored by every query: its sets are made once
const setCache = new WeakMap<KbDoc, { q: Set<string>; a: Set<string> }>();
function lexemeSets(d: KbDoc): { q: Set<string>; a: Set<string> } {
  let s = setCache.get(d);
  if (!s) setCache.set(d, (s = { q: new Set(d.questionLexemes), a: new Set(d.answerLexemes) }));
  return s;
}

/** Scores the candidates against the chosen terms; best first, ties by id. */
export function scoreDocs(terms: Term[], docs: readonly KbDoc[], stats: CorpusStats, opts: { category?: string | null } = {}): Ranked[] {
  const maxWeight = terms.reduce((s, t) => s + t.idf * (K1 + 1), 0);
  if (!maxWeight) return [];
  const avg = stats.avgLen || 1;
  const out: Ranked[] = [];
  for (const d of docs) {
    const { q, a } = lexemeSets(d);
    const norm = K1 * (1 - B + (B * entryLength(d)) / avg);
    let sum = 0;
    const matched: string[] = [];
    for (const t of terms) {
      const tf = (q.has(t.lexeme) ? 1 : 0) + (a.has(t.lexeme) ? ANSWER_WEIGHT : 0);
      if (!tf) continue;
      sum += (t.idf * tf * (K1 + 1)) / (tf + norm);
      matched.push(t.lexeme);
    }
    if (!sum) continue;
    const bonus = opts.category && d.category === opts.category ? SAME_CATEGORY_BONUS : 1;
    out.push({ id: d.id, score: Math.min(1, (sum * bonus) / maxWeight), matched });
  }
  return out.sort((x, y) => y.score - x.score || x.id - y.id);
}

/** A question: its text, and its heading when it has one (a message's subject, a case's title). */
export interface Question {
  heading?: string | null;
  text: string;
}

/** The best `limit` entries for a question. */
export async function rankEntries(source: KbSource, question: Question | string, opts: { limit?: number; category?: string | null } = {}): Promise<Ranked[]> {
  const q = typeof question === 'string' ? { text: question } : question;
  const heading = new Set(q.heading ? searchLexemes(q.heading) : []);
  const lexemes = [...heading, ...searchLexemes(q.text)];
  if (!lexemes.length) return [];
  const stats = await source.stats();
  if (!stats.n) return [];
  const terms = chooseTerms(lexemes, await source.docFreq(lexemes), stats.n, heading);
  if (!terms.length) return [];
  const docs = await source.candidates(terms.map((t) => t.lexeme));
  return scoreDocs(terms, docs, stats, opts).slice(0, opts.limit ?? 5);
}

/** The lexemes an entry is stored with. */
export function entryLexemes(e: { question: string; answer: string }): { questionLexemes: string[]; answerLexemes: string[] } {
  return { questionLexemes: searchLexemes(e.question), answerLexemes: searchLexemes(e.answer) };
}

/** Entries in memory (eval kb, tests): the same answers the database gives, from an inverted index. */
export class MemoryKbSource implements KbSource {
  private readonly postings = new Map<string, number[]>();
  private readonly docs: KbDoc[] = [];
  add(doc: KbDoc): void {
    const i = this.docs.push(doc) - 1;
    for (const l of new Set([...doc.questionLexemes, ...doc.answerLexemes])) {
      const p = this.postings.get(l);
      if (p) p.push(i);
      else this.postings.set(l, [i]);
    }
  }
  async stats(): Promise<CorpusStats> {
    return { n: this.docs.length, avgLen: this.docs.length ? this.docs.reduce((s, d) => s + entryLength(d), 0) / this.docs.length : 0 };
  }
  async docFreq(lexemes: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const l of lexemes) {
      const n = this.postings.get(l)?.length ?? 0;
      if (n) out.set(l, n);
    }
    return out;
  }
  async candidates(lexemes: readonly string[]): Promise<KbDoc[]> {
    const seen = new Set<number>();
    for (const l of lexemes) for (const i of this.postings.get(l) ?? []) seen.add(i);
    return [...seen].sort((a, b) => a - b).map((i) => this.docs[i]);
  }
}
