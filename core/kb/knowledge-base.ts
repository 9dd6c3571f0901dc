// 知识库 use cases: who may write which entry, entries with their lexemes, suggestions for a case, an
// entry made from a case's sent reply, and reply templates filled from a case. SQL stays in core/db/kb.ts.
import type { StaffUser } from '../auth/staff';
import { shanghaiDateKey } from '../cases/calendar';
import type { CaseRow } from '../db/cases';
import type { Db } from '../db/connect';
import { dbKbSource, getKbEntries, insertKbEntry, updateKbEntry, type KbEntry, type KbEntryFields } from '../db/kb';
import { detectPii, type PiiKind, type PiiSpan } from '../nlp/pii';
import { entryLexemes, rankEntries } from './rank';

/** centre and admins write any entry; a department its own department's; leaders read only */
export function canWriteEntry(user: StaffUser, entryDepartment: string | null): boolean {
  if (user.role === 'admin' || user.role === 'centre') return true;
  return user.role === 'department' && !!user.departmentCode && entryDepartment === user.departmentCode;
}

/** the calendar day entries are judged valid on (Asia/Shanghai) */
export const kbToday = (now = new Date()) => shanghaiDateKey(now);

export function createEntry(sql: Db, fields: KbEntryFields, by: { createdBy: string; sourceCaseId?: number | null }): Promise<KbEntry> {
  return insertKbEntry(sql, { ...fields, ...entryLexemes(fields), createdBy: by.createdBy, sourceCaseId: by.sourceCaseId ?? null });
}

export function changeEntry(sql: Db, id: number, fields: KbEntryFields): Promise<KbEntry | undefined> {
  return updateKbEntry(sql, id, { ...fields, ...entryLexemes(fields) });
}

/** what a case asks, as the knowledge base is searched by it */
export const caseQuestion = (c: Pick<CaseRow, 'title' | 'summary'>) => [c.title ?? '', c.summary].join(' ').trim();

export interface Suggestion {
  entry: KbEntry;
  /** 0…1 (core/kb/rank.ts) */
  score: number;
  matched: string[];
}

/** The best entries valid today for a case's question (the case's category lifts entries of the same one a little). */
export async function suggestEntries(sql: Db, c: Pick<CaseRow, 'title' | 'summary' | 'category'>, opts: { limit?: number; now?: Date } = {}): Promise<Suggestion[]> {
  const ranked = await rankEntries(dbKbSource(sql, kbToday(opts.now)), { heading: c.title, text: c.summary }, { limit: opts.limit ?? 5, category: c.category });
  const byId = new Map((await getKbEntries(sql, ranked.map((r) => r.id))).map((e) => [e.id, e]));
  return ranked.filter((r) => byId.has(r.id)).map((r) => ({ entry: byId.get(r.id)!, score: r.score, matched: r.matched.slice(0, 8) }));
}

/** The placeholders a template may use, and what fills them. */
export const PLACEHOLDERS = ['居民称呼', '受理编号', '承办单位'] as const;
const PLACEHOLDER = /\{([^{}\s]{1,12})\}/g;

export function unknownPlaceholders(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p)))];
}

/**
 * How the reply addresses the resident: the name they gave when it is already a form of address
 * (王先生, 李女士), else 市民朋友 — a bare full name is not turned into a guessed 先生 or 女士.
 */
export function residentAddress(contactName: string | null | undefined): string {
  const n = contactName?.trim() ?? '';
  return /^\p{Script=Han}{1,3}(先生|女士|同志|老师|师傅)$/u.test(n) ? n : '市民朋友';
}

export function fillTemplate(body: string, values: PlaceholderValues): string {
  return body.replace(PLACEHOLDER, (whole, p: string) => ((PLACEHOLDERS as readonly string[]).includes(p) ? values[p as (typeof PLACEHOLDERS)[number]] : whole));
}

export type PlaceholderValues = Record<(typeof PLACEHOLDERS)[number], string>;

/** What fills a template or an entry's answer for a case. */
export function placeholderValues(c: Pick<CaseRow, 'trackingNo' | 'departmentCode'>, contactName: string | null | undefined, departments: readonly { code: string; name: string }[]): PlaceholderValues {
  const department = c.departmentCode ? (departments.find((d) => d.code === c.departmentCode)?.name ?? c.departmentCode) : '12345 市民服务热线';
  return { 居民称呼: residentAddress(contactName), 受理编号: c.trackingNo, 承办单位: department };
}

/**
 * A sent reply made general for the knowledge base: this case's tracking number and the resident's form
 * of address become placeholders again, so the entry never carries one resident's details into
 * another's reply (the desk fills them for the case it is inserted into).
 */
export function generaliseReply(reply: string, values: PlaceholderValues): string {
  let out = reply.split(values.受理编号).join('{受理编号}');
  if (values.居民称呼 !== '市民朋友') out = out.split(values.居民称呼).join('{居民称呼}');
  return out;
}

/**
 * Personal data a clerk typed into an entry (a phone number, an ID card, a name) is masked before the
 * entry is stored: an entry is read by every staff account and travels into other residents' replies.
 * Uses the project's PII finder (core/nlp/pii.ts). One exception: a landline in the answer is kept, as
 * answers give the office's public number to call (a question's landline is masked like the rest).
 * Returns the masked fields and what was masked.
 */
export function maskEntryPii<T extends { question: string; answer: string }>(fields: T): { fields: T; masked: number; maskedKinds: PiiKind[] } {
  const q = detectPii(fields.question).spans;
  const a = detectPii(fields.answer).spans.filter((s) => s.kind !== 'landline');
  const apply = (text: string, spans: PiiSpan[]) => {
    let out = '';
    let at = 0;
    for (const s of spans) {
      out += text.slice(at, s.start) + s.masked;
      at = s.end;
    }
    return out + text.slice(at);
  };
  const all = [...q, ...a];
  return { fields: { ...fields, question: apply(fields.question, q), answer: apply(fields.answer, a) }, masked: all.length, maskedKinds: [...new Set(all.map((s) => s.kind))] };
}
