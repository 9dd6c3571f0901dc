// Leaders' 批示 on a 舆情 topic and the departments' answers (staff only).
import type { Db } from './connect';

export interface TopicInstructionDepartment {
  departmentCode: string;
  departmentName: string;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: Date | null;
  /** the department's cases in the topic now (id, tracking number, status) */
  cases: { id: number; trackingNo: string; status: string }[];
}

export interface TopicInstruction {
  id: number;
  topicId: number;
  topicLabel: string;
  author: string;
  authorRole: string;
  body: string;
  createdAt: Date;
  departments: TopicInstructionDepartment[];
}

/** The departments that have a case of the topic (live cases only: not merged away), by code. */
export async function topicCaseDepartments(sql: Db, topicId: number): Promise<string[]> {
  const rows = await sql<{ code: string }[]>`
    SELECT DISTINCT c.department_code AS code
    FROM opinion_topic_members m JOIN cases c ON c.id = m.case_id JOIN departments d ON d.code = c.department_code
    WHERE m.topic_id = ${topicId} AND c.merged_into IS NULL AND d.kind <> 'centre'
    ORDER BY 1`;
  return rows.map((r) => r.code);
}

export async function insertTopicInstruction(
  sql: Db,
  i: { topicId: number; topicLabel: string; author: string; authorRole: string; body: string; departments: string[]; at: Date },
): Promise<number> {
  const [{ id }] = await sql<{ id: number }[]>`
    INSERT INTO topic_instructions (topic_id, topic_label, author, author_role, body, created_at)
    VALUES (${i.topicId}, ${i.topicLabel}, ${i.author}, ${i.authorRole}, ${i.body}, ${i.at}) RETURNING id`;
  await sql`INSERT INTO topic_instruction_departments ${sql(i.departments.map((d) => ({ instruction_id: id, department_code: d })) as never, 'instruction_id', 'department_code')}`;
  return Number(id);
}

/** Locks one department's row of an instruction (undefined: the department is not asked to answer it). */
export async function lockInstructionDepartment(sql: Db, instructionId: number, department: string): Promise<{ answeredAt: Date | null } | undefined> {
  const [row] = await sql<{ answeredAt: Date | null }[]>`
    SELECT answered_at FROM topic_instruction_departments WHERE instruction_id = ${instructionId} AND department_code = ${department} FOR UPDATE`;
  return row;
}

export async function answerInstructionDepartment(sql: Db, a: { instructionId: number; department: string; answer: string; by: string; at: Date }): Promise<void> {
  await sql`
    UPDATE topic_instruction_departments SET answer = ${a.answer}, answered_by = ${a.by}, answered_at = ${a.at}
    WHERE instruction_id = ${a.instructionId} AND department_code = ${a.department}`;
}

/**
 * Instructions with every department's answer and its cases in the topic: of one topic, or the ones a
 * department has still to answer (`openFor`), or all open ones (`open`), newest first.
 */
export async function listTopicInstructions(sql: Db, f: { topicId?: number; openFor?: string; open?: boolean; id?: number; limit?: number }): Promise<TopicInstruction[]> {
  const where = f.id !== undefined ? sql`i.id = ${f.id}`
    : f.topicId !== undefined ? sql`i.topic_id = ${f.topicId}`
    : f.openFor !== undefined ? sql`EXISTS (SELECT 1 FROM topic_instruction_departments o WHERE o.instruction_id = i.id AND o.department_code = ${f.openFor} AND o.answered_at IS NULL)`
    : f.open ? sql`EXISTS (SELECT 1 FROM topic_instruction_departments o WHERE o.instruction_id = i.id AND o.answered_at IS NULL)`
    : sql`true`;
  const rows = await sql<(Omit<TopicInstruction, 'departments'> & { departments: (Omit<TopicInstructionDepartment, 'answeredAt'> & { answeredAt: string | null })[] | null })[]>`
    SELECT i.id, i.topic_id, i.topic_label, i.author, i.author_role, i.body, i.created_at,
      (SELECT jsonb_agg(jsonb_build_object(
          'departmentCode', d.department_code, 'departmentName', coalesce(dep.short_name, d.department_code),
          'answer', d.answer, 'answeredBy', d.answered_by, 'answeredAt', d.answered_at,
          'cases', coalesce((SELECT jsonb_agg(jsonb_build_object('id', c.id, 'trackingNo', c.tracking_no, 'status', c.status) ORDER BY c.id)
            FROM cases c WHERE c.department_code = d.department_code AND c.merged_into IS NULL
              AND c.id IN (SELECT m.case_id FROM opinion_topic_members m WHERE m.topic_id = i.topic_id)), '[]'::jsonb)
        ) ORDER BY d.department_code)
        FROM topic_instruction_departments d LEFT JOIN departments dep ON dep.code = d.department_code
        WHERE d.instruction_id = i.id) AS departments
    FROM topic_instructions i WHERE ${where}
    ORDER BY i.id DESC LIMIT ${f.limit ?? 100}`;
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    topicId: Number(r.topicId),
    departments: (r.departments ?? []).map((d) => ({ ...d, answeredAt: d.answeredAt ? new Date(d.answeredAt) : null })),
  }));
}
