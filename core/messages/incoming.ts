// The one shape every channel turns its payload into before the message is stored (受理).
import { z } from 'zod';

export const CHANNELS = ['wechat', 'weibo', 'portal', 'hotline'] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

export const incomingMessageSchema = z.object({
  channel: channelSchema,
  /** the channel's own id (WeChat MsgId, Weibo comment id, hotline order number, portal submission id) */
  externalId: z.string().min(1).max(200),
  receivedAt: z.coerce.date(),
  /** the payload exactly as it arrived (XML or JSON text), kept verbatim */
  raw: z.string(),
  rawContentType: z.string().default('application/json'),
  title: z.string().max(200).nullable().default(null),
  body: z.string().max(100_000),
  contactName: z.string().max(100).nullable().default(null),
  contactPhone: z.string().max(40).nullable().default(null),
  /** channel identity of the resident: WeChat openid, Weibo uid */
  contactHandle: z.string().max(200).nullable().default(null),
  /** the official account the message was sent to, e.g. 芜湖发布 */
  account: z.string().max(100).nullable().default(null),
  address: z.string().max(500).nullable().default(null),
  location: z.object({ lat: z.number(), lng: z.number(), label: z.string().nullable().default(null) }).nullable().default(null),
  isPublic: z.boolean().default(true),
});
export type IncomingMessage = z.infer<typeof incomingMessageSchema>;
export type IncomingMessageInput = z.input<typeof incomingMessageSchema>;
