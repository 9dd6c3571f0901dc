// The OpenAPI document covers every route of the app (a new route without an entry in
// api/openapi/routes.ts fails here), is OpenAPI 3.1 in shape, and is served with a readable page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NON_OPERATIONS, ROUTE_DOCS } from '../api/openapi/routes';
import { openApiPath } from '../api/openapi/document';
import { InProcessQueue } from '../core/queue/in-process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../api/app';
import { silentLogger, testConfig } from './support/app';
import { shipped } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  db = await createTestDatabase({ seed: false });
  queue = new InProcessQueue({ concurrency: 1 });
  // with a dashboard to serve, so the static routes are walked too
  const dashboardDir = mkdtempSync(path.join(tmpdir(), 'ms-dash-'));
  writeFileSync(path.join(dashboardDir, 'index.html'), '<!doctype html><title>t</title>');
  app = createApp({ db, queue, config: testConfig(), logger: silentLogger, shipped, dashboardDir });
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

type Doc = { openapi: string; paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }>; parameters?: { name: string; in: string }[]; requestBody?: unknown }>>; components: { securitySchemes: Record<string, unknown> } };

describe('OpenAPI document', () => {
  it('documents every route Hono lists; every ALL entry is a named middleware or catch-all; no entry documents a route that does not exist', () => {
    const documented = new Set(ROUTE_DOCS.map((d) => `${d.method} ${d.path}`));
    const nonOps = new Set(NON_OPERATIONS.map((n) => `${n.method} ${n.path}`));
    const undocumented: string[] = [];
    const seen = new Set<string>();
    for (const r of app.routes) {
      const key = `${r.method} ${r.path}`;
      seen.add(key);
      if (nonOps.has(key)) continue;
      if (!documented.has(key)) undocumented.push(r.method === 'ALL' ? `${key} (middleware: name it in NON_OPERATIONS)` : key);
    }
    expect(undocumented).toEqual([]);
    expect([...documented].filter((k) => !seen.has(k))).toEqual([]);
  });

  it('is served as OpenAPI 3.1 with request and response schemas, unique operation ids and declared security schemes', async () => {
    const res = await app.request('/api/docs/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Doc;
    expect(doc.openapi).toBe('3.1.0');
    const ids = new Set<string>();
    let operations = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [, op] of Object.entries(ops)) {
        operations++;
        expect(ids.has(op.operationId), op.operationId).toBe(false);
        ids.add(op.operationId);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const name of path.match(/\{(\w+)\}/g) ?? []) {
          expect(op.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === name), `${path} documents ${name}`).toBe(true);
        }
      }
    }
    expect(operations).toBe(ROUTE_DOCS.length);
    // a request body and a response straight from the route's zod schema
    const form = doc.paths['/api/v1/messages'].post.requestBody as { content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }> };
    expect(Object.keys(form.content['application/json'].schema.properties)).toEqual(expect.arrayContaining(['title', 'content', 'contactName', 'phone', 'isPublic']));
    expect(form.content['application/json'].schema.required).toEqual(expect.arrayContaining(['title', 'content', 'contactName', 'phone']));
    const list = doc.paths['/open311/v2/requests.json'].get;
    expect(list.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['service_request_id', 'service_code', 'start_date', 'end_date', 'status', 'extensions']));
    expect(doc.paths['/open311/v2/requests.xml'].post.responses['403'].content!['text/xml']).toBeDefined();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['hotlineSignature', 'open311Key', 'staffBearer', 'staffCsrf', 'staffSession', 'wechatSignature']);
    // staff: a bearer token or the session cookie, with the CSRF header when the request changes state
    const security = (p: string, m: string) => (doc.paths[p][m] as unknown as { security: Record<string, string[]>[] }).security;
    expect(security('/api/v1/cases', 'get')).toEqual([{ staffBearer: [] }, { staffSession: [] }]);
    expect(security('/api/v1/cases/{id}/{action}', 'post')).toEqual([{ staffBearer: [] }, { staffSession: [], staffCsrf: [] }]);
    expect(security('/api/v1/stats/departments', 'get')).toEqual([{ staffBearer: [] }, { staffSession: [] }]);
    for (const d of ROUTE_DOCS) expect(doc.paths[openApiPath(d)]?.[d.method.toLowerCase()], `${d.method} ${d.path}`).toBeDefined();
  });

  it('the page at /api/docs is self-contained HTML (no script, nothing from another origin) listing every operation', async () => {
    const res = await app.request('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
    for (const d of ROUTE_DOCS) expect(html).toContain(`>${openApiPath(d).replace(/&/g, '&amp;')}<`);
  });
});
