// 答复模板 (/api/v1/reply-templates): every staff account reads them; the centre and admins write them.
// A template's body may use the placeholders {居民称呼} {受理编号} {承办单位}; GET …/:id/render fills them
// from a case the caller may see (the reply form starts from the result).
import { Hono } from 'hono';
import { z } from 'zod';
import { canSeeCase } from '../../../core/auth/permissions';
import type { StaffRole } from '../../../core/auth/staff';
import { getCase } from '../../../core/db/cases';
import { deleteReplyTemplate, getReplyTemplate, insertReplyTemplate, listReplyTemplates, templateNameTaken, updateReplyTemplate } from '../../../core/db/kb';
import { listMessagesForCase } from '../../../core/db/messages';
import { fillTemplate, placeholderValues, PLACEHOLDERS, unknownPlaceholders } from '../../../core/kb/knowledge-base';
import { audit, requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';

export const EDITORS: readonly StaffRole[] = ['admin', 'centre'];
/** who writes replies: leaders do not, and a filled template holds the resident's form of address */
export const REPLIERS: readonly StaffRole[] = ['admin', 'centre', 'department'];
const id = (what: string) => z.coerce.number({ message: `${what}须为数字` }).int(`${what}须为正整数`).positive(`${what}须为正整数`);
export const idParam = z.object({ id: id('模板编号') });

export const templateBody = z.object({
  name: z.string({ message: '请填写模板名称' }).trim().min(2, '模板名称至少 2 个字').max(40, '模板名称最多 40 字'),
  body: z
    .string({ message: '请填写模板内容' })
    .trim()
    .min(4, '模板内容至少 4 个字')
    .max(5000, '模板内容最多 5000 字')
    .superRefine((v, ctx) => {
      const bad = unknownPlaceholders(v);
      if (bad.length) ctx.addIssue({ code: 'custom', message: `不认识的占位符 ${bad.map((b) => `{${b}}`).join('、')}，可用的有 ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}` });
    }),
  category: z.string({ message: '分类须为文字' }).trim().max(32, '分类最多 32 字').nullish().transform((v) => v || null),
});
export const listQuery = z.object({ category: z.string().max(32, '分类最多 32 字').optional() });
export const renderQuery = z.object({ caseId: id('工单编号') });

export function replyTemplateRoutes(deps: AppDeps) {
  const sql = deps.db.sql;
  const staff = requireStaff(deps);
  const editor = requireStaff(deps, EDITORS);
  const uniqueName = async (name: string, exceptId?: number) => {
    if (await templateNameTaken(sql, name, exceptId)) throw new ApiError('conflict', `已有名为「${name}」的模板`, [{ field: 'name', message: `已有名为「${name}」的模板` }]);
  };
  return new Hono<StaffEnv>()
    .get('/', staff, validate('query', listQuery), async (c) => {
      const { category } = c.req.valid('query');
      return c.json({ placeholders: [...PLACEHOLDERS], items: await listReplyTemplates(sql, category) });
    })
    .post('/', editor, validate('json', templateBody), async (c) => {
      const body = c.req.valid('json');
      await uniqueName(body.name);
      const t = await insertReplyTemplate(sql, { ...body, createdBy: c.get('staff').username });
      await audit(c, deps, { action: 'kb.template-created', detail: { templateId: t.id, name: t.name } });
      return c.json(t, 201);
    })
    .put('/:id', editor, validate('param', idParam), validate('json', templateBody), async (c) => {
      const templateId = c.req.valid('param').id;
      const body = c.req.valid('json');
      const before = await getReplyTemplate(sql, templateId);
      if (!before) throw new ApiError('not_found', '没有这个答复模板');
      await uniqueName(body.name, templateId);
      const after = (await updateReplyTemplate(sql, templateId, body))!;
      const changed = (['name', 'body', 'category'] as const).filter((k) => before[k] !== after[k]);
      await audit(c, deps, { action: 'kb.template-updated', detail: { templateId, changes: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }])) } });
      return c.json(after);
    })
    .delete('/:id', editor, validate('param', idParam), async (c) => {
      const templateId = c.req.valid('param').id;
      const before = await getReplyTemplate(sql, templateId);
      if (!before) throw new ApiError('not_found', '没有这个答复模板');
      await deleteReplyTemplate(sql, templateId);
      await audit(c, deps, { action: 'kb.template-deleted', detail: { templateId, name: before.name, body: before.body } });
      return c.json({ deleted: templateId });
    })
    .get('/:id/render', requireStaff(deps, REPLIERS), validate('param', idParam), validate('query', renderQuery), async (c) => {
      const t = await getReplyTemplate(sql, c.req.valid('param').id);
      if (!t) throw new ApiError('not_found', '没有这个答复模板');
      const { caseId } = c.req.valid('query');
      const row = await getCase(sql, caseId);
      if (!row) throw new ApiError('not_found', `没有编号为 ${caseId} 的工单`);
      if (!canSeeCase(c.get('staff'), row.departmentCode)) throw new ApiError('forbidden', '只能查看本单位的工单 (not your department’s case)');
      const [first] = await listMessagesForCase(sql, caseId);
      // only a name that is already a form of address (王先生) is used; a full name is never put in the text
      const text = fillTemplate(t.body, placeholderValues(row, first?.contactName, deps.shipped.departments));
      return c.json({ templateId: t.id, caseId, text });
    });
}
