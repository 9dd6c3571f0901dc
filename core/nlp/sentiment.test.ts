import { describe, expect, it } from 'vitest';
import { analyzeSentiment, buildSentimentLexicon, lexiconSentiment, toSentimentLabel } from './sentiment';

const s = (t: string) => lexiconSentiment(t);

describe('lexicon sentiment', () => {
  it('reads plain positive and negative words', () => {
    expect(s('房间干净，服务热情').label).toBe('positive');
    expect(s('态度恶劣，太失望了').label).toBe('negative');
    expect(s('请问办理居住证需要什么材料').label).toBe('neutral');
  });
  it('flips on negation', () => {
    expect(s('干净').score).toBeGreaterThan(0);
    expect(s('不干净').score).toBeLessThan(0);
    expect(s('并不满意').label).toBe('negative');
    expect(s('一点也不贵').score).toBeGreaterThan(0);
  });
  it('weighs degree adverbs', () => {
    expect(s('非常满意').score).toBeGreaterThan(s('满意').score);
    expect(s('有点脏').score).toBeGreaterThan(s('很脏').score);
    // 不太好 is a softer criticism than 很不好
    expect(s('不太好').score).toBeLessThan(0);
    expect(s('不太好').score).toBeGreaterThan(s('很不好').score);
  });
  it('keeps fused words whole (不错, 差不多, 好像)', () => {
    expect(s('还不错').label).toBe('positive');
    expect(s('差不多到了').label).toBe('neutral');
    expect(s('好像是这样').label).toBe('neutral');
  });
  it('lets the clause after 但是 decide', () => {
    expect(s('位置还可以，但是房间很脏，服务也差').label).toBe('negative');
    expect(s('价格有点贵，不过服务非常周到，很满意').label).toBe('positive');
  });
  it('does not count wishes as praise', () => {
    expect(s('希望能尽快修好').label).toBe('neutral');
  });
  it('stays within [-1, 1] on very long text', () => {
    const r = s('太差了！'.repeat(5000));
    expect(r.score).toBeGreaterThanOrEqual(-1);
    expect(r.label).toBe('negative');
  });
  it('gives neutral with confidence 0 for empty text', () => {
    expect(s('')).toMatchObject({ label: 'neutral', confidence: 0, score: 0 });
    expect(analyzeSentiment('   ', { model: null })).toMatchObject({ label: 'neutral', confidence: 0 });
  });
  it('accepts a peer lexicon of signed scores', () => {
    const lex = buildSentimentLexicon({ scored: [['棒', 2], ['烂', -2]], negation: [['不', -1]] });
    expect(lexiconSentiment('不烂', lex).score).toBeGreaterThan(0);
    expect(lexiconSentiment('烂', lex).label).toBe('negative');
  });
});

describe('lexicon sentiment: citizen-message rules', () => {
  it('reads praise in scare quotes as sarcasm', () => {
    expect(s('这服务真是太好了').label).toBe('positive');
    expect(s('这服务真是太“好”了').label).toBe('negative');
    expect(s("窗口办事真'高效'，跑了四趟").label).toBe('negative');
    // quotes around a name or a neutral phrase change nothing
    expect(s('“芜湖发布”说明天停水检修').score).toBeCloseTo(s('芜湖发布说明天停水检修').score, 5);
  });
  it('reads negated praise as criticism', () => {
    expect(s('服务一点都不周到').label).toBe('negative');
    expect(s('处理结果不怎么样').label).toBe('negative');
    expect(s('服务质量一点没提高').score).toBeLessThan(0);
  });
  it('weighs a closing courtesy thanks little', () => {
    const polite = s('楼道灯坏了两周，麻烦物业看一下，谢谢');
    expect(polite.label).toBe('negative');
    // a thanks that is the message, or that is intensified, still counts in full
    expect(s('谢谢').label).toBe('positive');
    expect(s('路灯修好了，真的非常感谢！').label).toBe('positive');
  });
  it('lets a thanks win over a problem that is already solved', () => {
    expect(s('之前反映的停水问题已经解决了，谢谢你们').label).toBe('positive');
    expect(s('停水问题一直没解决').label).toBe('negative');
  });
  it('softens problem words in a consultation question', () => {
    const ask = s('请问下周停水检修具体影响哪些小区？');
    expect(ask.label).toBe('neutral');
    expect(s('又停水了，一点通知都没有，太过分了').label).toBe('negative');
  });
  it('counts a rhetorical final clause without a question mark', () => {
    expect(s('说好一周答复，一个月了没人理，凭什么').label).toBe('negative');
  });
});

describe('toSentimentLabel', () => {
  it('maps dataset labels', () => {
    expect(toSentimentLabel('1')).toBe('positive');
    expect(toSentimentLabel('0')).toBe('negative');
    expect(toSentimentLabel('neutral')).toBe('neutral');
    expect(toSentimentLabel('')).toBeNull();
  });
});
