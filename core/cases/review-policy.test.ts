import { describe, expect, it } from 'vitest';
import { replyNeedsReview, reviewReason, reviewPolicySchema, shippedReviewPolicy } from './review-policy';

describe('答复审核 policy', () => {
  const policy = reviewPolicySchema.parse({ version: 1, default: 'direct', categories: { 卫生计生: 'review', 城乡建设: 'direct' }, departments: { police: 'review' } });

  it('holds a reply when its category or its department is under review; otherwise the default', () => {
    expect(replyNeedsReview(policy, { category: '卫生计生', departmentId: 'health' })).toBe(true);
    expect(replyNeedsReview(policy, { category: '城乡建设', departmentId: 'police' })).toBe(true); // either one is enough
    expect(replyNeedsReview(policy, { category: '城乡建设', departmentId: 'housing' })).toBe(false);
    expect(replyNeedsReview(policy, { category: null, departmentId: null })).toBe(false);
    expect(replyNeedsReview({ ...policy, default: 'review' }, { category: '交通运输', departmentId: 'transport' })).toBe(true);
    expect(replyNeedsReview({ ...policy, default: 'review' }, { category: '城乡建设', departmentId: 'housing' })).toBe(false);
    expect(reviewReason(policy, { category: '卫生计生', departmentId: 'health' })).toBe('「卫生计生」类答复须经协调中心审核');
    expect(reviewReason(policy, { category: null, departmentId: 'police' }, '市公安局')).toBe('市公安局的答复须经协调中心审核');
  });

  it('ships a valid file', () => {
    expect(shippedReviewPolicy().version).toBe(1);
    expect(() => reviewPolicySchema.parse({ version: 1, default: 'sometimes' })).toThrow();
  });
});
