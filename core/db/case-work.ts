// The desk's work on a case beside its lifecycle: internal notes, leaders' 批示 and the department's
// answers, and assignment to a person. Staff only: nothing here is ever part of a resident's view.
import type { Db } from './connect';

export type NoteKind = 'note' | 'instruction' | 'answer';

export interface CaseNote {
  id: number;
  caseId: number;
  kind: NoteKind;
  author: string;
  authorRole: string;
  departmentCode: string | null;
  body: string;
  answersId: number | null;
  answeredAt: Date | null;
  createdAt: Date;
}

const noteColumns = (sql: Db) => sql`id, case_id, kind, author, author_role, department_code, body, answers_id, answered_at, created_at`;

export async function insertCaseNote(
  sql: Db,
  n: { caseId: number; kind: NoteKind; author: string; authorRole: string; departmentCode: string | null; body: string; answersId?: number | null; at: Date },
): Promise<CaseNote> {
  const [row] = await sql<CaseNote[]>`
    INSERT INTO case_notes (case_id, kind, author, author_role, department_code, body, answers_id, created_at)
    VALUES (${n.caseId}, ${n.kind}, ${n.author}, ${n.authorRole}, ${n.departmentCode}, ${n.body}, ${n.answersId ?? null}, ${n.at})
    RETURNING ${noteColumns(sql)}`;
  return row;
}

export async function listCaseNotes(sql: Db, caseId: number): Promise<CaseNote[]> {
  return [...(await sql<CaseNote[]>`SELECT ${noteColumns(sql)} FROM case_notes WHERE case_id = ${caseId} ORDER BY id`)];
}

/** The oldest 批示 on the case not answered yet (lock the case first). */
export async function oldestOpenInstruction(sql: Db, caseId: number): Promise<CaseNote | undefined> {
  const [row] = await sql<CaseNote[]>`
    SELECT ${noteColumns(sql)} FROM case_notes WHERE case_id = ${caseId} AND kind = 'instruction' AND answered_at IS NULL ORDER BY id LIMIT 1`;
  return row;
}

export async function countOpenInstructions(sql: Db, caseId: number): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM case_notes WHERE case_id = ${caseId} AND kind = 'instruction' AND answered_at IS NULL`;
  return n;
}

export async function markInstructionAnswered(sql: Db, id: number, at: Date): Promise<void> {
  await sql`UPDATE case_notes SET answered_at = ${at} WHERE id = ${id}`;
}

/** Sets the person the case is assigned to (the row must be locked); bumps the version the dashboard holds. */
export async function setCaseAssignee(sql: Db, caseId: number, assignee: string | null): Promise<void> {
  await sql`UPDATE cases SET assignee = ${assignee}, version = version + 1, updated_at = now() WHERE id = ${caseId}`;
}

export async function getCaseAssignee(sql: Db, caseId: number): Promise<string | null> {
  const [row] = await sql<{ assignee: string | null }[]>`SELECT assignee FROM cases WHERE id = ${caseId}`;
  return row?.assignee ?? null;
}

export interface Assignable {
  username: string;
  displayName: string;
}

/** The active staff of a department: whom its cases may be assigned to. */
export async function listDepartmentStaff(sql: Db, departmentCode: string): Promise<Assignable[]> {
  return [...(await sql<Assignable[]>`
    SELECT username, display_name FROM staff_users WHERE role = 'department' AND department_code = ${departmentCode} AND active ORDER BY username`)];
}
