import { describe, expect, it } from 'vitest';
import { ruleFieldName, storedDefinitionSchema } from './rule-schema';

describe('ruleFieldName', () => {
  it('names a nested field as the rule form does, with the item number counted from 1', () => {
    expect(ruleFieldName(['keywordGroups', 1, 'must'])).toBe('关键词组第 2 项·必含词');
    expect(ruleFieldName(['targets', 'emailTo', 0])).toBe('推送目标·收件人第 1 项');
    expect(ruleFieldName(['windowMinutes'])).toBe('统计窗口');
  });

  it('names every field a stored definition can get wrong in Chinese', () => {
    const bad = storedDefinitionSchema.safeParse({
      keywordGroups: [{ must: [] }, { must: ['停水'], mustNot: [3] }],
      windowMinutes: 'ten', minVolume: -1, minNegativeShare: 2, minHeat: 'hot', requireBurst: 'yes', groupBy: 'street', quietMinutes: 0,
      targets: { webhook: 1, webhookUrl: 'ftp://x', email: 'no', emailTo: ['not-mail'] },
    });
    expect(bad.success).toBe(false);
    const names = bad.error!.issues.map((i) => ruleFieldName(i.path));
    expect(names.length).toBeGreaterThanOrEqual(12);
    for (const n of names) expect(n).not.toMatch(/[A-Za-z]/);
  });
});
