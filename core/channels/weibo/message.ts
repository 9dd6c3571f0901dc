// A Weibo comment (on one of the city's posts, or mentioning the account) as an IncomingMessage.
import { messageTimeProblem, type IncomingMessageInput } from '../../messages/incoming';
import type { WeiboComment } from './client';

/** Weibo writes "Wed Jun 01 00:50:25 +0800 2011" */
export function parseWeiboTime(s: string): Date | null {
  const m = /^\w{3} (\w{3}) (\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{4}) (\d{4})$/.exec(s.trim());
  const d = m ? new Date(`${m[1]} ${m[2]} ${m[5]} ${m[3]} GMT${m[4]}`) : new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function weiboCommentToIncoming(c: WeiboComment, accountUid: string, now: Date): IncomingMessageInput {
  const at = parseWeiboTime(c.created_at);
  return {
    channel: 'weibo',
    externalId: c.idstr,
    // a time outside the sane window (a clock gone wrong) would refuse the whole page: the poll time stands in
    receivedAt: at && !messageTimeProblem(at, now) ? at : now,
    // one item of the API's answer; the precise ids are the *idstr fields
    raw: JSON.stringify(c),
    rawContentType: 'application/json',
    body: c.text,
    contactName: c.user.screen_name?.slice(0, 100) ?? null,
    contactHandle: c.user.idstr,
    account: accountUid,
    // a public post is not consent to the board (公开留言选登): Weibo cannot ask, so no
    isPublic: false,
  };
}

/** What a reply needs from the stored comment: its id and the post it is under. */
export function replyTarget(raw: string): { cid: string; statusId: string } | null {
  try {
    const c = JSON.parse(raw) as { idstr?: unknown; status?: { idstr?: unknown } };
    if (typeof c.idstr === 'string' && typeof c.status?.idstr === 'string') return { cid: c.idstr, statusId: c.status.idstr };
  } catch {
    /* not a Weibo comment */
  }
  return null;
}
