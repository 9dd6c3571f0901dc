import { describe, expect, it } from 'vitest';
import { classifyRequestType } from './request-type';

const t = (text: string, sentimentScore = 0) => classifyRequestType(text, { sentimentScore, model: null }).label;

describe('request type', () => {
  it('reads each type from its usual wording', () => {
    expect(t('请问在芜湖办理居住证需要带哪些材料？')).toBe('咨询');
    expect(t('我爸走失了，求大家帮忙找找')).toBe('求助');
    expect(t('楼下烧烤摊天天扰民，投诉多次没人管', -0.8)).toBe('投诉');
    expect(t('举报某饭店用地沟油')).toBe('举报');
    expect(t('建议在中江大道增设过街天桥')).toBe('建议');
    expect(t('感谢网格员小李的热心帮助', 0.8)).toBe('感谢');
  });
  it('does not read a courtesy closing as thanks', () => {
    expect(t('小区垃圾三天没人清运，臭气熏天，物业不管。谢谢！', -0.7)).toBe('投诉');
  });
  it('reads hotline summaries by their verb', () => {
    expect(t('来电人咨询：失业保险金的领取条件。')).toBe('咨询');
    expect(t('来电人举报：某工地夜间施工。')).toBe('举报');
  });
  it('returns unknown with confidence 0 for nothing to read', () => {
    expect(classifyRequestType('', { model: null })).toMatchObject({ label: 'unknown', confidence: 0 });
    expect(classifyRequestType('😀', { model: null })).toMatchObject({ label: 'unknown', confidence: 0 });
  });
  it('gives confidences in [0, 1]', () => {
    const r = classifyRequestType('路灯坏了', { model: null });
    expect(r.confidence).toBeGreaterThanOrEqual(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
  });
});
