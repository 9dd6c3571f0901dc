// The outbox senders of alert deliveries. Webhook: a JSON POST whose body is signed with
// HMAC-SHA256 over `${timestamp}.${body}` (headers X-Minsheng-Timestamp, X-Minsheng-Signature:
// sha256=<hex>, X-Minsheng-Delivery: one id per alert and target, for the receiver to drop
// repeats). E-mail: nodemailer over SMTP (a maintained client: STARTTLS, auth, pooling and SMTP
// error codes handled, none of which we want to write). Every try is recorded in
// alert_delivery_attempts. Delivery is at least once: any failure is retried with the outbox's
// backoff, since a repeated alert costs little and a lost one may cost much.
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import { NotDeliveredError } from '../channels/http';
import type { Db } from '../db/connect';
import { getAlertRow, insertDeliveryAttempt, type AlertRow } from '../db/alerts';
import type { ChannelSender, SendContext } from '../outbox/senders';
import { ALERT_CHANNELS, type DeliveryConfig } from './deliver';
import { remaskEvidence, type Evidence } from './evaluate';

export const SIGNATURE_HEADER = 'X-Minsheng-Signature';
export const TIMESTAMP_HEADER = 'X-Minsheng-Timestamp';
export const DELIVERY_HEADER = 'X-Minsheng-Delivery';

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function alertPayload(a: AlertRow) {
  return {
    event: 'alert.opened',
    alert: {
      id: a.id,
      rule: { id: a.ruleId, name: a.ruleName },
      title: a.title,
      district: a.district,
      topicId: a.topicId,
      openedAt: a.openedAt.toISOString(),
      evidence: a.evidence,
    },
  };
}

const CHANNEL_LABELS: Record<string, string> = { wechat: '微信', weibo: '微博', portal: '留言板', hotline: '12345' };

export function alertEmailText(a: AlertRow): string {
  const e = a.evidence as unknown as Evidence;
  const lines = [
    `【舆情预警】${a.title}`,
    '',
    `规则：${a.ruleName}`,
    `区县：${a.district ?? '—'}`,
    `时间：${a.openedAt.toISOString()}`,
    `窗口：${e.windowMinutes} 分钟内 ${e.count} 条，负面 ${e.negative} 条（${Math.round(e.negativeShare * 100)}%）`,
    `渠道：${Object.entries(e.channels ?? {}).map(([c, n]) => `${CHANNEL_LABELS[c] ?? c} ${n}`).join('，')}`,
    e.topic ? `话题：${e.topic.label ?? e.topic.topicId}${e.topic.burst ? '（突增）' : ''}` : '',
    '',
    '代表留言（已脱敏）：',
    ...(e.topMessages ?? []).map((m, i) => `${i + 1}. ${m.text}`),
    '',
    `走势（每格 ${Math.round((2 * e.windowMinutes) / (e.series?.length || 12))} 分钟）：${(e.series ?? []).map((s) => s.count).join(' ')}`,
  ];
  return lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n');
}

interface SenderDeps {
  sql: Db;
  now: () => Date;
  delivery: DeliveryConfig;
  /** per request, for the webhook */
  timeoutMs?: number;
}

async function loadAlert(sql: Db, ctx: SendContext): Promise<AlertRow> {
  const id = Number(ctx.row.payload.alertId);
  const a = Number.isInteger(id) ? await getAlertRow(sql, id) : undefined;
  if (!a) throw new NotDeliveredError(`alert ${String(ctx.row.payload.alertId)} no longer exists`, true);
  // what leaves the system is masked as of now, whenever the alert was stored
  return { ...a, evidence: await remaskEvidence(sql, a.evidence) };
}

async function recorded<T>(deps: SenderDeps, ctx: SendContext, target: 'webhook' | 'email', alertId: number, run: () => Promise<{ ref: T; statusCode: number | null }>) {
  const at = deps.now();
  try {
    const r = await run();
    await insertDeliveryAttempt(deps.sql, { alertId, outboxId: ctx.row.id, target, attempt: ctx.row.attempts, at, ok: true, statusCode: r.statusCode, error: null });
    return r.ref;
  } catch (err) {
    const statusCode = (err as { statusCode?: number }).statusCode ?? null;
    await insertDeliveryAttempt(deps.sql, { alertId, outboxId: ctx.row.id, target, attempt: ctx.row.attempts, at, ok: false, statusCode, error: (err as Error).message });
    throw err;
  }
}

class DeliveryFailed extends NotDeliveredError {
  constructor(message: string, permanent: boolean, readonly statusCode: number | null) {
    super(message, permanent);
  }
}

export function webhookSender(deps: SenderDeps): ChannelSender {
  return {
    async send(ctx) {
      const a = await loadAlert(deps.sql, ctx);
      const url = ctx.row.recipient;
      if (!url) throw new NotDeliveredError('the alert webhook row has no URL', true);
      if (!deps.delivery.webhookSecret) throw new NotDeliveredError('ALERT_WEBHOOK_SECRET is not set: alert webhooks are sent signed only', true);
      const secret = deps.delivery.webhookSecret;
      return recorded(deps, ctx, 'webhook', a.id, async () => {
        const body = JSON.stringify(alertPayload(a));
        const timestamp = String(Math.floor(deps.now().getTime() / 1000));
        let res: Response;
        try {
          res = await fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json; charset=utf-8',
              [TIMESTAMP_HEADER]: timestamp,
              [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
              [DELIVERY_HEADER]: ctx.row.idempotencyKey,
            },
            body,
            signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
            redirect: 'error',
          });
          await res.arrayBuffer().catch(() => undefined);
        } catch (err) {
          throw new DeliveryFailed(`webhook ${new URL(url).host}: ${(err as Error).message}`, false, null);
        }
        if (res.status >= 200 && res.status < 300) return { ref: { providerRef: `webhook:${res.status}` }, statusCode: res.status };
        // 4xx other than a timeout or rate limit: the receiver refuses this request and will again
        const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
        throw new DeliveryFailed(`webhook ${new URL(url).host} answered HTTP ${res.status}`, permanent, res.status);
      });
    },
  };
}

export function emailSender(deps: SenderDeps): ChannelSender {
  const transport = deps.delivery.smtpUrl ? nodemailer.createTransport(deps.delivery.smtpUrl) : null;
  return {
    async send(ctx) {
      const a = await loadAlert(deps.sql, ctx);
      if (!transport) throw new NotDeliveredError('SMTP_URL is not set', false);
      const to = (ctx.row.recipient ?? '').split(',').filter(Boolean);
      if (!to.length) throw new NotDeliveredError('the alert e-mail row has no recipients', true);
      return recorded(deps, ctx, 'email', a.id, async () => {
        try {
          const info = await transport.sendMail({
            from: deps.delivery.emailFrom,
            to,
            subject: `【舆情预警】${a.title}`,
            text: alertEmailText(a),
            messageId: `<alert-${a.id}@minsheng>`,
            headers: { [DELIVERY_HEADER]: ctx.row.idempotencyKey },
          });
          return { ref: { providerRef: `smtp:${info.messageId}` }, statusCode: 250 };
        } catch (err) {
          const code = (err as { responseCode?: number }).responseCode ?? null;
          // 5xx: the server refuses this message for good; 4xx and connection failures are passing
          throw new DeliveryFailed(`smtp: ${(err as Error).message}`, code !== null && code >= 500, code);
        }
      });
    },
  };
}

export function alertSenders(deps: SenderDeps): Record<string, ChannelSender> {
  return { [ALERT_CHANNELS.webhook]: webhookSender(deps), [ALERT_CHANNELS.email]: emailSender(deps) };
}
