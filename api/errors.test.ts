import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validationError } from './errors';

const schema = z.object({
  text: z.string().max(5),
  limit: z.coerce.number().int().min(1).max(200),
  caseIds: z.array(z.number().int()).max(2),
  dir: z.enum(['asc', 'desc']),
  own: z.string({ message: '请填写自己的说法' }),
}).strict();

describe('validation errors say, in Chinese, which field and what to fix', () => {
  it('rewrites zod\'s English defaults and keeps a schema\'s own Chinese message', () => {
    const r = schema.safeParse({ text: '一二三四五六', limit: 'x', caseIds: [1, 'a'], dir: 'up', extra: 1 });
    const e = validationError(r.error!, 'body');
    const by = Object.fromEntries((e.details as { field: string; message: string }[]).map((d) => [d.field, d.message]));
    expect(by).toMatchObject({
      text: '内容最多 5 个字',
      limit: '每页条数须为数字',
      'caseIds.1': '工单第 2 项须为数字',
      dir: '排序方向须为以下之一：asc、desc',
      own: '请填写自己的说法',
      '(body)': '不认识的字段：extra，请删去',
    });
    expect(e.message.startsWith('提交的内容有误：')).toBe(true);
    expect(e.message).not.toMatch(/[A-Z][a-z]+ (input|option)|expected/);
  });
  it('too many items says how many', () => {
    const r = z.object({ caseIds: z.array(z.number()).max(2) }).safeParse({ caseIds: [1, 2, 3] });
    expect(validationError(r.error!, 'body').message).toBe('提交的内容有误：工单最多 2 项');
  });
  it('a missing field reads 请填写…', () => {
    const r = z.object({ reason: z.string(), workingDays: z.number().int().min(1) }).safeParse({ workingDays: 0 });
    expect(validationError(r.error!, 'body').message).toBe('提交的内容有误：请填写原因；工作日数不能小于 1');
  });
});
