// Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, requests (POST with
// an api_key, GET with the spec's filters), one request, tokens. Errors in the spec's own format:
// an array of {code, description}, in the format the path asked for.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { randomUUID } from 'node:crypto';
import { ZodError, type ZodType } from 'zod';
import { verifyOpen311Key } from '../../../core/channels/open311/keys';
import { findRequests } from '../../../core/channels/open311/present';
import { CLOSED_CASE_STATUSES, OPEN_CASE_STATUSES, open311RequestSchema, open311ToIncoming, readOpen311Form } from '../../../core/channels/open311/request';
import { SERVICE_ATTRIBUTES, listServices, serviceByCode } from '../../../core/channels/open311/services';
import { toXml, toXmlDocument, type Open311Format } from '../../../core/channels/open311/format';
import { findOpen311Token, insertOpen311Request } from '../../../core/db/open311';
import { acceptMessage } from '../../../core/messages/intake';
import type { AppDeps, AppEnv } from '../../deps';
import { ApiError } from '../../errors';
import { requestsQuerySchema, servicesQuerySchema, singleQuerySchema } from './schemas';

export const OPEN311_BASE = '/open311/v2';
const DAY_MS = 86_400_000;
/** the spec's default window and cap: 90 days or 1000 requests, whichever is smaller */
export const DEFAULT_DAYS = 90;
export const MAX_REQUESTS = 1000;

export class Open311Error extends Error {
  constructor(readonly status: 400 | 403 | 404 | 413 | 415 | 500, readonly errors: { code: number; description: string }[]) {
    super(errors.map((e) => e.description).join('; '));
  }
}
const fail = (status: Open311Error['status'], description: string) => new Open311Error(status, [{ code: status, description }]);

function formatOf(path: string): Open311Format {
  return /\.xml$/i.test(path) ? 'xml' : 'json';
}

/** `file` is `<id>.json` or `<id>.xml` */
/** `<id>.json` or `<id>.xml`; an id no code, request or token can have (control or unstorable
 * characters, a broken %-escape, too long) is simply not there: 404, before any query sees it */
/** the `:file` parameter; a broken %-escape in it (which the router cannot decode) names nothing */
function fileOf(c: Context): string {
  try {
    return c.req.param('file') ?? '';
  } catch {
    throw fail(404, '没有这个编号 (no such id)');
  }
}

function splitFile(file: string): { id: string; format: Open311Format } {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  if (!m) throw fail(404, '没有这个编号 (no such id)');
  let id = m[1];
  try {
    id = decodeURIComponent(id);
  } catch {
    // already decoded by the router, or a stray %: take it as it is
  }
  // service codes, tracking numbers and tokens are all plain ASCII words
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(id)) throw fail(404, '没有这个编号 (no such id)');
  return { id, format: m[2] as Open311Format };
}

function send(c: Context, format: Open311Format, root: string, item: string, items: unknown[], status: 200 | 201 = 200) {
  if (format === 'xml') return c.body(toXml(root, item, items), status, { 'Content-Type': 'text/xml; charset=utf-8' });
  return c.json(items, status);
}

function parse<T extends ZodType>(schema: T, value: unknown): ReturnType<T['parse']> {
  const r = schema.safeParse(value);
  if (!r.success) throw issues(r.error);
  return r.data as ReturnType<T['parse']>;
}
const issues = (err: ZodError) => new Open311Error(400, err.issues.map((i) => ({ code: 400, description: `${i.path.join('.') || '(request)'}: ${i.message}` })));

