// The one shape every channel turns its payload into before the message is stored (受理).
import { z } from 'zod';
import { storableText } from './storable';

export const CHANNELS = ['wechat', 'weibo', 'portal', 'hotline'] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

// every text is made storable here (no NUL, no lone surrogate): the one edge all channels pass
const text = (max?: number) => (max === undefined ? z.string() : z.string().max(max)).transform(storableText);

export const incomingMessageSchema = z.object({
  channel: channelSchema,
  /** the channel's own id (WeChat MsgId, Weibo comment id, hotline order number, portal submission id) */
  externalId: z.string().min(1).max(200).transform(storableText).pipe(z.string().min(1)),
  receivedAt: z.coerce.date(),
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
  isPublic: z.boolean().default(true),
});
export type IncomingMessage = z.infer<typeof incomingMessageSchema>;
export type IncomingMessageInput = z.input<typeof incomingMessageSchema>;
