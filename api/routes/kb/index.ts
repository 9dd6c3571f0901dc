// 知识库 (/api/v1/kb): every staff account reads entries; the centre and admins write any entry, a
// department its own department's; leaders read only. Suggestions for a case are for who may see the
// case, and only entries valid today are suggested. PUT replaces an entry's fields (a field left out is cleared). Every change is written to the audit trail with
// what changed.
import { Hono } from 'hono';
import { z } from 'zod';
import { canSeeCase } from '../../../core/auth/permissions';
import type { StaffRole, StaffUser } from '../../../core/auth/staff';
import { queryLexemes } from '../../../core/cases/search';
import { getCase } from '../../../core/db/cases';
import { deleteKbEntry, getKbEntry, listKbEntries, type KbEntry } from '../../../core/db/kb';
import { listMessagesForCase } from '../../../core/db/messages';
import { maskKnown } from '../../../core/board/mask';
import { canWriteEntry, caseQuestion, changeEntry, createEntry, fillTemplate, generaliseReply, kbToday, maskEntryPii, placeholderValues, suggestEntries } from '../../../core/kb/knowledge-base';
import { audit, requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';

export const WRITERS: readonly StaffRole[] = ['admin', 'centre', 'department'];

const id = (what: string) => z.coerce.number({ message: `${what}须为数字` }).int(`${what}须为正整数`).positive(`${what}须为正整数`);
export const idParam = z.object({ id: id('条目编号') });
export const caseParam = z.object({ caseId: id('工单编号') });
const day = (label: string) =>
  z.string({ message: `${label}须为 YYYY-MM-DD 格式的日期` }).superRefine((v, ctx) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) ctx.addIssue({ code: 'custom', message: `${label}须为 YYYY-MM-DD 格式的日期` });
    else if (Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || !new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)) ctx.addIssue({ code: 'custom', message: `${label}不是有效日期` });
  });
const optText = (label: string, max: number) => z.string({ message: `${label}须为文字` }).trim().max(max, `${label}最多 ${max} 字`).nullish().transform((v) => v || null);

export const entryBody = z
  .object({
    question: z.string({ message: '请填写问题' }).trim().min(4, '问题至少 4 个字').max(2000, '问题最多 2000 字'),
    answer: z.string({ message: '请填写答案' }).trim().min(4, '答案至少 4 个字').max(5000, '答案最多 5000 字'),
    category: optText('分类', 32),
    departmentCode: optText('承办单位', 64),
    validFrom: day('生效日期').nullish().transform((v) => v ?? null),
    validTo: day('失效日期').nullish().transform((v) => v ?? null),
  })
  .refine((b) => !b.validFrom || !b.validTo || b.validFrom <= b.validTo, { message: '失效日期不能早于生效日期', path: ['validTo'] });

export const fromCaseBody = z.object({
  question: z.string({ message: '问题须为文字' }).trim().min(4, '问题至少 4 个字').max(2000, '问题最多 2000 字').optional(),
  validTo: day('失效日期').nullish().transform((v) => v ?? null),
});

export const listQuery = z.object({
  q: z.string().trim().max(100, '搜索词最多 100 字').optional(),
  department: z.string().max(64, '承办单位代码过长').optional(),
  category: z.string().max(32, '分类最多 32 字').optional(),
  /** only entries valid today (those the desk may suggest) */
  valid: z.enum(['true', 'false'], { message: 'valid 须为 true 或 false' }).optional().transform((v) => v === 'true'),
  limit: z.coerce.number({ message: 'limit 须为数字' }).int('limit 须为整数').min(1, 'limit 至少为 1').max(200, 'limit 最多 200').default(50),
  offset: z.coerce.number({ message: 'offset 须为数字' }).int('offset 须为整数').min(0, 'offset 不能为负').max(1_000_000, 'offset 过大').default(0),
});
export const suggestQuery = z.object({ caseId: id('工单编号') });

/** an entry as the API shows it: with whether it may be suggested today */
const view = (e: KbEntry, today = kbToday()) => ({ ...e, validNow: (!e.validFrom || e.validFrom <= today) && (!e.validTo || e.validTo >= today) });

/** the fields of an entry that differ, before and after (for the audit trail) */
function changes(before: KbEntry, after: KbEntry) {
  const keys = ['question', 'answer', 'category', 'departmentCode', 'validFrom', 'validTo'] as const;
  return Object.fromEntries(keys.filter((k) => before[k] !== after[k]).map((k) => [k, { from: before[k], to: after[k] }]));
}

