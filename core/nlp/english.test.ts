import { describe, expect, it } from 'vitest';
import { analyzeMessage } from './analyze';
import { detectLanguage, englishSentiment, englishStems } from './english';

describe('English messages', () => {
  it('detects the language per message', () => {
    expect(detectLanguage('The street lights on our road are broken')).toBe('en');
    expect(detectLanguage('小区路灯坏了，晚上一片漆黑')).toBe('zh');
    expect(detectLanguage('OK')).toBe('other');
    expect(detectLanguage('😀')).toBe('other');
  });
  it('stems with natural and flips sentiment after a negation within its clause', () => {
    expect(englishStems('The lights were broken')).toEqual(['the', 'light', 'were', 'broken']);
    expect(englishSentiment('The service was good').label).toBe('positive');
    expect(englishSentiment("The service wasn't good").label).toBe('negative');
    // the negation ends with its clause
    expect(englishSentiment('It is not far, and the staff were great and friendly').label).toBe('positive');
  });
  it('reads an English message with the English readers and queues it for staff', () => {
    const a = analyzeMessage('My employer has not paid my salary for three months. Please help me get my wages.');
    expect(a.language).toBe('en');
    expect(a.category.label).toBe('劳动和社会保障');
    expect(a.sentiment.label).not.toBe('positive');
    expect(a.reviewReasons).toContain('script');
  });
});
