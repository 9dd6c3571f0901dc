// How a reply leaves by each channel. WeChat: a customer-service text message to the openid.
// Weibo: a reply comment under the resident's comment. Portal and 12345 hotline: the reply is
// delivered through the status page, where the resident reads it with the tracking number and 查询码;
// the row is marked sent with a 'status-page' reference. SMS (core/sms) carries only the hotline
// caller's receipt (tracking number + 查询码), on its own channel 'sms'.
import type { Sql } from '../db/connect';
import { getMessage, getMessageRaw, type StoredMessage } from '../db/messages';
import type { OutboxRow } from '../db/outbox';
import { NotDeliveredError } from '../channels/http';
import type { WechatSettings, WeiboSettings } from '../channels/settings';
import { WECHAT_TEXT_MAX_CHARS, WechatClient } from '../channels/wechat/client';
import { WeiboClient } from '../channels/weibo/client';
import { parseWeiboTime, replyTarget } from '../channels/weibo/message';
import { smsChannelSender, type SmsSender } from '../sms/sender';

export interface SendContext {
  row: OutboxRow;
  message: StoredMessage | undefined;
  /** the message's payload as it arrived */
  raw: string | undefined;
  text: string;
}

export interface ChannelSender {
  /** Throws NotDeliveredError when the provider certainly did not deliver; any other error means the outcome is unknown. */
  send(ctx: SendContext): Promise<{ providerRef: string }>;
  /**
   * After an attempt whose outcome is unknown: did it get through? A reference when it did, null
   * when it certainly did not (safe to send again), undefined when the provider cannot tell us.
   */
  confirm?(ctx: SendContext, attempt: { startedAt: Date }): Promise<{ providerRef: string } | null | undefined>;
}

export type Senders = Partial<Record<string, ChannelSender>>;

function clip(text: string, max: number, tail: string): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - tail.length - 1))}…${tail}`;
}

function trackingOf(ctx: SendContext): string | null {
  const t = ctx.row.payload.trackingNo;
  return typeof t === 'string' ? t : ctx.message?.trackingNo ?? null;
}

export function wechatSender(settings: WechatSettings, sql: Sql, now: () => Date): ChannelSender {
  const client = new WechatClient(settings, sql, now);
  return {
    async send(ctx) {
      const openid = ctx.row.recipient ?? ctx.message?.contactHandle;
      if (!openid) throw new NotDeliveredError('no openid to send to', true);
      const tracking = trackingOf(ctx);
      const head = tracking ? `【民声答复 ${tracking}】` : '【民声答复】';
      return client.sendText(openid, clip(`${head}${ctx.text}`, WECHAT_TEXT_MAX_CHARS, tracking ? `全文请凭受理编号 ${tracking} 查询` : ''));
    },
    // WeChat has no way to ask whether a customer-service message arrived: no confirm, so at most once
  };
}

/** Weibo comments are at most 140 characters */
const WEIBO_COMMENT_MAX = 140;

export function weiboSender(settings: WeiboSettings): ChannelSender {
  const client = new WeiboClient(settings.apiBase);
  const target = (ctx: SendContext) => {
    const t = ctx.raw ? replyTarget(ctx.raw) : null;
    if (!t) throw new NotDeliveredError('the stored Weibo comment has no comment/post id to reply under', true);
    const account = settings.accounts.find((a) => a.uid === ctx.message?.account) ?? settings.accounts[0];
    return { ...t, token: account.accessToken };
  };
  const textOf = (ctx: SendContext) => {
    const tracking = trackingOf(ctx);
    return clip(ctx.text, WEIBO_COMMENT_MAX, tracking ? `详见受理编号${tracking}` : '');
  };
  return {
    async send(ctx) {
      const t = target(ctx);
      return client.replyToComment(t.token, t.cid, t.statusId, textOf(ctx));
    },
    async confirm(ctx, attempt) {
      const t = target(ctx);
      // our own recent comments, newest first: is there a reply to this comment since the attempt began?
      for (let page = 1; page <= 5; page++) {
        const { comments, pageSize } = await client.listComments(t.token, 'comments/by_me', { count: 100, page });
        for (const c of comments) {
          if (c.reply_comment?.idstr === t.cid) return { providerRef: `weibo:comment:${c.idstr}` };
        }
        const oldest = comments.at(-1);
        if (pageSize < 100 || (oldest && (parseWeiboTime(oldest.created_at)?.getTime() ?? 0) < attempt.startedAt.getTime() - 60_000)) break;
      }
      return null;
    },
  };
}

export const statusPageSender: ChannelSender = {
  async send(ctx) {
    return { providerRef: `status-page:${trackingOf(ctx) ?? ctx.row.id}` };
  },
};

export function buildSenders(opts: { sql: Sql; now: () => Date; wechat: WechatSettings | null; weibo: WeiboSettings | null; sms?: SmsSender | null }): Senders {
  return {
    portal: statusPageSender,
    hotline: statusPageSender,
    // an Open311 client reads the reply as status_notes when it polls requests/{id}
    open311: statusPageSender,
    ...(opts.wechat ? { wechat: wechatSender(opts.wechat, opts.sql, opts.now) } : {}),
    ...(opts.weibo ? { weibo: weiboSender(opts.weibo) } : {}),
    // receipts to hotline callers (core/sms); unconfigured, no 'sms' row is ever queued
    ...(opts.sms ? { sms: smsChannelSender(opts.sms) } : {}),
  };
}

export async function loadSendContext(sql: Sql, row: OutboxRow): Promise<SendContext> {
  const message = row.messageId ? await getMessage(sql, row.messageId) : undefined;
  const raw = row.messageId && (row.channel === 'weibo') ? await getMessageRaw(sql, row.messageId) : undefined;
  const text = typeof row.payload.text === 'string' ? row.payload.text : '';
  return { row, message, raw, text };
}
