// Open311 GeoReport v2: every resource checked field by field against the spec, in JSON and XML;
// the api_key (made by the CLI, stored hashed); a request stored first, made a case, followed to its reply.
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open311KeyCommand } from '../bin/commands/open311';
import { actOnCase } from '../core/cases/act-on-case';
import { formatShanghai } from '../core/cases/calendar';
import { EXTENDED_STATUSES } from '../core/channels/open311/request';
import { SERVICE_CATALOGUE } from '../core/channels/open311/services';
import { hashOpen311Key } from '../core/channels/open311/keys';
import { categoryLabels } from '../core/nlp/category';
import type { InProcessQueue } from '../core/queue/in-process';
import { testApp, testConfig } from './support/app';
import { openTestCase, serviceDeps } from './support/cases';
import { channelPipeline } from './support/channels';
import { createTestDatabase, type TestDatabase } from './support/db';
import { waitFor } from './support/pipeline';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
let key: string;

const xml = new XMLParser({ parseTagValue: false, isArray: (name) => ['service', 'request', 'error', 'attribute', 'value', 'endpoint', 'format'].includes(name) });
const SERVICE_FIELDS = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'].sort();
const REQUEST_FIELDS = [
  'service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice',
  'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url',
].sort();
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/;

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await open311KeyCommand(db.sql, argv, { log: (s) => out.push(s), error: (s) => err.push(s) });
  return { code, out, err };
}

function form(fields: Record<string, string>) {
  return new URLSearchParams(fields).toString();
}
const post = (path: string, body: string, type = 'application/x-www-form-urlencoded') =>
  app.request(`/open311/v2/${path}`, { method: 'POST', headers: { 'content-type': type }, body });
const get = (path: string) => app.request(`/open311/v2/${path}`);
const counts = async () => (await db.sql<{ m: number; r: number }[]>`SELECT (SELECT count(*)::int FROM messages) AS m, (SELECT count(*)::int FROM open311_requests) AS r`)[0];

const goodRequest = () => ({
  api_key: key,
  jurisdiction_id: 'wuhu',
  service_code: 'urban-construction',
  lat: '31.3340',
  long: '118.3760',
  address_string: '镜湖区赭山路与北京中路路口',
  email: 'li.ming@example.com',
  first_name: '明',
  last_name: '李',
  phone: '13905531234',
  description: '镜湖区赭山路路口的路灯坏了一个星期，晚上很黑，李明的电话13905531234，请尽快维修。',
  media_url: 'https://example.com/photo.jpg',
  'attribute[publish_consent]': 'yes',
});

