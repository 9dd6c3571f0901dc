// Where an alert goes when its episode opens: the dashboard (the alert row itself), a webhook and
// e-mail, each as an outbox row (core/outbox: stored first, sent by the send-outbox job, retried
// with exponential backoff, picked up by the outbox sweep if its job is lost).
import type { Config } from '../config';
import type { Db } from '../db/connect';
import { queueOutbox } from '../outbox/enqueue';
import type { JobQueue } from '../queue/contract';
import type { AlertRule } from './rule-schema';

export interface DeliveryConfig {
  webhookUrl: string | null;
  webhookSecret: string | null;
  smtpUrl: string | null;
  emailTo: string[];
  emailFrom: string;
}

export function deliveryConfig(config: Config | undefined): DeliveryConfig {
  return {
    webhookUrl: config?.ALERT_WEBHOOK_URL ?? null,
    webhookSecret: config?.ALERT_WEBHOOK_SECRET ?? null,
    smtpUrl: config?.SMTP_URL ?? null,
    emailTo: (config?.ALERT_EMAIL_TO ?? '').split(/[,;\s]+/).filter(Boolean),
    emailFrom: config?.ALERT_EMAIL_FROM ?? 'minsheng-alerts@localhost',
  };
}

/** The outbox channels of alert deliveries (their senders are in ./senders.ts). */
export const ALERT_CHANNELS = { webhook: 'alert-webhook', email: 'alert-email' } as const;

export async function deliverAlert(
  deps: { sql: Db; queue: JobQueue; log: { warn(obj: object, msg: string): void }; delivery: DeliveryConfig },
  alertId: number,
  rule: AlertRule,
): Promise<void> {
  const t = rule.definition.targets;
  const webhookUrl = t.webhookUrl ?? deps.delivery.webhookUrl;
  if (t.webhook && webhookUrl) {
    await queueOutbox(deps, {
      idempotencyKey: `alert-${alertId}-webhook`,
      channel: ALERT_CHANNELS.webhook,
      recipient: webhookUrl,
      kind: 'alert',
      payload: { alertId, text: `alert ${alertId}` },
    });
  }
  const to = t.emailTo.length ? t.emailTo : deps.delivery.emailTo;
  if (t.email && to.length && deps.delivery.smtpUrl) {
    await queueOutbox(deps, {
      idempotencyKey: `alert-${alertId}-email`,
      channel: ALERT_CHANNELS.email,
      recipient: to.join(','),
      kind: 'alert',
      payload: { alertId, text: `alert ${alertId}` },
    });
  }
}
