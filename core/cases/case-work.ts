// The desk's work on a case that is no lifecycle transition: an internal note (内部备注, never shown to
// residents), 催办 by the centre by hand, assignment to a person in the owning department (指派经办人),
// a leader's 批示 and the department's answer to it. Who may do which, and when, is declared with the
// other staff actions (staff-actions.ts); each here runs in one transaction with the case row locked
// and leaves an event in the case's history (without the note's text: that stays in case_notes).
// A 批示 on a 舆情 topic (answered by every department of its cases) is core/opinion/instruct-topic.ts.
import { appendCaseEvents, getCase, lockCaseStatus } from '../db/cases';
import { insertCaseNote, listDepartmentStaff, markInstructionAnswered, oldestOpenInstruction, setCaseAssignee, type CaseNote } from '../db/case-work';
import type { CaseEventInput } from '../db/cases';
import { CaseNotFoundError, type CaseServiceDeps } from './deps';
import type { Actor } from './lifecycle';

export type CaseWork =
  | { kind: 'note'; text: string }
  | { kind: 'urge'; reason: string }
  | { kind: 'assign'; assignee: string }
  | { kind: 'instruct'; text: string }
  | { kind: 'answer'; text: string };

export class CaseWorkError extends Error {
  constructor(readonly code: 'conflict' | 'validation', message: string) {
    super(message);
    this.name = 'CaseWorkError';
  }
}

export interface CaseWorkResult {
  caseId: number;
  event: string;
  note: CaseNote | null;
}

const ACTIVE = new Set(['dispatched', 'accepted', 'waiting']);

/** Does one piece of desk work on the case; `ownerDepartmentId`: the case's department as the caller read it. */
export async function doCaseWork(deps: Pick<CaseServiceDeps, 'sql'>, caseId: number, work: CaseWork, actor: Actor, at = new Date()): Promise<CaseWorkResult> {
  return deps.sql.begin(async (tx) => {
    const status = await lockCaseStatus(tx, caseId);
    if (!status) throw new CaseNotFoundError(caseId);
    const department = (await getCase(tx, caseId))!.departmentCode;
    const event = (type: string, data: Record<string, unknown>): CaseEventInput => ({ type, fromStatus: status, toStatus: status, actorKind: actor.role, actorId: actor.id, at, data });
    const note = (kind: 'note' | 'instruction' | 'answer', body: string, answersId?: number) =>
      insertCaseNote(tx, { caseId, kind, author: actor.id, authorRole: actor.role, departmentCode: actor.role === 'department' ? actor.departmentId : null, body, answersId, at });
    switch (work.kind) {
      case 'note': {
        const n = await note('note', work.text);
        await appendCaseEvents(tx, caseId, [event('note-added', { noteId: n.id })]);
        return { caseId, event: 'note-added', note: n };
      }
      case 'urge': {
        if (!ACTIVE.has(status)) throw new CaseWorkError('conflict', '只能催办在办的工单 (only a case a department is working can be urged)');
        await appendCaseEvents(tx, caseId, [event('urged', { reason: work.reason, departmentId: department, manual: true })]);
        return { caseId, event: 'urged', note: null };
      }
      case 'assign': {
        if (!department) throw new CaseWorkError('conflict', '工单尚未派给承办单位，不能指派经办人 (the case has no department yet)');
        const people = await listDepartmentStaff(tx, department);
        if (!people.some((p) => p.username === work.assignee)) {
          throw new CaseWorkError('validation', `「${work.assignee}」不是承办单位的在岗人员 (not an active member of the case's department)`);
        }
        await setCaseAssignee(tx, caseId, work.assignee);
        await appendCaseEvents(tx, caseId, [event('assigned', { assignee: work.assignee, departmentId: department })]);
        return { caseId, event: 'assigned', note: null };
      }
      case 'instruct': {
        const n = await note('instruction', work.text);
        await appendCaseEvents(tx, caseId, [event('instructed', { noteId: n.id, departmentId: department })]);
        return { caseId, event: 'instructed', note: n };
      }
      case 'answer': {
        const open = await oldestOpenInstruction(tx, caseId);
        if (!open) throw new CaseWorkError('conflict', '没有待答复的领导批示 (no open instruction on this case)');
        const n = await note('answer', work.text, open.id);
        await markInstructionAnswered(tx, open.id, at);
        await appendCaseEvents(tx, caseId, [event('instruction-answered', { noteId: n.id, instructionId: open.id })]);
        return { caseId, event: 'instruction-answered', note: n };
      }
    }
  });
}