export function kbRoutes(deps: AppDeps) {
  const sql = deps.db.sql;
  const staff = requireStaff(deps);
  const writer = requireStaff(deps, WRITERS);
  const knownDepartment = (code: string | null) => {
    if (code && !deps.shipped.departments.some((d) => d.code === code)) {
      throw new ApiError('validation_failed', `提交的内容有误：没有代码为 ${code} 的承办单位`, [{ field: 'departmentCode', message: `没有代码为 ${code} 的承办单位` }]);
    }
  };
  const mayWrite = (c: { get(k: 'staff'): StaffUser }, department: string | null) => {
    if (!canWriteEntry(c.get('staff'), department)) throw new ApiError('forbidden', '只能编辑本单位的知识库条目 (departments write their own entries only)');
  };
  return new Hono<StaffEnv>()
    .get('/entries', staff, validate('query', listQuery), async (c) => {
      const q = c.req.valid('query');
      const today = kbToday();
      const page = await listKbEntries(sql, { departmentCode: q.department, category: q.category, validOn: q.valid ? today : undefined, qLexemes: q.q ? queryLexemes(q.q) : undefined, limit: q.limit, offset: q.offset });
      return c.json({ total: page.total, items: page.items.map((e) => view(e, today)) });
    })
    .get('/entries/:id', staff, validate('param', idParam), async (c) => {
      const e = await getKbEntry(sql, c.req.valid('param').id);
      if (!e) throw new ApiError('not_found', '没有这个知识库条目');
      return c.json(view(e));
    })
    .post('/entries', writer, validate('json', entryBody), async (c) => {
      const body = c.req.valid('json');
      const user = c.get('staff');
      // a department's entry is its own unless it says otherwise (which it may not)
      const fields = { ...body, departmentCode: user.role === 'department' ? (body.departmentCode ?? user.departmentCode) : body.departmentCode };
      knownDepartment(fields.departmentCode);
      mayWrite(c, fields.departmentCode);
      const pii = maskEntryPii(fields);
      const e = await createEntry(sql, pii.fields, { createdBy: user.username });
      await audit(c, deps, { action: 'kb.entry-created', detail: { entryId: e.id, departmentCode: e.departmentCode, category: e.category, masked: pii.masked } });
      return c.json({ ...view(e), masked: pii.masked, maskedKinds: pii.maskedKinds }, 201);
    })
    .put('/entries/:id', writer, validate('param', idParam), validate('json', entryBody), async (c) => {
      const entryId = c.req.valid('param').id;
      const body = c.req.valid('json');
      const before = await getKbEntry(sql, entryId);
      if (!before) throw new ApiError('not_found', '没有这个知识库条目');
      mayWrite(c, before.departmentCode);
      knownDepartment(body.departmentCode);
      mayWrite(c, body.departmentCode); // a department cannot hand its entry to another
      const pii = maskEntryPii(body);
      const after = (await changeEntry(sql, entryId, pii.fields))!;
      await audit(c, deps, { action: 'kb.entry-updated', detail: { entryId, changes: changes(before, after), masked: pii.masked } });
      return c.json({ ...view(after), masked: pii.masked, maskedKinds: pii.maskedKinds });
    })
    .delete('/entries/:id', writer, validate('param', idParam), async (c) => {
      const entryId = c.req.valid('param').id;
      const before = await getKbEntry(sql, entryId);
      if (!before) throw new ApiError('not_found', '没有这个知识库条目');
      mayWrite(c, before.departmentCode);
      await deleteKbEntry(sql, entryId);
      await audit(c, deps, { action: 'kb.entry-deleted', caseId: before.sourceCaseId, detail: { entryId, question: before.question, answer: before.answer, departmentCode: before.departmentCode } });
      return c.json({ deleted: entryId });
    })
    // 存为知识库: a reply the residents received becomes an entry (question: the case's text unless edited)
    .post('/entries/from-case/:caseId', writer, validate('param', caseParam), validate('json', fromCaseBody), async (c) => {
      const { caseId } = c.req.valid('param');
      const body = c.req.valid('json');
      const row = await getCase(sql, caseId);
      if (!row) throw new ApiError('not_found', `没有编号为 ${caseId} 的工单`);
      const user = c.get('staff');
      if (!canSeeCase(user, row.departmentCode)) throw new ApiError('forbidden', '只能把本单位工单的答复存入知识库 (not your department’s case)');
      if (!row.replyText || row.replyPending) throw new ApiError('conflict', '该工单还没有已发出的答复，不能存入知识库');
      const messages = await listMessagesForCase(sql, caseId);
      const first = messages[0];
      // every resident of the case, as the public board masks them: a bare name (张三), a phone or a
      // handle written into the reply or the question never reaches the entry (maskEntryPii below finds
      // the rest, but a name only after a cue word)
      const known = messages.flatMap((m) => [m.contactName, m.contactPhone, m.contactHandle]);
      const general = generaliseReply(row.replyText, placeholderValues(row, first?.contactName, deps.shipped.departments));
      const fields = {
        question: maskKnown(body.question ?? caseQuestion(row), known).slice(0, 2000),
        answer: maskKnown(general, known).slice(0, 5000), category: row.category,
        departmentCode: row.departmentCode, validFrom: kbToday(), validTo: body.validTo,
      };
      if (fields.validTo && fields.validTo < fields.validFrom) throw new ApiError('validation_failed', '提交的内容有误：失效日期不能早于今天', [{ field: 'validTo', message: '失效日期不能早于今天' }]);
      mayWrite(c, fields.departmentCode);
      const pii = maskEntryPii(fields);
      const e = await createEntry(sql, pii.fields, { createdBy: user.username, sourceCaseId: caseId });
      await audit(c, deps, { action: 'kb.entry-created', caseId, detail: { entryId: e.id, fromCase: caseId, departmentCode: e.departmentCode, masked: pii.masked } });
      return c.json({ ...view(e), masked: pii.masked, maskedKinds: pii.maskedKinds }, 201);
    })
    // the desk's suggestions for a case (the drawer asks for 咨询 cases)
    .get('/suggestions', staff, validate('query', suggestQuery), async (c) => {
      const { caseId } = c.req.valid('query');
      const row = await getCase(sql, caseId);
      if (!row) throw new ApiError('not_found', `没有编号为 ${caseId} 的工单`);
      if (!canSeeCase(c.get('staff'), row.departmentCode)) throw new ApiError('forbidden', '只能查看本单位的工单 (not your department’s case)');
      const items = await suggestEntries(sql, row);
      // the answer as it would read in this case's reply; leaders (masked views) get no resident's form of address
      const [first] = await listMessagesForCase(sql, caseId);
      const values = placeholderValues(row, c.get('staff').role === 'leader' ? null : first?.contactName, deps.shipped.departments);
      return c.json({ caseId, items: items.map((s) => ({ ...s, entry: view(s.entry), filledAnswer: fillTemplate(s.entry.answer, values) })) });
    });
}
