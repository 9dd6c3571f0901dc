// The portal message board (留言板) form and the resident's status check.
import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { createHmac, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { makeRateLimiter } from '../../../core/channels/portal';
import { getDeliveryBinding } from '../../../core/db/messages';
import { insertReject } from '../../../core/db/rejects';
import { acceptMessage } from '../../../core/messages/intake';
import { storableText } from '../../../core/messages/storable';
import { aliyunSettings } from '../../../core/sms/sender';
import { getResidentStatus } from '../../../core/messages/status';
import type { AppDeps, AppEnv } from '../../deps';
import { ApiError, validationError } from '../../errors';
import { requireJson, validate } from '../../validate';
import { callerAddress, withCodeAttempt } from './caller';
import { failedMessagesRoutes } from './failed';
import { formFlag, isMultipart, jsonOrMultipartLimit, parseMultipart, type ParsedMultipart } from './photo-upload';

/** what the portal middleware read: the raw record to store and the cleaned photos */
const portalExtras = new WeakMap<Request, { raw: string; rawContentType: string; photos: ParsedMultipart['photos'] }>();

const phone = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .refine((s) => /^(?:\+?86)?1[3-9]\d{9}$/.test(s) || /^0\d{9,11}$/.test(s), { message: '请填写有效的手机号或固定电话 (a mobile or landline number)' });

export const portalFormSchema = z
  .object({
    title: z.string().trim().min(2, '标题至少 2 个字').max(100, '标题最多 100 个字'),
    content: z.string().trim().min(5, '内容至少 5 个字').max(5000, '内容最多 5000 个字'),
    contactName: z.string().trim().min(1, '请填写联系人').max(50),
    phone,
    district: z.string().trim().max(20).optional(),
    street: z.string().trim().max(40).optional(),
    address: z.string().trim().max(200).optional(),
    /** 同意公开: consent to the public board; default no */
    isPublic: z.boolean().default(false),
    location: z
      .object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180), label: z.string().max(200).optional() })
      .optional(),
  })
  .strict();

export const trackingParam = z.object({ trackingNo: z.string().regex(/^MS\d{13}$/, '受理编号格式不正确 (MS followed by 13 digits)') });
export const statusQuery = z.object({ code: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{6}$/, '查询码为 6 位字母或数字') });

/** The portal form as the route's typed input: malformed JSON is kept as a reject, a bad form is a 400 with field messages. */
function portalForm(deps: AppDeps) {
  return createMiddleware<AppEnv, string, { in: { json: z.input<typeof portalFormSchema> }; out: { json: z.output<typeof portalFormSchema> } }>(async (c, next) => {
    let json: unknown;
    if (isMultipart(c)) {
      // the form with photos: text fields plus `photos` files; the raw record keeps the fields and a
      // summary of each file (name, declared type, size, hash), the cleaned bytes go to message_photos
      const { fields, photos, fileSummary } = await parseMultipart(c);
      let location: unknown;
      if (fields.location) {
        try { location = JSON.parse(fields.location); } catch { throw validationError(new z.ZodError([{ code: 'custom', path: ['location'], message: '位置须为 JSON 对象 {lat, lng}', input: fields.location }]), 'body'); }
      }
      json = {
        ...Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'isPublic' && k !== 'location' && fields[k] !== '')),
        isPublic: formFlag(fields.isPublic),
        ...(location !== undefined ? { location } : {}),
      };
      portalExtras.set(c.req.raw, { raw: JSON.stringify({ ...(json as object), photos: fileSummary }), rawContentType: 'multipart/form-data', photos });
    } else {
      requireJson(c.req.header('content-type'));
      const raw = await c.req.text();
      try {
        json = JSON.parse(raw);
      } catch (err) {
        await insertReject(deps.db.sql, { channel: 'portal', raw, contentType: c.req.header('content-type'), reason: `malformed JSON: ${(err as Error).message}` });
        throw new ApiError('bad_request', `malformed JSON: ${(err as Error).message}`);
      }
      portalExtras.set(c.req.raw, { raw, rawContentType: 'application/json', photos: [] });
    }
    const parsed = portalFormSchema.safeParse(json);
    if (!parsed.success) throw validationError(parsed.error, 'body');
    c.req.addValidatedData('json', parsed.data);
    await next();
  });
}

