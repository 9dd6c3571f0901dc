// A 12345 work order (工单) from the call centre, by webhook or in the daily export, mapped to an IncomingMessage.
import { z } from 'zod';
import { messageTimeProblem, type IncomingMessageInput } from '../../messages/incoming';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));

/** times without a zone are local time in the city (UTC+8); also ISO 8601 and Unix seconds or ms */
export const flexibleTime = z
  .union([z.string().trim().min(1), z.number()])
  .transform((v, ctx) => {
    let d: Date;
    if (typeof v === 'number') d = new Date(v < 1e12 ? v * 1000 : v);
    else if (/^\d{10}$/.test(v)) d = new Date(Number(v) * 1000);
    else {
      const local = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(v);
      d = local
        ? new Date(`${local[1]}-${local[2].padStart(2, '0')}-${local[3].padStart(2, '0')}T${local[4].padStart(2, '0')}:${local[5]}:${local[6] ?? '00'}+08:00`)
        : new Date(v);
    }
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'must be ISO 8601, "YYYY-MM-DD HH:mm[:ss]" (UTC+8) or Unix time' });
      return z.NEVER;
    }
    // an order dated centuries away would sit in `received` forever (the clock cannot run backwards)
    const problem = messageTimeProblem(d);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return d;
  });

export const hotlineOrderSchema = z.object({
  orderNo: z.string().trim().min(1, 'orderNo is required').max(100).regex(/^[\w.:/-]+$/, 'orderNo: letters, digits and . : / _ - only'),
  callTime: flexibleTime,
  callerPhone: z.string().trim().max(40).transform((s) => s.replace(/[\s-]/g, '')).refine((s) => /^\+?\d{3,20}$/.test(s), 'callerPhone must be a phone number'),
  content: z.string().trim().min(1, 'content (transcript or operator summary) is required').max(20_000),
  address: optionalText(500),
  /** the operator's category (话务员分类), if any: a hint, the pipeline classifies anyway */
  category: optionalText(100),
  callerName: optionalText(100),
  /** the operator asked 是否同意公开 and the caller said yes (公开留言选登); absent: no */
  publicConsent: z.boolean().optional(),
});
export type HotlineOrder = z.infer<typeof hotlineOrderSchema>;

export function hotlineOrderToIncoming(order: HotlineOrder, raw: string, rawContentType = 'application/json'): IncomingMessageInput {
  return {
    channel: 'hotline',
    externalId: order.orderNo,
    receivedAt: order.callTime,
    raw,
    rawContentType,
    title: order.category ? `[${order.category}]`.slice(0, 200) : null,
    body: order.content,
    contactName: order.callerName,
    contactPhone: order.callerPhone,
    account: '12345',
    address: order.address,
    // only with the caller's consent; the phone is never shown publicly either way
    isPublic: order.publicConsent === true,
  };
}
