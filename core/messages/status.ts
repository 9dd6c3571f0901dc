// What a resident may see about their own message, found by tracking number + 查询码.
import { timingSafeEqual } from 'node:crypto';
import type { CaseStatus } from '../cases/statuses';
import type { CaseEventType } from '../cases/lifecycle';
import { provisionalNote, stillProvisional } from '../cases/calendar-coverage';
import type { WorkingCalendar } from '../cases/calendar';
import { getAnsweringCase, listCaseEventTimes } from '../db/cases';
import type { Db } from '../db/connect';
import { getMessageByTrackingNo } from '../db/messages';
import { listPhotos, listSupplementExchange } from '../db/photos';

/** what a resident reads for each case status (every status has one) */
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  // until a department has the case (待派单, or returned and waiting for the centre) the resident reads 受理中
  received: '受理中',
  dispatched: '已派单',
  accepted: '办理中',
  returned: '受理中',
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
  /** the due is 暂定 (counted on the statutory holidays of a year not announced yet) */
  provisional: boolean;
  provisionalYears: number[];
  /** the note shown beside a provisional due, null otherwise */
  deadlineNote: string | null;
  repliedAt: Date | null;
  reply: string | null;
  rating: string | null;
  canRate: boolean;
  history: { at: Date; label: string }[];
  /** the resident's own message as they sent it */
  title: string | null;
  text: string;
  /** 待补充材料: what the department asked for (the reason of the latest pause), null when not waiting */
  question: { at: Date; text: string } | null;
  /** the supplements the resident sent, oldest first */
  supplements: { at: Date; text: string }[];
  /** the photos of the message (fetched one by one with the 查询码) */
  photos: { id: number; mime: string; width: number; height: number; createdAt: Date }[];
  /** whether photos may still be added (the case is not closed) */
  canAddPhotos: boolean;
  /** hotline callers get their tracking number by SMS when a provider is configured; the note says which */
  sms: { enabled: boolean; note: string | null };
}

/** what the status page says about the SMS with the tracking number (hotline callers only) */
export function smsNote(channel: string, enabled: boolean): ResidentStatus['sms'] {
  if (channel !== 'hotline') return { enabled, note: null };
  return { enabled, note: enabled ? '受理编号和查询码已通过短信发送至来电号码' : '短信未开通：受理编号和查询码不会以短信发送，请记下话务员告知的编号' };
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
  returned: '重新派单中',
  paused: '等待您补充信息',
  resumed: '已收到补充信息，继续办理',
  'extension-approved': '办理期限已延长',
  'deadlines-recomputed': '办理期限已按正式节假日安排更新',
  replied: '承办单位已答复',
  // a reply held for review reaches the resident when the centre approves it
  'reply-approved': '承办单位已答复',
  closed: '已办结',
  rated: '已收到您的评价',
  reopened: '已重新办理',
  merged: '与相同诉求合并办理',
};

/** `calendar`: to tell whether the due is still provisional (without it, the stored years are taken as they are). */
export async function getResidentStatus(sql: Db, trackingNo: string, code: string, calendar?: WorkingCalendar, opts: { smsEnabled?: boolean } = {}): Promise<ResidentStatus | null> {
  const m = await getMessageByTrackingNo(sql, trackingNo);
  if (!m || !sameCode(m.queryCode, code)) return null;
  const photos = (await listPhotos(sql, [m.id])).map(({ id, mime, width, height, createdAt }) => ({ id, mime, width, height, createdAt }));
  const own = { title: m.title, text: m.body, photos, sms: smsNote(m.channel, opts.smsEnabled === true) };
  if (!m.caseId) {
    return {
      ...own, question: null, supplements: [], canAddPhotos: true,
      trackingNo: m.trackingNo, receivedAt: m.receivedAt, channel: m.channel,
      stage: 'received', stageLabel: CASE_STATUS_LABELS.received, department: null, dueAt: null,
      provisional: false, provisionalYears: [], deadlineNote: null, repliedAt: null, reply: null, rating: null, canRate: false,
      history: [{ at: m.receivedAt, label: RECEIVED }],
    };
  }
  // a merged case is answered through the case it joined
  const c = await getAnsweringCase(sql, m.caseId);
  const events = await listCaseEventTimes(sql, [m.caseId, c?.id ?? m.caseId]);
  // a reply waiting for the centre's review has not been sent: the resident still reads 办理中
  const held = c?.replyPending === true;
  const status = held ? 'accepted' : c?.status ?? 'received';
  const exchange = await listSupplementExchange(sql, [...new Set([m.caseId, c?.id ?? m.caseId])], m.trackingNo);
  const lastPause = exchange.filter((e) => e.type === 'paused').at(-1);
  const years = calendar ? stillProvisional(c?.provisionalYears ?? [], calendar) : c?.provisionalYears ?? [];
  return {
    ...own,
    question: status === 'waiting' && lastPause ? { at: lastPause.at, text: lastPause.text ?? '' } : null,
    supplements: exchange.flatMap((e) => (e.type === 'resumed' && e.byResident && e.text ? [{ at: e.at, text: e.text }] : [])),
    canAddPhotos: !['closed', 'rated', 'merged'].includes(status),
    trackingNo: m.trackingNo,
    receivedAt: m.receivedAt,
    channel: m.channel,
    stage: status,
    stageLabel: CASE_STATUS_LABELS[status],
    department: status === 'received' || status === 'returned' ? null : c?.department ?? null,
    dueAt: c?.dueAt ?? null,
    provisional: years.length > 0,
    provisionalYears: years,
    deadlineNote: provisionalNote(years),
    repliedAt: held ? null : c?.repliedAt ?? null,
    reply: held ? null : c?.reply ?? null,
    rating: c?.rating ?? null,
    // the lifecycle takes a rating (回访) once the case is closed (办结), not at the reply
    canRate: status === 'closed',
    // only what the resident received: a reply held for review shows when it is approved, a rejected one never
    history: events.flatMap((e) => {
      if (e.held) return [];
      const label = EVENT_LABELS[e.type as CaseEventType];
      return label ? [{ at: e.at, label }] : [];
    }),
  };
}
