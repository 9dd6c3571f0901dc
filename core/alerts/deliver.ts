// Where an alert goes when its episode opens: the dashboard (the alert row itself), a webhook and
// e-mail, each as an outbox row (core/outbox: stored first, sent by the send-outbox job, retried
// with exponential backoff, picked up by the outbox sweep if its job is lost).
import type { Config } from '../config';
import type { Db } from '../db/connect';
import type { OutboxInput, OutboxRow } from '../db/outbox';
import { queueOutbox, scheduleSend } from '../outbox/enqueue';
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

/** The outbox rows of an alert's deliveries: one per target the rule and the configuration allow. */
export function alertOutboxRows(delivery: DeliveryConfig, alertId: number, rule: AlertRule): OutboxInput[] {
  const t = rule.definition.targets;
  const rows: OutboxInput[] = [];
  const webhookUrl = t.webhookUrl ?? delivery.webhookUrl;
  if (t.webhook && webhookUrl) {
    rows.push({ idempotencyKey: `alert-${alertId}-webhook`, channel: ALERT_CHANNELS.webhook, recipient: webhookUrl, kind: 'alert', payload: { alertId, text: `alert ${alertId}` } });
  }
  const to = t.emailTo.length ? t.emailTo : delivery.emailTo;
  if (t.email && to.length && delivery.smtpUrl) {
    rows.push({ idempotencyKey: `alert-${alertId}-email`, channel: ALERT_CHANNELS.email, recipient: to.join(','), kind: 'alert', payload: { alertId, text: `alert ${alertId}` } });
  }
  return rows;
}

/** The send jobs of stored outbox rows (a queue that cannot take them only delays them until the outbox sweep). */
export async function scheduleAlertSends(deps: { queue: JobQueue; log: { warn(obj: object, msg: string): void } }, rows: OutboxRow[]): Promise<void> {
  for (const row of rows) {
    if (row.status !== 'pending') continue;
    await scheduleSend(deps.queue, row.id, row.attempts).catch((err) =>
      deps.log.warn({ err, outboxId: row.id }, 'could not enqueue the outbox send; the outbox sweep will send it'),
    );
  }
}

/** Queues an alert's deliveries; idempotent (one row per alert and target), so a repeat sends nothing twice. */
export async function deliverAlert(
  deps: { sql: Db; queue: JobQueue; log: { warn(obj: object, msg: string): void }; delivery: DeliveryConfig },
  alertId: number,
  rule: AlertRule,
): Promise<number> {
  let queued = 0;
  for (const input of alertOutboxRows(deps.delivery, alertId, rule)) if ((await queueOutbox(deps, input)).created) queued++;
  return queued;
}
