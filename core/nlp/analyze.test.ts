import { describe, expect, it } from 'vitest';
import { analyzeMessage, MAX_ANALYSED_CHARS } from './analyze';
import { messageAnalysisSchema } from './types';

const valid = (x: unknown) => messageAnalysisSchema.parse(x);

describe('analyzeMessage', () => {
  it('reads a full message', () => {
    const r = analyzeMessage('镜湖区赭山街道春江花园3栋楼道里一股很浓的煤气味，快派人来！我叫王小明，电话13812345678');
    valid(r);
    expect(r.urgency.label).toBe('urgent');
    expect(r.requestType.label).toBe('求助');
    expect(r.sentiment.label).toBe('negative');
    expect(r.place).toMatchObject({ district: '镜湖区', street: '赭山街道' });
    expect(r.maskedText).toContain('138****5678');
    expect(r.maskedText).toContain('王**');
    expect(r.normalizedText).toContain('13812345678'); // clear text for authorised staff
    expect(r.pii.map((p) => p.kind).sort()).toEqual(['mobile', 'name']);
    expect(r.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(r.keywords.length).toBeGreaterThan(0);
    for (const p of [r.category, r.requestType, r.urgency, r.sentiment]) {
      expect(p.confidence).toBeGreaterThanOrEqual(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
    }
  });
  it('uses the title and the address field', () => {
    const r = analyzeMessage('路灯一直不亮', { title: '投诉路灯坏了', address: '弋江区中南街道' });
    expect(r.requestType.label).toBe('投诉');
    expect(r.place).toMatchObject({ district: '弋江区', address: '弋江区中南街道' });
  });

  const empty = { category: { label: 'unknown', confidence: 0 }, requestType: { label: 'unknown', confidence: 0 }, needsReview: true, fingerprint: '0000000000000000', keywords: [], tokens: [] };
  it.each([
    ['empty', ''],
    ['whitespace', ' \n\t\u3000 '],
    ['only emoji', '😀👍🏻🇨🇳'],
    ['only punctuation', '！！？？……'],
  ])('gives a defined result for %s input', (_name, text) => {
    const r = analyzeMessage(text);
    valid(r);
    expect(r).toMatchObject(empty);
    expect(r.sentiment).toEqual({ label: 'neutral', confidence: 0, score: 0 });
    expect(r.urgency).toEqual({ label: 'normal', confidence: 0, reasons: [] });
  });
  it('never throws on input that is not a string', () => {
    for (const x of [null, undefined, 42, {}, []]) valid(analyzeMessage(x as unknown as string));
  });
  it('replaces lone surrogates (invalid UTF-16)', () => {
    const r = analyzeMessage('停水\uD800了\uDFFF三天');
    valid(r);
    expect(r.normalizedText).not.toMatch(/[\uD800-\uDFFF]/);
  });
  it('cuts 100,000 characters to the analysed maximum and flags it', () => {
    const r = analyzeMessage('小区噪音扰民。'.repeat(100_000 / 7));
    valid(r);
    expect(r.truncated).toBe(true);
    expect(r.normalizedText.length).toBeLessThanOrEqual(MAX_ANALYSED_CHARS);
    expect(r.needsReview).toBe(true);
  });
  it('queues mixed or foreign scripts for review', () => {
    const r = analyzeMessage('Hello, the street light on Beijing Road is broken');
    valid(r);
    expect(r.needsReview).toBe(true);
    expect(r.reviewReasons).toContain('script');
    valid(analyzeMessage('路灯坏了 street light broken Улица 街灯'));
  });
});
