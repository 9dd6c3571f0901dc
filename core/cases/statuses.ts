// The case statuses, declared once: the lifecycle, the data layer, analytics and the resident view import them.
export const CASE_STATUSES = [
  'received', // 受理
  'dispatched', // 已派单
  'accepted', // 已签收
  'waiting', // 待诉求人补充 (clock paused)
  'replied', // 已答复
  'closed', // 已办结
  'rated', // 已回访
  'returned', // 已退单, awaiting re-dispatch (or the centre's designation)
  'merged', // 已合并 into another case (terminal)
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** 在办: not yet answered and not merged away; a duplicate may join such a case, and staff may merge it. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['received', 'dispatched', 'accepted', 'waiting', 'returned'];

export function isOpenStatus(status: string): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}
