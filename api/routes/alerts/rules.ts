// 预警规则 CRUD for administrators: /api/v1/alert-rules. The body is checked by the one rule
// schema (core/alerts/rule-schema.ts) against the shipped districts and the category list.
import { Hono } from 'hono';
import { z } from 'zod';
import { listedRule, ruleFromRow } from '../../../core/alerts/evaluate';
import { GROUP_BY, ruleInputSchema } from '../../../core/alerts/rule-schema';
import { STAFF_AREAS } from '../../../core/auth/permissions';
import { deleteAlertRule, getAlertRuleRow, insertAlertRule, listAlertRuleRows, updateAlertRule } from '../../../core/db/alerts';
import { CHANNELS } from '../../../core/messages/incoming';
import { categoryLabels } from '../../../core/nlp/category';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';

export const idParam = z.object({ id: z.coerce.number({ error: '规则编号须为数字' }).int('规则编号须为整数').positive('规则编号须为正整数') });

export function alertRulesRoutes(deps: AppDeps) {
  const known = { districts: deps.shipped.gazetteer.districts.map((d) => d.name), categories: [...categoryLabels()] };
  const input = ruleInputSchema(known);
  return new Hono<StaffEnv>()
    .use('*', requireStaff(deps, STAFF_AREAS.alertRules))
    .get('/', async (c) =>
      c.json({
        // a stored rule that no longer parses is listed flagged (valid: false, invalidReason), not a 500
        rules: (await listAlertRuleRows(deps.db.sql)).map(listedRule),
        // what the rule form offers
        options: { districts: known.districts, categories: known.categories, channels: CHANNELS, groupBy: GROUP_BY },
      }),
    )
    .get('/:id', validate('param', idParam), async (c) => {
      const row = await getAlertRuleRow(deps.db.sql, c.req.valid('param').id);
      if (!row) throw new ApiError('not_found', '规则不存在 (no such rule)');
      return c.json(listedRule(row));
    })
    .post('/', validate('json', input), async (c) => {
      const r = c.req.valid('json');
      const row = await insertAlertRule(deps.db.sql, { ...r, createdBy: c.get('staff').username });
      return c.json(ruleFromRow(row), 201);
    })
    .put('/:id', validate('param', idParam), validate('json', input), async (c) => {
      const row = await updateAlertRule(deps.db.sql, c.req.valid('param').id, c.req.valid('json'));
      if (!row) throw new ApiError('not_found', '规则不存在 (no such rule)');
      return c.json(ruleFromRow(row));
    })
    .delete('/:id', validate('param', idParam), async (c) => {
      if (!(await deleteAlertRule(deps.db.sql, c.req.valid('param').id))) throw new ApiError('not_found', '规则不存在 (no such rule)');
      return c.body(null, 204);
    });
}
