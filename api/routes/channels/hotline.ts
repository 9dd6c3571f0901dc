// The 12345 call centre's work-order webhook: HMAC-SHA256 signed, timestamp within 5 minutes,
// idempotent on the order number (a repeated delivery answers 200 with the same tracking number).
import { Hono } from 'hono';
import { hotlineSignatureValid } from '../../../core/channels/hotline/signature';
import { hotlineOrderSchema, hotlineOrderToIncoming } from '../../../core/channels/hotline/order';
import { acceptMessage } from '../../../core/messages/intake';
import { timestampProblem } from '../../../core/channels/settings';
import { aliyunSettings, queueReceiptSms } from '../../../core/sms/sender';
import type { AppDeps, AppEnv } from '../../deps';
import { limitBody, rejectAndThrow, requireConfigured, requireContentType, unauthorized } from './body';

export function hotlineRoutes(deps: AppDeps, now: () => Date) {
  const app = new Hono<AppEnv>();
  const secret = deps.config.HOTLINE_WEBHOOK_SECRET;
  // a half-configured provider stops start-up here (the field is named); none at all is said once
  const smsEnabled = aliyunSettings(deps.config) !== null;
  if (!smsEnabled) deps.logger.info('SMS is not configured (SMS_PROVIDER unset): hotline callers get no SMS with their tracking number (短信未开通)');
  const intake = { sql: deps.db.sql, queue: deps.queue, onQueueError: (err: unknown) => deps.logger.warn({ err }, 'enqueue failed; the sweep will retry') };

  app.post('/orders', limitBody, async (c) => {
    const key = requireConfigured(secret, '12345 hotline (HOTLINE_WEBHOOK_SECRET)');
    requireContentType(c, /^application\/(.+\+)?json\b/i, 'application/json');
    const timestamp = c.req.header('x-timestamp');
    const problem = timestampProblem(timestamp, now());
    if (problem) throw unauthorized(`X-Timestamp: ${problem}`);
    // the signature covers the bytes as sent, before any decoding
    const bytes = Buffer.from(await c.req.arrayBuffer());
    if (!hotlineSignatureValid(key, timestamp!, bytes, c.req.header('x-signature'))) {
      throw unauthorized('wrong X-Signature: expected sha256=<hex HMAC-SHA256 of "<X-Timestamp>.<body>"> with the shared secret');
    }
    const raw = bytes.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      return rejectAndThrow(deps, c, 'hotline', raw, `malformed JSON: ${(err as Error).message}`);
    }
    const parsed = hotlineOrderSchema.safeParse(json);
    if (!parsed.success) return rejectAndThrow(deps, c, 'hotline', raw, 'invalid work order', parsed.error);
    const { message, created } = await acceptMessage(intake, hotlineOrderToIncoming(parsed.data, raw));
    // the receipt SMS is one outbox row per message: a repeated delivery queues nothing new
    const sms = await queueReceiptSms({ sql: deps.db.sql, queue: deps.queue, log: deps.logger, enabled: smsEnabled }, message);
    return c.json({ trackingNo: message.trackingNo, queryCode: message.queryCode, orderNo: message.externalId, duplicate: !created, sms }, created ? 201 : 200);
  });

  return app;
}
