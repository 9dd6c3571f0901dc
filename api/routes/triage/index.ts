// 人工复核: the queue of cases the NLP was unsure of, and staff corrections (kept for retraining).
import { Hono } from 'hono';
import { z } from 'zod';
import { STAFF_AREAS } from '../../../core/auth/permissions';
import { correctCase, CorrectionError, correctionSchema } from '../../../core/cases/corrections';
import { listTriage } from '../../../core/db/cases';
import { countTrainingLabels } from '../../../core/db/training-labels';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';

export const page = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const idParam = z.object({ caseId: z.coerce.number().int().positive() });

export function triageRoutes(deps: AppDeps) {
  return new Hono<StaffEnv>()
    .use('*', requireStaff(deps, STAFF_AREAS.triage))
    .get('/', validate('query', page), async (c) => {
      const { limit, offset } = c.req.valid('query');
      return c.json(await listTriage(deps.db.sql, limit, offset));
    })
    .get('/labels', async (c) => c.json({ counts: await countTrainingLabels(deps.db.sql) }))
    .post('/:caseId', validate('param', idParam), validate('json', correctionSchema), async (c) => {
      const { caseId } = c.req.valid('param');
      try {
        const result = await correctCase(deps.db.sql, caseId, c.req.valid('json'), { username: c.get('staff').username });
        return c.json(result);
      } catch (err) {
        if (err instanceof CorrectionError) throw new ApiError(err.code, err.message);
        throw err;
      }
    });
}
