// What a resident may see about their own message, found by tracking number + 查询码.
import { timingSafeEqual } from 'node:crypto';
import type { CaseStatus } from '../cases/statuses';
import type { CaseEventType } from '../cases/lifecycle';
import { getAnsweringCase, listCaseEventTimes } from '../db/cases';
import type { Db } from '../db/connect';
import { getMessageByTrackingNo } from '../db/messages';

/** what a resident reads for each case status (every status has one) */
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  received: '已受理',
  dispatched: '已派单',
  accepted: '办理中',
  returned: '重新派单中',
  waiting: '待补充材料',
  replied: '已答复',
  closed: '已办结',
  rated: '已回访',
  merged: '已合并办理',
};

export interface ResidentStatus {
  trackingNo: string;
  receivedAt: Date;
  channel: string;
  stage: string;
  stageLabel: string;
  department: string | null;
  dueAt: Date | null;
  repliedAt: Date | null;
  reply: string | null;
  rating: string | null;
  canRate: boolean;
  history: { at: Date; label: string }[];
}

export function sameCode(a: string, b: string): boolean {
  const x = Buffer.from(a.toUpperCase());
  const y = Buffer.from(b.toUpperCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

const RECEIVED = '留言已受理';
// typed by the lifecycle's event names, so a misspelt key no longer hides a line from residents
const EVENT_LABELS: Partial<Record<CaseEventType, string>> = {
  received: RECEIVED,
  dispatched: '已派发至承办单位',
  overridden: '已重新派发',
  designated: '已重新派发',
  accepted: '承办单位已签收',
  returned: '承办单位退回，重新派单',
  paused: '等待您补充信息',
  resumed: '已收到补充信息，继续办理',
  'extension-approved': '办理期限已延长',
  'deadlines-recomputed': '办理期限已按正式节假日安排更新',
  replied: '承办单位已答复',
  closed: '已办结',
  rated: '已收到您的评价',
  reopened: '已重新办理',
  merged: '与相同诉求合并办理',
};

export async function getResidentStatus(sql: Db, trackingNo: string, code: string): Promise<ResidentStatus | null> {
  const m = await getMessageByTrackingNo(sql, trackingNo);
  if (!m || !sameCode(m.queryCode, code)) return null;
  if (!m.caseId) {
    return {
      trackingNo: m.trackingNo, receivedAt: m.receivedAt, channel: m.channel,
      stage: 'received', stageLabel: CASE_STATUS_LABELS.received, department: null, dueAt: null,
      repliedAt: null, reply: null, rating: null, canRate: false,
      history: [{ at: m.receivedAt, label: RECEIVED }],
    };
  }
  // a merged case is answered through the case it joined
  const c = await getAnsweringCase(sql, m.caseId);
  const events = await listCaseEventTimes(sql, [m.caseId, c?.id ?? m.caseId]);
  const status = c?.status ?? 'received';
  return {
    trackingNo: m.trackingNo,
    receivedAt: m.receivedAt,
    channel: m.channel,
    stage: status,
    stageLabel: CASE_STATUS_LABELS[status],
    department: c?.department ?? null,
    dueAt: c?.dueAt ?? null,
    repliedAt: c?.repliedAt ?? null,
    reply: c?.reply ?? null,
    rating: c?.rating ?? null,
    // the lifecycle takes a rating (回访) once the case is closed (办结), not at the reply
    canRate: status === 'closed',
    history: events.flatMap((e) => {
      const label = EVENT_LABELS[e.type as CaseEventType];
      return label ? [{ at: e.at, label }] : [];
    }),
  };
}