export function messagesRoutes(deps: AppDeps) {
  const caller = (c: Context) => callerAddress(c, deps);
  // who sent it, kept as a keyed hash: enough to tell callers apart, never their address
  const submitterOf = (c: Context) => createHmac('sha256', deps.config.AUTH_SECRET ?? 'minsheng-portal-submitter').update(caller(c)).digest('hex').slice(0, 32);

  const smsEnabled = aliyunSettings(deps.config) !== null;
  // shared through Redis; while Redis is down each process limits on its own (never fails closed)
  const limiter = makeRateLimiter({
    redis: deps.redis,
    prefix: deps.config.QUEUE_PREFIX,
    name: 'portal',
    limit: deps.config.PORTAL_RATE_LIMIT,
    windowMs: 60_000,
    onFailover: (err) => deps.logger.warn({ err }, 'rate limiter: Redis unavailable, limiting in this process'),
  });

  return new Hono<AppEnv>()
    .post(
      '/',
      // counted before the body is read: a flood of bad submissions is throttled too
      async (c, next) => {
        const d = await limiter.take(caller(c));
        if (!d.allowed) {
          throw new ApiError('rate_limited', `提交过于频繁，请 ${d.retryAfterS} 秒后再试 (at most ${deps.config.PORTAL_RATE_LIMIT} submissions a minute per address)`, undefined, {
            'Retry-After': String(d.retryAfterS),
          });
        }
        await next();
      },
      // JSON up to 64 KiB; multipart with up to 4 photos of 5 MB
      jsonOrMultipartLimit(64 * 1024),
      portalForm(deps),
      async (c) => {
        const form = c.req.valid('json');
        const { raw, rawContentType, photos } = portalExtras.get(c.req.raw)!;
        const idempotencyKey = c.req.header('idempotency-key');
        if (idempotencyKey !== undefined && !/^[\w.:-]{8,128}$/.test(idempotencyKey)) {
          throw new ApiError('validation_failed', '提交的内容有误：Idempotency-Key 须为 8–128 个字母、数字或 . : _ - (Idempotency-Key must be 8-128 letters, digits or . : _ -)', [{ field: 'Idempotency-Key', message: '须为 8–128 个字母、数字或 . : _ -' }]);
        }
        const submitter = submitterOf(c);
        const address = [form.district, form.street, form.address].filter(Boolean).join('') || null;
        const result = await acceptMessage(
          { sql: deps.db.sql, queue: deps.queue, onQueueError: (err) => deps.logger.warn({ err }, 'enqueue failed; the sweep will retry') },
          {
            channel: 'portal',
            externalId: idempotencyKey ?? randomUUID(),
            receivedAt: new Date(),
            raw,
            rawContentType,
            title: form.title,
            body: form.content,
            contactName: form.contactName,
            contactPhone: form.phone,
            address,
            location: form.location ? { lat: form.location.lat, lng: form.location.lng, label: form.location.label ?? null } : null,
            isPublic: form.isPublic,
          },
          { submitter, photos },
        );
        if (!result.created && idempotencyKey !== undefined) {
          // a replay answers with the first submission's tracking number and 查询码 only to the
          // caller that made it, with the same body: anything else is a key reused, not a retry
          const first = await getDeliveryBinding(deps.db.sql, result.message.id);
          if (!first || first.submitter !== submitter || first.raw !== storableText(raw)) {
            throw new ApiError('conflict', '该 Idempotency-Key 已用于另一条留言，请换一个 (the Idempotency-Key was used for a different submission)', [
              { field: 'Idempotency-Key', message: 'already used with another body or by another caller' },
            ]);
          }
        }
        return c.json(
          { trackingNo: result.message.trackingNo, queryCode: result.message.queryCode, status: result.message.state, duplicate: !result.created, photos: photos.length },
          result.created ? 201 : 200,
        );
      },
    )
    // staff routes first: `/failed` is not a tracking number
    .route('/', failedMessagesRoutes(deps))
    .get('/:trackingNo', validate('param', trackingParam), validate('query', statusQuery), async (c) => {
      const { code } = c.req.valid('query');
      const { trackingNo } = c.req.valid('param');
      const status = await withCodeAttempt(c, deps, trackingNo, () => getResidentStatus(deps.db.sql, trackingNo, code, deps.shipped.sla.calendar, { smsEnabled }));
      if (!status) throw new ApiError('not_found', '没有找到该留言，请核对受理编号和查询码 (no message with that tracking number and query code)');
      return c.json(status);
    });
}
