// SMS to residents behind one interface: today the receipt a hotline caller gets (tracking number +
// 查询码). Sent through the outbox (channel 'sms'), so a provider that is busy or rate-limits is retried
// with backoff. With no provider configured nothing is sent and residents are told 短信未开通.
import type { Config } from '../config';
import type { Db } from '../db/connect';
import type { StoredMessage } from '../db/messages';
import { queueOutbox, type OutboxDeps } from '../outbox/enqueue';
import type { ChannelSender } from '../outbox/senders';
import { aliyunSendSms, type AliyunSmsSettings } from './aliyun';

export interface SmsReceipt {
  trackingNo: string;
  code: string;
}

export interface SmsSender {
  readonly provider: string;
  /** Throws NotDeliveredError when the provider certainly did not send; any other error: outcome unknown. */
  sendReceipt(phone: string, receipt: SmsReceipt, outId: string): Promise<{ providerRef: string }>;
}

export class SmsConfigError extends Error {}

/** the Aliyun settings, null when SMS_PROVIDER is unset; a provider with a missing field stops the process */
export function aliyunSettings(config: Config | undefined): AliyunSmsSettings | null {
  if (!config || config.SMS_PROVIDER !== 'aliyun') return null;
  const missing = (['SMS_ACCESS_KEY_ID', 'SMS_ACCESS_KEY_SECRET', 'SMS_SIGN_NAME', 'SMS_TEMPLATE_CODE'] as const).filter((k) => !config[k]);
  if (missing.length) throw new SmsConfigError(`SMS_PROVIDER=aliyun needs ${missing.join(', ')}`);
  return {
    accessKeyId: config.SMS_ACCESS_KEY_ID!, accessKeySecret: config.SMS_ACCESS_KEY_SECRET!,
    signName: config.SMS_SIGN_NAME!, templateCode: config.SMS_TEMPLATE_CODE!, endpoint: config.SMS_ENDPOINT,
  };
}

export function createSmsSender(config: Config | undefined, opts: { now?: () => Date } = {}): SmsSender | null {
  const s = aliyunSettings(config);
  if (!s) return null;
  return {
    provider: 'aliyun',
    async sendReceipt(phone, receipt, outId) {
      // the template's variables: ${trackingNo} and ${code}
      const r = await aliyunSendSms(s, { phone, templateParam: { trackingNo: receipt.trackingNo, code: receipt.code }, outId }, { now: opts.now });
      return { providerRef: `aliyun:${r.bizId}` };
    },
  };
}

/** a mainland mobile number as Aliyun takes it (11 digits), or null (landlines get no SMS) */
export function mobileNumber(phone: string | null): string | null {
  const m = /^(?:\+?86)?(1[3-9]\d{9})$/.exec((phone ?? '').replace(/[\s-]/g, ''));
  return m ? m[1] : null;
}

/** the outbox's sender for channel 'sms' */
export function smsChannelSender(sms: SmsSender): ChannelSender {
  return {
    async send(ctx) {
      const p = ctx.row.payload;
      if (!ctx.row.recipient || typeof p.trackingNo !== 'string' || typeof p.code !== 'string') throw new Error('the SMS row has no recipient or receipt');
      return sms.sendReceipt(ctx.row.recipient, { trackingNo: p.trackingNo, code: p.code }, `ms-${ctx.row.id}`);
    },
    // Dysmsapi's QuerySendDetails could tell, but only by date and number: an unknown outcome is not
    // repeated (at most once), as for WeChat
  };
}

export type ReceiptSmsOutcome = { status: 'queued' | 'not-enabled' | 'no-mobile'; note: string };

export const SMS_NOT_ENABLED = '短信未开通：受理编号和查询码未以短信发送';

/** Queues the receipt SMS of a new hotline message (once per message), or says why there is none. */
export async function queueReceiptSms(deps: OutboxDeps & { sql: Db; enabled: boolean }, m: StoredMessage): Promise<ReceiptSmsOutcome> {
  if (!deps.enabled) return { status: 'not-enabled', note: SMS_NOT_ENABLED };
  const phone = mobileNumber(m.contactPhone);
  if (!phone) return { status: 'no-mobile', note: '来电号码不是手机号，未发送短信' };
  await queueOutbox(deps, {
    idempotencyKey: `sms-receipt:${m.id}`,
    messageId: m.id,
    channel: 'sms',
    recipient: phone,
    kind: 'receipt-sms',
    payload: { text: `您的诉求已受理，受理编号 ${m.trackingNo}，查询码 ${m.queryCode}`, trackingNo: m.trackingNo, code: m.queryCode },
  });
  return { status: 'queued', note: '受理编号和查询码将以短信发送至来电号码' };
}
