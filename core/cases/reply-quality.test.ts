import { describe, expect, it } from 'vitest';
import { checkReply } from './reply-quality';

const message = '镜湖区赭山街道赭山路靠近赭山公园东门的一排路灯已经连续一周晚上不亮，晚上出行很不安全，请尽快维修。';

describe('reply quality advice', () => {
  it('passes a complete, relevant reply', () => {
    const a = checkReply('王先生您好！经核实，赭山路赭山公园东门段路灯因电缆老化断电，我局已于11月20日更换电缆，路灯已恢复照明。如仍有问题，请致电市城管局 0553-1234503。', [message]);
    expect(a.flags).toEqual([]);
    expect(a.ok).toBe(true);
    expect(a.score).toBeGreaterThan(80);
  });

  it('flags a bare template', () => {
    const a = checkReply('您好，来信已收悉，我们高度重视，正在处理。', [message]);
    expect(a.flags.map((f) => f.code)).toEqual(expect.arrayContaining(['too_short', 'template_only', 'low_relevance', 'no_findings']));
    expect(a.ok).toBe(false);
  });

  it('flags a reply about another problem and names the missing parts', () => {
    const a = checkReply('您好，关于您反映的医保报销问题，按照现行政策，门诊费用需在定点医院结算，异地就医需先办理备案手续后方可报销。', [message]);
    expect(a.flags.map((f) => f.code)).toContain('low_relevance');
    expect(a.flags.map((f) => f.code)).toContain('no_findings');
    expect(a.parts.greeting).toBe(true);
  });
});
