// Leaders' 批示 on a 舆情 topic (staff only): a leader gives one (POST /:id/instructions); every
// department with a case of the topic must answer it (POST /instructions/:id/answer); it is listed on
// the topic (GET /:id/instructions) and, for a department, until answered (GET /instructions).
import { Hono } from 'hono';
import { z } from 'zod';
import { listTopicInstructions } from '../../../core/db/topic-instructions';
import { answerTopicInstruction, instructTopic, TopicInstructionError } from '../../../core/opinion/instruct-topic';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';
import { idParam } from './detail';

const text = (what: string, max: number) =>
  z.object({ text: z.string({ message: `请填写${what}` }).trim().min(1, `请填写${what}`).max(max, `${what}最多 ${max} 字，请精简后再提交`) });
export const instructBody = text('批示内容', 2000);
export const answerBody = text('答复内容', 5000);
export const instructionsQuery = z.object({ open: z.enum(['true', 'false'], { message: 'open 须为 true 或 false' }).optional() });

async function translate<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TopicInstructionError) throw new ApiError(err.code, err.message);
    throw err;
  }
}

export function topicInstructionRoutes(deps: AppDeps) {
  // every route here is behind the topic router's staff guard (detail.ts); the writes are narrower
  return new Hono<StaffEnv>()
    // a department: the topic 批示 it has still to answer; the others: the open ones (open=false: the latest, answered or not)
    .get('/instructions', validate('query', instructionsQuery), async (c) => {
      const user = c.get('staff');
      const open = c.req.valid('query').open !== 'false';
      const items = user.role === 'department'
        ? await listTopicInstructions(deps.db.sql, { openFor: user.departmentCode ?? '' })
        : await listTopicInstructions(deps.db.sql, open ? { open: true } : {});
      return c.json({ items });
    })
    .post('/instructions/:id/answer', requireStaff(deps, ['department']), validate('param', idParam), validate('json', answerBody), async (c) => {
      const user = c.get('staff');
      return c.json(await translate(() => answerTopicInstruction(deps.db.sql, {
        instructionId: c.req.valid('param').id, department: user.departmentCode ?? '', text: c.req.valid('json').text, by: `staff:${user.username}`,
      })));
    })
    .get('/:id/instructions', validate('param', idParam), async (c) => {
      return c.json({ items: await listTopicInstructions(deps.db.sql, { topicId: c.req.valid('param').id }) });
    })
    .post('/:id/instructions', requireStaff(deps, ['leader']), validate('param', idParam), validate('json', instructBody), async (c) => {
      const user = c.get('staff');
      const made = await translate(() => instructTopic(deps.db.sql, { topicId: c.req.valid('param').id, text: c.req.valid('json').text, author: `staff:${user.username}`, authorRole: user.role }));
      return c.json(made, 201);
    });

}
