// A pushed WeChat message (普通消息 or 事件推送) mapped to the IncomingMessage every channel produces.
import { z } from 'zod';
import { messageTimeProblem, type IncomingMessageInput } from '../../messages/incoming';

const base = z.object({
  ToUserName: z.string().min(1),
  FromUserName: z.string().min(1),
  CreateTime: z
    .string()
    .regex(/^\d{1,12}$/, 'CreateTime must be Unix seconds')
    .superRefine((v, ctx) => {
      const problem = messageTimeProblem(new Date(Number(v) * 1000));
      if (problem && /^\d+$/.test(v)) ctx.addIssue({ code: 'custom', message: problem });
    }),
  MsgType: z.string().min(1),
});

const withMsgId = base.extend({ MsgId: z.string().regex(/^\d{1,30}$/, 'MsgId must be digits') });

const schemas = {
  text: withMsgId.extend({ Content: z.string() }),
  voice: withMsgId.extend({ MediaId: z.string(), Format: z.string().optional(), Recognition: z.string().optional() }),
  image: withMsgId.extend({ PicUrl: z.string(), MediaId: z.string().optional() }),
  location: withMsgId.extend({
    Location_X: z.coerce.number().min(-90).max(90),
    Location_Y: z.coerce.number().min(-180).max(180),
    Scale: z.string().optional(),
    Label: z.string().optional(),
  }),
  link: withMsgId.extend({ Title: z.string(), Description: z.string().optional(), Url: z.string() }),
  event: base.extend({ Event: z.string().min(1), EventKey: z.string().optional() }),
};

export type WechatMapping =
  | { kind: 'message'; incoming: IncomingMessageInput }
  /** events (关注, 菜单点击…) are stored for the record but are not a resident's request: no case */
  | { kind: 'event'; incoming: IncomingMessageInput; event: string };

export class WechatMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatMessageError';
  }
}

function check<T>(schema: z.ZodType<T>, fields: Record<string, string>): T {
  const r = schema.safeParse(fields);
  if (!r.success) throw new WechatMessageError(`invalid ${fields.MsgType ?? ''} message: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** Maps the (decrypted) message fields; `raw` is the request body exactly as it arrived. */
export function mapWechatMessage(fields: Record<string, string>, raw: string): WechatMapping {
  const b = check(base, fields);
  const common = {
    channel: 'wechat' as const,
    receivedAt: new Date(Number(b.CreateTime) * 1000),
    raw,
    rawContentType: 'application/xml',
    contactHandle: b.FromUserName,
    account: b.ToUserName,
  };
  switch (b.MsgType) {
    case 'text': {
      const m = check(schemas.text, fields);
      return { kind: 'message', incoming: { ...common, externalId: m.MsgId, body: m.Content } };
    }
    case 'voice': {
      const m = check(schemas.voice, fields);
      // 语音识别 text when the account has it switched on; otherwise staff listen to the media
      return { kind: 'message', incoming: { ...common, externalId: m.MsgId, body: m.Recognition?.trim() || `[语音消息 voice, media ${m.MediaId}]` } };
    }
    case 'image': {
      const m = check(schemas.image, fields);
      return { kind: 'message', incoming: { ...common, externalId: m.MsgId, body: `[图片 image] ${m.PicUrl}` } };
    }
    case 'location': {
      const m = check(schemas.location, fields);
      const label = m.Label?.trim() || null;
      return {
        kind: 'message',
        incoming: {
          ...common,
          externalId: m.MsgId,
          body: `[位置 location] ${label ?? `${m.Location_X},${m.Location_Y}`}`,
          address: label,
          location: { lat: m.Location_X, lng: m.Location_Y, label },
        },
      };
    }
    case 'link': {
      const m = check(schemas.link, fields);
      return { kind: 'message', incoming: { ...common, externalId: m.MsgId, title: m.Title.slice(0, 200), body: `${m.Description ?? ''}\n${m.Url}`.trim() } };
    }
    case 'event': {
      const m = check(schemas.event, fields);
      // events carry no MsgId: the platform's own dedup key is FromUserName + CreateTime (+ event)
      return {
        kind: 'event',
        event: m.Event,
        incoming: { ...common, externalId: `${m.FromUserName}:${m.CreateTime}:${m.Event}`, body: `[事件 event] ${m.Event}${m.EventKey ? ` ${m.EventKey}` : ''}` },
      };
    }
    default: {
      // video, shortvideo, file… still the resident's message: keep it, let staff open the raw payload
      const m = check(withMsgId, fields);
      return { kind: 'message', incoming: { ...common, externalId: m.MsgId, body: `[${m.MsgType} message]` } };
    }
  }
}
