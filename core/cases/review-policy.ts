// 答复审核 as policy: whether a department's reply goes to the resident at once or waits for the
// centre's approval, by the case's category or its department (lexicons/review-policy.json, read
// through core/shipped). A reply that waits is not put in the outbox until it is approved.
import { z } from 'zod';
import { shippedJson } from '../shipped/store';

const mode = z.enum(['direct', 'review']);
export const reviewPolicySchema = z.object({
  version: z.literal(1),
  description: z.string().optional(),
  default: mode,
  categories: z.record(z.string().min(1), mode).default({}),
  departments: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), mode).default({}),
});
export type ReviewPolicy = z.infer<typeof reviewPolicySchema>;

export const shippedReviewPolicy = shippedJson('review-policy.json', reviewPolicySchema);

/** Whether a reply on a case of this category, by this department, waits for the centre (审核). */
export function replyNeedsReview(policy: ReviewPolicy, c: { category: string | null; departmentId: string | null }): boolean {
  const byCategory = c.category ? policy.categories[c.category] : undefined;
  const byDepartment = c.departmentId ? policy.departments[c.departmentId] : undefined;
  if (byCategory === 'review' || byDepartment === 'review') return true;
  if (byCategory === 'direct' || byDepartment === 'direct') return false;
  return policy.default === 'review';
}

/** Why the reply waits, in Chinese (shown in the drawer and the review queue). */
export function reviewReason(policy: ReviewPolicy, c: { category: string | null; departmentId: string | null }, departmentName?: string): string | null {
  if (c.category && policy.categories[c.category] === 'review') return `「${c.category}」类答复须经协调中心审核`;
  if (c.departmentId && policy.departments[c.departmentId] === 'review') return `${departmentName ?? '该单位'}的答复须经协调中心审核`;
  return policy.default === 'review' ? '答复均须经协调中心审核' : null;
}
