// 知识库 entries and reply templates (migration 0080). Entries carry their lexemes (core/kb/rank.ts);
// the search asks only for entries valid on the given day (Asia/Shanghai calendar date, inclusive).
import type { Db } from './connect';
import { lexemeQuery } from './cases';
import type { CorpusStats, KbDoc, KbSource } from '../kb/rank';

/** What an entry's author writes. */
export interface KbEntryFields {
  question: string;
  answer: string;
  category: string | null;
  departmentCode: string | null;
  /** YYYY-MM-DD, inclusive; null: open-ended */
  validFrom: string | null;
  validTo: string | null;
}

export interface KbEntry extends KbEntryFields {
  id: number;
  createdBy: string;
  sourceCaseId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

const entryColumns = (sql: Db) => sql`
  id, question, answer, category, department_code, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to,
  created_by, source_case_id, created_at, updated_at`;

/** entries that may be suggested on `day` */
const validOn = (sql: Db, day: string) => sql`(valid_from IS NULL OR valid_from <= ${day}::date) AND (valid_to IS NULL OR valid_to >= ${day}::date)`;

/** each lexeme as a tsquery of its own (exact, no prefix) */
const exact = (l: string) => `'${l.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

export async function insertKbEntry(
  sql: Db,
  e: KbEntryFields & { createdBy: string; sourceCaseId: number | null; questionLexemes: string[]; answerLexemes: string[] },
): Promise<KbEntry> {
  const [row] = await sql<KbEntry[]>`
    INSERT INTO kb_entries (question, answer, category, department_code, valid_from, valid_to, created_by, source_case_id, question_lexemes, answer_lexemes, search_tsv)
    VALUES (${e.question}, ${e.answer}, ${e.category}, ${e.departmentCode}, ${e.validFrom}::date, ${e.validTo}::date, ${e.createdBy}, ${e.sourceCaseId},
      ${e.questionLexemes}::text[], ${e.answerLexemes}::text[], array_to_tsvector(${[...new Set([...e.questionLexemes, ...e.answerLexemes])]}::text[]))
    RETURNING ${entryColumns(sql)}`;
  return row;
}

export async function updateKbEntry(sql: Db, id: number, e: KbEntryFields & { questionLexemes: string[]; answerLexemes: string[] }): Promise<KbEntry | undefined> {
  const [row] = await sql<KbEntry[]>`
    UPDATE kb_entries SET question = ${e.question}, answer = ${e.answer}, category = ${e.category}, department_code = ${e.departmentCode},
      valid_from = ${e.validFrom}::date, valid_to = ${e.validTo}::date, question_lexemes = ${e.questionLexemes}::text[], answer_lexemes = ${e.answerLexemes}::text[],
      search_tsv = array_to_tsvector(${[...new Set([...e.questionLexemes, ...e.answerLexemes])]}::text[]), updated_at = now()
    WHERE id = ${id}
    RETURNING ${entryColumns(sql)}`;
  return row;
}

export async function deleteKbEntry(sql: Db, id: number): Promise<boolean> {
  return (await sql`DELETE FROM kb_entries WHERE id = ${id}`).count > 0;
}

export async function getKbEntry(sql: Db, id: number): Promise<KbEntry | undefined> {
  const [row] = await sql<KbEntry[]>`SELECT ${entryColumns(sql)} FROM kb_entries WHERE id = ${id}`;
  return row;
}

export async function getKbEntries(sql: Db, ids: number[]): Promise<KbEntry[]> {
  if (!ids.length) return [];
  return [...(await sql<KbEntry[]>`SELECT ${entryColumns(sql)} FROM kb_entries WHERE id IN ${sql(ids)}`)];
}

/** The management list, newest first: optionally one department's, one category's, only those valid on `validOn`, or matching all query lexemes. */
export async function listKbEntries(
  sql: Db,
  f: { departmentCode?: string; category?: string; validOn?: string; qLexemes?: string[]; limit: number; offset: number },
): Promise<{ total: number; items: KbEntry[] }> {
  const where = sql`WHERE true
    ${f.departmentCode ? sql`AND department_code = ${f.departmentCode}` : sql``}
    ${f.category ? sql`AND category = ${f.category}` : sql``}
    ${f.validOn ? sql`AND ${validOn(sql, f.validOn)}` : sql``}
    ${f.qLexemes?.length ? sql`AND search_tsv @@ ${lexemeQuery(f.qLexemes)}::tsquery` : sql``}`;
  const [{ total }] = await sql<{ total: number }[]>`SELECT count(*)::int AS total FROM kb_entries ${where}`;
  const items = await sql<KbEntry[]>`SELECT ${entryColumns(sql)} FROM kb_entries ${where} ORDER BY id DESC LIMIT ${f.limit} OFFSET ${f.offset}`;
  return { total, items: [...items] };
}

/** The entries valid on `day`, as the ranking asks for them (core/kb/rank.ts). */
export function dbKbSource(sql: Db, day: string): KbSource {
  return {
    async stats(): Promise<CorpusStats> {
      const [r] = await sql<{ n: number; avgLen: number }[]>`
        SELECT count(*)::int AS n, coalesce(avg(cardinality(question_lexemes) + 0.5 * cardinality(answer_lexemes)), 0)::float8 AS avg_len
        FROM kb_entries WHERE ${validOn(sql, day)}`;
      return { n: r.n, avgLen: r.avgLen };
    },
    async docFreq(lexemes) {
      const ls = [...new Set(lexemes)];
      if (!ls.length) return new Map();
      const rows = await sql<{ lexeme: string; df: number }[]>`
        SELECT t.lexeme, count(e.id)::int AS df
        FROM unnest(${ls}::text[], ${ls.map(exact)}::text[]) AS t (lexeme, q)
        JOIN kb_entries e ON e.search_tsv @@ t.q::tsquery AND ${validOn(sql, day)}
        GROUP BY t.lexeme`;
      return new Map(rows.map((r) => [r.lexeme, r.df]));
    },
    async candidates(lexemes) {
      if (!lexemes.length) return [];
      const rows = await sql<KbDoc[]>`
        SELECT id, question_lexemes, answer_lexemes, category FROM kb_entries
        WHERE search_tsv @@ ${lexemes.map(exact).join(' | ')}::tsquery AND ${validOn(sql, day)}
        ORDER BY id`;
      return rows.map((r) => ({ ...r, id: Number(r.id) }));
    },
  };
}

export interface ReplyTemplate {
  id: number;
  name: string;
  body: string;
  category: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const templateColumns = (sql: Db) => sql`id, name, body, category, created_by, created_at, updated_at`;

export async function listReplyTemplates(sql: Db, category?: string): Promise<ReplyTemplate[]> {
  // a category's own templates first, then the general ones
  return [...(await sql<ReplyTemplate[]>`
    SELECT ${templateColumns(sql)} FROM reply_templates
    ${category ? sql`WHERE category IS NULL OR category = ${category}` : sql``}
    ORDER BY (category IS NULL), name`)];
}

export async function getReplyTemplate(sql: Db, id: number): Promise<ReplyTemplate | undefined> {
  const [row] = await sql<ReplyTemplate[]>`SELECT ${templateColumns(sql)} FROM reply_templates WHERE id = ${id}`;
  return row;
}

export async function templateNameTaken(sql: Db, name: string, exceptId?: number): Promise<boolean> {
  const [row] = await sql`SELECT 1 FROM reply_templates WHERE name = ${name} ${exceptId ? sql`AND id <> ${exceptId}` : sql``}`;
  return !!row;
}

export async function insertReplyTemplate(sql: Db, t: { name: string; body: string; category: string | null; createdBy: string }): Promise<ReplyTemplate> {
  const [row] = await sql<ReplyTemplate[]>`
    INSERT INTO reply_templates (name, body, category, created_by) VALUES (${t.name}, ${t.body}, ${t.category}, ${t.createdBy})
    RETURNING ${templateColumns(sql)}`;
  return row;
}

export async function updateReplyTemplate(sql: Db, id: number, t: { name: string; body: string; category: string | null }): Promise<ReplyTemplate | undefined> {
  const [row] = await sql<ReplyTemplate[]>`
    UPDATE reply_templates SET name = ${t.name}, body = ${t.body}, category = ${t.category}, updated_at = now() WHERE id = ${id}
    RETURNING ${templateColumns(sql)}`;
  return row;
}

export async function deleteReplyTemplate(sql: Db, id: number): Promise<boolean> {
  return (await sql`DELETE FROM reply_templates WHERE id = ${id}`).count > 0;
}
