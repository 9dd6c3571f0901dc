// The one shape every channel turns its payload into before the message is stored (受理).
import { z } from 'zod';
import { storableText } from './storable';

export const CHANNELS = ['wechat', 'weibo', 'portal', 'hotline', 'open311'] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

/** A message's time must lie in a sane window: not before 2000, not more than a day ahead of now. */
export const EARLIEST_MESSAGE_TIME = new Date('2000-01-01T00:00:00Z');
export const MAX_AHEAD_MS = 86_400_000;

/** Why the time is outside the window (in Chinese, with the English), or null when it is inside. */
export function messageTimeProblem(d: Date, now: Date = new Date()): string | null {
  if (Number.isNaN(d.getTime())) return '时间无效 (not a valid time)';
  if (d < EARLIEST_MESSAGE_TIME) return '时间不得早于 2000-01-01 (must not be before 2000-01-01)';
  if (d.getTime() > now.getTime() + MAX_AHEAD_MS) return '时间不得晚于当前时间一天以上 (must not be more than a day in the future)';
  return null;
}

// every text is made storable here (no NUL, no lone surrogate): the one edge all channels pass
const text = (max?: number) => (max === undefined ? z.string() : z.string().max(max)).transform(storableText);

export const incomingMessageSchema = z.object({
  channel: channelSchema,
  /** the channel's own id (WeChat MsgId, Weibo comment id, hotline order number, portal submission id) */
  externalId: z.string().min(1).max(200).transform(storableText).pipe(z.string().min(1)),
  receivedAt: z.coerce.date().superRefine((d, ctx) => {
    const problem = messageTimeProblem(d);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** the payload exactly as it arrived (XML or JSON text), kept verbatim */
  raw: text(),
  rawContentType: text().default('application/json'),
  title: text(200).nullable().default(null),
  body: text(100_000),
  contactName: text(100).nullable().default(null),
  contactPhone: text(40).nullable().default(null),
  /** channel identity of the resident: WeChat openid, Weibo uid */
  contactHandle: text(200).nullable().default(null),
  /** the official account the message was sent to, e.g. 芜湖发布 */
  account: text(100).nullable().default(null),
  address: text(500).nullable().default(null),
  location: z.object({ lat: z.number(), lng: z.number(), label: text().nullable().default(null) }).nullable().default(null),
  /** the resident agreed to publication on the public board (公开留言选登); no unless asked and answered yes */
  isPublic: z.boolean().default(false),
});
export type IncomingMessage = z.infer<typeof incomingMessageSchema>;
export type IncomingMessageInput = z.input<typeof incomingMessageSchema>;