export function open311Routes(deps: AppDeps) {
  const sql = deps.db.sql;
  const app = new Hono<AppEnv>();
  app.onError((err, c) => {
    const format = formatOf(c.req.path);
    let e: Open311Error;
    if (err instanceof Open311Error) e = err;
    else if (err instanceof ZodError) e = issues(err);
    else if (err instanceof ApiError && err.status < 500) e = fail(err.status as Open311Error['status'], err.message);
    else {
      deps.logger.error({ err, requestId: c.get('requestId'), path: c.req.path }, 'open311: unhandled error');
      e = fail(500, 'internal error');
    }
    if (format === 'xml') return c.body(toXml('errors', 'error', e.errors), e.status, { 'Content-Type': 'text/xml; charset=utf-8' });
    return c.json(e.errors, e.status);
  });

  for (const format of ['json', 'xml'] as const) {
    app.get(`/discovery.${format}`, (c) => {
      const origin = new URL(c.req.url).origin;
      const doc = {
        changeset: '2026-12-02T00:00:00+08:00',
        contact: '12345 政务服务便民热线 (the 12345 hotline office)',
        key_service: 'API 密钥由管理员发放：npm run cli -- open311 key add --name NAME',
        endpoints: [
          { specification: 'http://wiki.open311.org/GeoReport_v2', url: `${origin}${OPEN311_BASE}`, changeset: '2026-12-02T00:00:00+08:00', type: 'production', formats: ['text/xml', 'application/json'] },
        ],
      };
      if (format === 'xml') {
        const xmlDoc = { ...doc, endpoints: { endpoint: doc.endpoints.map((e) => ({ ...e, formats: { format: e.formats } })) } };
        return c.body(toXmlDocument('discovery', xmlDoc), 200, { 'Content-Type': 'text/xml; charset=utf-8' });
      }
      return c.json(doc);
    });

    app.get(`/services.${format}`, (c) => {
      parse(servicesQuerySchema, c.req.query());
      return send(c, format, 'services', 'service', listServices());
    });

    app.post(
      `/requests.${format}`,
      bodyLimit({ maxSize: 64 * 1024, onError: () => { throw fail(413, 'request body is larger than 64 KiB'); } }),
      async (c) => {
        const type = c.req.header('content-type') ?? '';
        if (!/^application\/x-www-form-urlencoded\b/i.test(type)) throw fail(415, '请以 application/x-www-form-urlencoded 提交 (send the form as application/x-www-form-urlencoded)');
        const raw = await c.req.text();
        const fields = new URLSearchParams(raw);
        // the key first: an unknown client stores nothing
        const client = await verifyOpen311Key(sql, fields.get('api_key') ?? c.req.query('api_key'));
        if (!client) throw fail(403, 'api_key 无效或已吊销 (invalid or revoked api_key)');
        const form = parse(open311RequestSchema, readOpen311Form(fields));
        const service = serviceByCode(form.service_code);
        if (!service) throw new Open311Error(400, [{ code: 400, description: `service_code: 没有服务 "${form.service_code}" (no such service)` }]);
        const token = randomUUID();
        await insertOpen311Request(sql, {
          token, serviceCode: service.service_code, keyId: client.id, jurisdictionId: form.jurisdiction_id ?? null, attributes: form.attributes, mediaUrl: form.media_url ?? null,
        });
        const { message } = await acceptMessage(
          { sql, queue: deps.queue, onQueueError: (err) => deps.logger.warn({ err }, 'open311: enqueue failed; the message sweep will pick it up') },
          open311ToIncoming(form, service, { token, raw, clientName: client.name, now: new Date() }),
          { submitter: `open311-key:${client.id}` },
        );
        return send(c, format, 'service_requests', 'request', [
          { service_request_id: message.trackingNo, token, service_notice: '已受理，将按规定时限办理 (received; it will be handled within the legal time limits)', account_id: null },
        ], 201);
      },
    );

    app.get(`/requests.${format}`, async (c) => {
      const q = parse(requestsQuerySchema, c.req.query());
      const extensions = q.extensions === 'true';
      // a list of ids overrides every other filter (GeoReport v2)
      if (q.service_request_id) return send(c, format, 'service_requests', 'request', await findRequests(sql, { trackingNos: q.service_request_id, limit: MAX_REQUESTS }, extensions));
      // one bound alone spans 90 days from it; neither: the last 90 days
      const end = q.end_date ?? (q.start_date ? new Date(q.start_date.getTime() + DEFAULT_DAYS * DAY_MS) : new Date());
      const start = q.start_date ?? new Date(end.getTime() - DEFAULT_DAYS * DAY_MS);
      if (start > end) throw fail(400, 'start_date 不得晚于 end_date (start_date is after end_date)');
      let service: { category: string; code: string } | undefined;
      if (q.service_code) {
        const s = serviceByCode(q.service_code);
        if (!s) throw fail(400, `service_code: 没有服务 "${q.service_code}" (no such service)`);
        service = { category: s.service_name, code: s.service_code };
      }
      const wanted = new Set(q.status ?? []);
      const statuses = wanted.size === 1
        ? wanted.has('open') ? { list: OPEN_CASE_STATUSES, withoutCase: true } : { list: CLOSED_CASE_STATUSES, withoutCase: false }
        : undefined;
      const items = await findRequests(sql, { start, end, service, statuses, limit: MAX_REQUESTS }, extensions);
      return send(c, format, 'service_requests', 'request', items);
    });
  }

  app.get('/services/:file{[^/]+\\.(?:json|xml)}', (c) => {
    const { id, format } = splitFile(fileOf(c));
    parse(servicesQuerySchema, c.req.query());
    const service = serviceByCode(id);
    if (!service) throw fail(404, `没有服务 "${id}" (no such service_code)`);
    const def = { service_code: service.service_code, attributes: SERVICE_ATTRIBUTES };
    if (format === 'xml') {
      const xmlDef = { service_code: def.service_code, attributes: { attribute: def.attributes.map((a) => ({ ...a, ...(a.values ? { values: { value: a.values } } : {}) })) } };
      return c.body(toXmlDocument('service_definition', xmlDef), 200, { 'Content-Type': 'text/xml; charset=utf-8' });
    }
    return c.json(def);
  });

  app.get('/requests/:file{[^/]+\\.(?:json|xml)}', async (c) => {
    const { id, format } = splitFile(fileOf(c));
    const q = parse(singleQuerySchema, c.req.query());
    const items = await findRequests(sql, { trackingNos: [id], limit: 1 }, q.extensions === 'true');
    if (!items.length) throw fail(404, `没有服务请求 "${id}" (no such service_request_id)`);
    return send(c, format, 'service_requests', 'request', items);
  });

  app.get('/tokens/:file{[^/]+\\.(?:json|xml)}', async (c) => {
    const { id, format } = splitFile(fileOf(c));
    parse(servicesQuerySchema, c.req.query());
    const t = await findOpen311Token(sql, id);
    if (!t) throw fail(404, `没有令牌 "${id}" (no such token)`);
    return send(c, format, 'service_requests', 'request', [{ service_request_id: t.trackingNo, token: t.token }]);
  });

  app.all('*', (c) => {
    throw fail(404, `no such Open311 resource: ${c.req.method} ${c.req.path}`);
  });
  return app;
}
