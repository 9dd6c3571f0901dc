// Item 8: the security headers on every kind of answer (API, errors, Open311, docs, static files) and
// the dashboard files served compressed with cache headers (hashed assets immutable, the shell revalidated).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app';
import { IMMUTABLE, REVALIDATE } from '../api/static';
import { InProcessQueue } from '../core/queue/in-process';
import { silentLogger, testConfig } from './support/app';
import { shipped } from './support/cases';
import { expectSecurityHeaders } from './support/security-headers';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof createApp>;
const js = `console.log(${JSON.stringify('民声'.repeat(2000))});\n`;
const css = `body{color:#333}\n${'.x{margin:0}\n'.repeat(400)}`;
const html = `<!doctype html><html><head><title>民声</title><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body>${'<!-- pad -->'.repeat(120)}<div id="root"></div></body></html>`;

beforeAll(async () => {
  db = await createTestDatabase({ seed: false });
  queue = new InProcessQueue({ concurrency: 1 });
  const dir = mkdtempSync(path.join(tmpdir(), 'ms-static-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), html);
  writeFileSync(path.join(dir, 'assets/index-Ab12Cd34.js'), js);
  // as the Vite build's precompress plugin leaves them
  writeFileSync(path.join(dir, 'assets/index-Ab12Cd34.js.br'), brotliCompressSync(js));
  writeFileSync(path.join(dir, 'assets/index-Ab12Cd34.js.gz'), gzipSync(js));
  // not precompressed: compressed on the fly
  writeFileSync(path.join(dir, 'assets/index-Zz98Yy76.css'), css);
  writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  app = createApp({ db, queue, config: testConfig(), logger: silentLogger, shipped, dashboardDir: dir });
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

describe('security headers', () => {
  const cases: [string, RequestInit | undefined, number][] = [
    ['/health', undefined, 200],
    ['/api/v1/stats/overview', undefined, 200],
    ['/api/v1/no-such-thing', undefined, 404],
    ['/api/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"x"}' }, 400],
    ['/api/v1/cases', undefined, 401],
    ['/api/v1/board?page=0', undefined, 400],
    ['/open311/v2/services.json', undefined, 200],
    ['/open311/v2/services.xml', undefined, 200],
    ['/open311/v2/requests.json', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'api_key=nope' }, 403],
    ['/open311/v2/nothing.json', undefined, 404],
    ['/api/docs', undefined, 200],
    ['/api/docs/openapi.json', undefined, 200],
    ['/', undefined, 200],
    ['/cases/42', undefined, 200],
    ['/assets/index-Ab12Cd34.js', undefined, 200],
    ['/assets/missing-00000000.js', undefined, 404],
  ];
  it.each(cases)('%s carries the CSP, nosniff, frame denial and no-referrer', async (url, init, status) => {
    const res = await app.request(url, init);
    expect(res.status).toBe(status);
    expectSecurityHeaders(res, url);
  });
});

describe('static dashboard files', () => {
  it('a hashed asset: brotli when accepted, else gzip, else as is; immutable; Vary: Accept-Encoding', async () => {
    const br = await app.request('/assets/index-Ab12Cd34.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(await bytes(br)).toString()).toBe(js);
    expect(br.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(br.headers.get('vary')).toMatch(/Accept-Encoding/i);
    expect(br.headers.get('content-type')).toMatch(/javascript/);
    const gz = await app.request('/assets/index-Ab12Cd34.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(await bytes(gz)).toString()).toBe(js);
    const plain = await app.request('/assets/index-Ab12Cd34.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect((await bytes(plain)).toString()).toBe(js);
    expect(plain.headers.get('cache-control')).toBe(IMMUTABLE);
  });

  it('a file with no precompressed copy is gzipped on the fly', async () => {
    const res = await app.request('/assets/index-Zz98Yy76.css', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(await bytes(res)).toString()).toBe(css);
    expect(res.headers.get('cache-control')).toBe(IMMUTABLE);
  });

  it('the app shell is revalidated (no-cache), at / and at client-side routes, and compressed', async () => {
    for (const url of ['/', '/index.html', '/cases/42', '/board']) {
      const res = await app.request(url, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.status, url).toBe(200);
      expect(res.headers.get('cache-control'), url).toBe(REVALIDATE);
      expect(res.headers.get('content-encoding'), url).toBe('gzip');
      expect(gunzipSync(await bytes(res)).toString(), url).toBe(html);
    }
  });

  it('an unhashed file gets a short cache; API answers are not cached as assets', async () => {
    const svg = await app.request('/favicon.svg');
    expect(svg.headers.get('cache-control')).toBe('public, max-age=3600');
    const api = await app.request('/api/v1/stats/overview');
    expect(api.headers.get('cache-control')).not.toBe(IMMUTABLE);
  });
});