beforeAll(async () => {
  db = await createTestDatabase();
  const config = testConfig();
  queue = channelPipeline(db, config);
  app = testApp(db, queue, config);
  const made = await cli(['key', 'add', '--name', 'civic-app']);
  expect(made.code).toBe(0);
  key = made.out[0];
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

describe('open311 key CLI', () => {
  it('prints the key once and stores only its hash; list never shows it; a name is taken once', async () => {
    expect(key).toMatch(/^ms311_[\w-]{43}$/);
    const [row] = await db.sql<{ keyHash: string }[]>`SELECT key_hash FROM open311_keys WHERE name = 'civic-app'`;
    expect(row.keyHash).toBe(hashOpen311Key(key));
    expect(JSON.stringify(await db.sql`SELECT * FROM open311_keys`)).not.toContain(key);
    const list = await cli(['key', 'list']);
    expect(list.code).toBe(0);
    expect(list.out.join('\n')).toContain('civic-app');
    expect(list.out.join('\n')).not.toContain(key);
    const again = await cli(['key', 'add', '--name', 'civic-app']);
    expect(again.code).toBe(1);
    await expect(cli(['key', 'add'])).rejects.toThrow(/--name is required/);
    await expect(cli(['key', 'frobnicate'])).rejects.toThrow(/unknown action/);
  });

  it('a revoked key is refused with 403 in the spec format and nothing is stored', async () => {
    const made = await cli(['key', 'add', '--name', 'short-lived']);
    expect((await cli(['key', 'revoke', '--name', 'short-lived'])).code).toBe(0);
    expect((await cli(['key', 'revoke', '--name', 'short-lived'])).code).toBe(1);
    const before = await counts();
    const res = await post('requests.json', form({ ...goodRequest(), api_key: made.out[0] }));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual([{ code: 403, description: expect.stringMatching(/api_key/) }]);
    expect(await counts()).toEqual(before);
  });
});

describe('discovery and services', () => {
  it('discovery names the GeoReport v2 endpoint and its formats (JSON and XML)', async () => {
    const j = (await (await get('discovery.json')).json()) as { endpoints: { specification: string; url: string; formats: string[]; type: string }[]; contact: string; changeset: string };
    expect(Object.keys(j).sort()).toEqual(['changeset', 'contact', 'endpoints', 'key_service']);
    expect(j.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production', formats: ['text/xml', 'application/json'] });
    expect(j.endpoints[0].url).toMatch(/\/open311\/v2$/);
    const res = await get('discovery.xml');
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    const x = xml.parse(await res.text()).discovery;
    expect(x.endpoints.endpoint[0].specification).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(x.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json']);
  });

  it('services: one per category, with exactly the spec fields, the same in JSON and XML', async () => {
    const res = await get('services.json?jurisdiction_id=wuhu');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const list = (await res.json()) as Record<string, unknown>[];
    expect(list.map((s) => s.service_name).sort()).toEqual([...categoryLabels()].sort());
    for (const s of list) {
      expect(Object.keys(s).sort()).toEqual(SERVICE_FIELDS);
      expect(s.metadata).toBe(true);
      expect(s.type).toBe('realtime');
      expect(typeof s.keywords).toBe('string');
      expect(s.service_code).toBe(SERVICE_CATALOGUE[s.service_name as string].code);
    }
    const x = xml.parse(await (await get('services.xml')).text()).services.service as Record<string, string>[];
    expect(x).toHaveLength(list.length);
    for (const [i, s] of x.entries()) {
      expect(Object.keys(s).sort()).toEqual(SERVICE_FIELDS);
      for (const f of SERVICE_FIELDS) expect(s[f]).toBe(String(list[i][f]));
    }
  });

  it('a service definition lists its attributes (consent among them); an unknown code is a 404 in the spec format', async () => {
    const def = (await (await get('services/urban-construction.json')).json()) as { service_code: string; attributes: Record<string, unknown>[] };
    expect(def.service_code).toBe('urban-construction');
    const consent = def.attributes.find((a) => a.code === 'publish_consent')!;
    expect(Object.keys(consent).sort()).toEqual(['code', 'datatype', 'datatype_description', 'description', 'order', 'required', 'values', 'variable']);
    expect(consent).toMatchObject({ variable: true, datatype: 'singlevaluelist', required: false });
    expect(consent.values).toEqual([{ key: 'no', name: expect.any(String) }, { key: 'yes', name: expect.any(String) }]);
    const x = xml.parse(await (await get('services/urban-construction.xml')).text()).service_definition;
    expect(x.service_code).toBe('urban-construction');
    const xc = x.attributes.attribute.find((a: { code: string }) => a.code === 'publish_consent');
    expect(xc.values.value.map((v: { key: string }) => v.key)).toEqual(['no', 'yes']);
    expect(xc.required).toBe('false');

    const missing = await get('services/no-such.json');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual([{ code: 404, description: expect.any(String) }]);
    const missingXml = await get('services/no-such.xml');
    expect(missingXml.status).toBe(404);
    const e = xml.parse(await missingXml.text()).errors.error;
    expect(e).toEqual([{ code: '404', description: expect.any(String) }]);
  });

  it('an unknown resource is a 404 in the spec format', async () => {
    const res = await get('nothing-here.xml');
    expect(res.status).toBe(404);
    expect(xml.parse(await res.text()).errors.error[0].code).toBe('404');
  });
});

describe('POST requests', () => {
  it('refuses without a key, with the wrong body type, and with fields the spec or we require (400, one error a field)', async () => {
    const before = await counts();
    const { api_key: _k, ...noKey } = goodRequest();
    const res = await post('requests.json', form(noKey));
    expect(res.status).toBe(403);
    const wrongType = await post('requests.json', JSON.stringify(goodRequest()), 'application/json');
    expect(wrongType.status).toBe(415);
    expect(await wrongType.json()).toEqual([{ code: 415, description: expect.any(String) }]);
    const { lat: _a, long: _b, address_string: _c, ...nowhere } = goodRequest();
    const bad = await post('requests.json', form({ ...nowhere, service_code: 'urban-construction', description: '太短' }));
    expect(bad.status).toBe(400);
    const errs = (await bad.json()) as { code: number; description: string }[];
    expect(errs.every((e) => e.code === 400)).toBe(true);
    expect(errs.map((e) => e.description).join('\n')).toMatch(/description: 问题描述至少 5 个字/);
    expect(errs.map((e) => e.description).join('\n')).toMatch(/lat: 须提供位置/);
    const badService = await post('requests.xml', form({ ...goodRequest(), service_code: 'no-such' }));
    expect(badService.status).toBe(400);
    expect(xml.parse(await badService.text()).errors.error[0].description).toMatch(/service_code/);
    const badLat = await post('requests.json', form({ ...goodRequest(), lat: '91' }));
    expect(await badLat.json()).toEqual([{ code: 400, description: expect.stringMatching(/^lat: /) }]);
    expect(await counts()).toEqual(before);
  });

  it('stores the request first (channel open311, form verbatim), makes it a case, and a client follows it to the reply', async () => {
    const body = form(goodRequest());
    const res = await post('requests.json', body);
    expect(res.status).toBe(201);
    const [created] = (await res.json()) as { service_request_id: string; token: string; service_notice: string; account_id: null }[];
    expect(Object.keys(created).sort()).toEqual(['account_id', 'service_notice', 'service_request_id', 'token']);
    expect(created.service_request_id).toMatch(/^MS\d{13}$/);
    const [m] = await db.sql<{ channel: string; raw: string; rawContentType: string; isPublic: boolean; contactName: string; contactPhone: string; contactHandle: string; trackingNo: string }[]>`
      SELECT channel, raw, raw_content_type, is_public, contact_name, contact_phone, contact_handle, tracking_no FROM messages WHERE external_id = ${created.token}`;
    expect(m).toMatchObject({ channel: 'open311', raw: body, rawContentType: 'application/x-www-form-urlencoded', isPublic: true, contactName: '李明', contactPhone: '13905531234', contactHandle: 'li.ming@example.com' });
    expect(m.trackingNo).toBe(created.service_request_id);

    // the token answers at once, in both formats
    expect(await (await get(`tokens/${created.token}.json`)).json()).toEqual([{ service_request_id: created.service_request_id, token: created.token }]);
    const tx = xml.parse(await (await get(`tokens/${created.token}.xml`)).text()).service_requests.request;
    expect(tx).toEqual([{ service_request_id: created.service_request_id, token: created.token }]);
    expect((await get('tokens/00000000-0000-0000-0000-000000000000.json')).status).toBe(404);

    const caseId = await waitFor(async () => (await db.sql<{ caseId: number | null }[]>`SELECT case_id FROM messages WHERE external_id = ${created.token}`)[0].caseId);
    const [c] = await db.sql<{ departmentCode: string; resolveDueAt: Date; name: string; status: string }[]>`
      SELECT c.department_code, c.resolve_due_at, d.name, c.status FROM cases c JOIN departments d ON d.code = c.department_code WHERE c.id = ${caseId}`;

    const one = await get(`requests/${created.service_request_id}.json`);
    expect(one.status).toBe(200);
    const rawBody = await one.text();
    // personal data never leaves through the public API: not the name, the phone or the email
    for (const leak of ['李明', '13905531234', 'li.ming@example.com']) expect(rawBody).not.toContain(leak);
    const [r] = JSON.parse(rawBody) as Record<string, unknown>[];
    expect(Object.keys(r).sort()).toEqual(REQUEST_FIELDS);
    expect(r).toMatchObject({
      service_request_id: created.service_request_id, status: 'open', status_notes: null, agency_responsible: c.name,
      lat: 31.334, long: 118.376, media_url: 'https://example.com/photo.jpg', address_id: null, zipcode: null,
      expected_datetime: formatShanghai(c.resolveDueAt),
    });
    expect(r.requested_datetime).toMatch(ISO);
    expect(r.updated_datetime).toMatch(ISO);
    expect(r.description).toContain('路灯坏了一个星期');

    const ext = (await (await get(`requests/${created.service_request_id}.json?extensions=true`)).json()) as { extended_attributes: { status: string; channel: string } }[];
    expect(ext[0].extended_attributes.channel).toBe('open311');
    expect(ext[0].extended_attributes.status).toBe(c.status === 'dispatched' ? 'action_scheduled' : 'open');

    // the department accepts and replies: the client sees closed, the masked reply as status_notes
    const deps = serviceDeps(db.sql);
    await actOnCase(deps, caseId, { type: 'accept' }, { actor: { role: 'department', id: 'clerk', departmentId: c.departmentCode } });
    const mid = (await (await get(`requests/${created.service_request_id}.json?extensions=true`)).json()) as { status: string; extended_attributes: { status: string } }[];
    expect(mid[0]).toMatchObject({ status: 'open', extended_attributes: { status: 'in_progress' } });
    await actOnCase(deps, caseId, { type: 'reply', text: '您好，路灯已于今日修复。如有疑问请联系李明 13905531234。感谢您的监督。' }, { actor: { role: 'department', id: 'clerk', departmentId: c.departmentCode } });
    const doneRes = await get(`requests/${created.service_request_id}.xml?extensions=true`);
    const doneText = await doneRes.text();
    for (const leak of ['李明', '13905531234']) expect(doneText).not.toContain(leak);
    const [done] = xml.parse(doneText).service_requests.request as Record<string, unknown>[];
    expect(Object.keys(done).filter((k) => k !== 'extended_attributes').sort()).toEqual(REQUEST_FIELDS);
    expect(done.status).toBe('closed');
    expect(done.status_notes).toContain('路灯已于今日修复');
    expect(done.expected_datetime).toBe('');
    const doneExt = (done.extended_attributes as { status: keyof typeof EXTENDED_STATUSES }).status;
    expect(EXTENDED_STATUSES[doneExt]).toBe('closed');
  });
});

describe('GET requests', () => {
  let consented: string;
  let privateOne: string;
  beforeAll(async () => {
    consented = (await openTestCase(db.sql, { message: { isPublic: true, contactName: '周秀英', contactPhone: '13605539876', address: '镜湖区某小区3栋201' } })).message.trackingNo;
    privateOne = (await openTestCase(db.sql, { message: { isPublic: false } })).message.trackingNo;
  });

  it('lists Open311 requests and consented cases, never a case without consent or its resident', async () => {
    const res = await get('requests.json');
    const text = await res.text();
    const ids = (JSON.parse(text) as { service_request_id: string }[]).map((r) => r.service_request_id);
    expect(ids).toContain(consented);
    expect(ids).not.toContain(privateOne);
    for (const leak of ['周秀英', '13605539876', '3栋201']) expect(text).not.toContain(leak);
    expect((await get(`requests/${privateOne}.json`)).status).toBe(404);
  });

  it('filters by status, service_code, dates and a list of ids; a list of ids overrides the rest', async () => {
    const open = (await (await get('requests.json?status=open')).json()) as { status: string; service_request_id: string }[];
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((r) => r.status === 'open')).toBe(true);
    const closed = (await (await get('requests.json?status=closed')).json()) as { status: string }[];
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((r) => r.status === 'closed')).toBe(true);
    const byService = (await (await get('requests.json?service_code=urban-construction')).json()) as { service_code: string }[];
    expect(byService.length).toBeGreaterThan(0);
    expect(byService.every((r) => r.service_code === 'urban-construction')).toBe(true);
    expect(await (await get('requests.json?service_code=transport&service_request_id=' + consented)).json()).toHaveLength(1);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await (await get(`requests.json?start_date=${encodeURIComponent(future)}`)).json()).toEqual([]);
    const old = (await (await get(`requests.json?end_date=${encodeURIComponent(new Date(Date.now() - 100 * 86_400_000).toISOString())}`)).json()) as unknown[];
    expect(old).toEqual([]);
    const both = (await (await get(`requests.json?service_request_id=${consented},${privateOne}`)).json()) as { service_request_id: string }[];
    expect(both.map((r) => r.service_request_id)).toEqual([consented]);
  });

  it('the same list in XML, field by field; bad filters are 400s in the spec format', async () => {
    const j = (await (await get('requests.json')).json()) as Record<string, unknown>[];
    const x = xml.parse(await (await get('requests.xml')).text()).service_requests.request as Record<string, string>[];
    expect(x).toHaveLength(j.length);
    for (const [i, r] of x.entries()) {
      expect(Object.keys(r).sort()).toEqual(REQUEST_FIELDS);
      for (const f of REQUEST_FIELDS) expect(r[f]).toBe(j[i][f] === null ? '' : String(j[i][f]));
    }
    const bad = await get('requests.json?start_date=yesterday&status=pending');
    expect(bad.status).toBe(400);
    const errs = (await bad.json()) as { code: number; description: string }[];
    expect(errs.map((e) => e.description.split(':')[0]).sort()).toEqual(['start_date', 'status']);
    const reversed = await get(`requests.xml?start_date=2026-11-02&end_date=2026-11-01`);
    expect(reversed.status).toBe(400);
    expect(xml.parse(await reversed.text()).errors.error[0].code).toBe('400');
  });
});
