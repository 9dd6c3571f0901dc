// Residents' photos through the API: the portal form as multipart (stored with the message, cleaned),
// the limits (type by content, 5 MB, 4 a message), adding on the status page, and who may read them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHOTO_LIMITS } from '../core/photos/image';
import type { InProcessQueue } from '../core/queue/in-process';
import { testApp, testConfig } from './support/app';
import { channelPipeline } from './support/channels';
import { createTestDatabase, type TestDatabase } from './support/db';
import { jpegWithGps, pngWithGps } from './support/photos';
import { staffSession } from './support/auth';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  const config = testConfig({ PORTAL_RATE_LIMIT: '1000' });
  queue = channelPipeline(db, config);
  app = testApp(db, queue, config);
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

const fields = { title: '路灯不亮', content: '小区门口的路灯坏了一个星期，晚上很黑。', contactName: '张先生', phone: '13900001111' };

function form(files: { bytes: Buffer; name?: string; type?: string }[], extra: Record<string, string> = {}): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries({ ...fields, ...extra })) fd.append(k, v);
  for (const f of files) fd.append('photos', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'image/jpeg' }), f.name ?? 'photo.jpg');
  return fd;
}
const post = (fd: FormData, path = '/api/v1/messages') => app.request(path, { method: 'POST', body: fd });
type Err = { error: { code: string; message: string; details?: { field: string; message: string }[] } };

describe('photos on the portal form', () => {
  it('stores the message and its cleaned photos together; the resident reads them back without EXIF', async () => {
    const res = await post(form([{ bytes: jpegWithGps(40, 30) }, { bytes: pngWithGps(8, 8), name: 'x.png', type: 'image/png' }]));
    expect(res.status).toBe(201);
    const a = (await res.json()) as { trackingNo: string; queryCode: string; photos: number };
    expect(a.photos).toBe(2);
    const [m] = await db.sql<{ id: number; rawContentType: string; raw: string }[]>`SELECT id, raw_content_type, raw FROM messages WHERE tracking_no = ${a.trackingNo}`;
    expect(m.rawContentType).toBe('multipart/form-data');
    // the raw record names the files, never holds their bytes
    expect(JSON.parse(m.raw).photos).toHaveLength(2);
    const rows = await db.sql<{ mime: string; width: number; height: number; bytes: Buffer; removed: string[] }[]>`
      SELECT mime, width, height, bytes, removed FROM message_photos WHERE message_id = ${m.id} ORDER BY id`;
    expect(rows.map((r) => [r.mime, r.width, r.height])).toEqual([['image/jpeg', 40, 30], ['image/png', 8, 8]]);
    expect(rows[0].removed).toEqual(['APP1', 'APP1', 'COM']);
    expect(rows[0].bytes.includes(Buffer.from('Exif'))).toBe(false);

    const status = (await (await app.request(`/api/v1/messages/${a.trackingNo}?code=${a.queryCode}`)).json()) as { text: string; title: string; photos: { id: number }[] };
    expect(status.text).toBe(fields.content);
    expect(status.title).toBe(fields.title);
    expect(status.photos).toHaveLength(2);
    const img = await app.request(`/api/v1/messages/${a.trackingNo}/photos/${status.photos[0].id}?code=${a.queryCode}`);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    expect(img.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await img.arrayBuffer())).toEqual(rows[0].bytes);
    // a wrong code opens nothing
    expect((await app.request(`/api/v1/messages/${a.trackingNo}/photos/${status.photos[0].id}?code=ZZZZZZ`)).status).toBe(404);
  });

  it('tells the type by content: a PNG named .jpg is a PNG; a text file named .jpg with image/jpeg is refused', async () => {
    const ok = await post(form([{ bytes: pngWithGps(), name: 'looks.jpg', type: 'image/jpeg' }]));
    expect(ok.status).toBe(201);
    const { trackingNo } = (await ok.json()) as { trackingNo: string };
    const [p] = await db.sql<{ mime: string }[]>`SELECT mime FROM message_photos WHERE message_id = (SELECT id FROM messages WHERE tracking_no = ${trackingNo})`;
    expect(p.mime).toBe('image/png');
    const before = (await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM messages`)[0].n;
    const bad = await post(form([{ bytes: Buffer.from('<html><script>alert(1)</script></html>'), name: 'evil.jpg', type: 'image/jpeg' }]));
    expect(bad.status).toBe(400);
    const e = (await bad.json()) as Err;
    expect(e.error.message).toMatch(/^提交的内容有误：/);
    expect(e.error.details).toEqual([{ field: 'photos', message: '图片：只能上传 JPEG 或 PNG 图片' }]);
    // a refused submission stores nothing
    expect((await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM messages`)[0].n).toBe(before);
  });

  it('refuses more than 4 photos and a photo over 5 MB, in Chinese', async () => {
    const five = Array.from({ length: PHOTO_LIMITS.maxCount + 1 }, () => ({ bytes: jpegWithGps() }));
    const many = await post(form(five));
    expect(many.status).toBe(400);
    expect(((await many.json()) as Err).error.details?.[0]).toEqual({ field: 'photos', message: '图片过多：每次最多上传 4 张' });
    // a real JPEG padded past 5 MB after its end marker
    const big = Buffer.concat([jpegWithGps(), Buffer.alloc(PHOTO_LIMITS.maxBytes)]);
    const tooBig = await post(form([{ bytes: big }]));
    expect(tooBig.status).toBe(400);
    expect(((await tooBig.json()) as Err).error.details?.[0].message).toBe('图片过大：每张不超过 5 MB');
  });

  it('a multipart body over 4 × 5 MB is refused before it is read (413, in Chinese)', async () => {
    const big = Buffer.concat([jpegWithGps(), Buffer.alloc(PHOTO_LIMITS.maxBytes - 4096)]);
    const res = await post(form(Array.from({ length: 5 }, () => ({ bytes: big }))));
    expect(res.status).toBe(413);
    expect(((await res.json()) as Err).error.message).toMatch(/^图片过大：最多 4 张，每张不超过 5 MB/);
  });

  it('keeps the field messages of the text fields in multipart too', async () => {
    const res = await post(form([], { title: '' }));
    expect(res.status).toBe(400);
    const e = (await res.json()) as Err;
    expect(e.error.details?.map((d) => d.field)).toContain('title');
  });
});

describe('photos added on the status page, and staff thumbnails', () => {
  it('adds photos to an open case with the 查询码; staff of the case read them; the total is limited', async () => {
    const res = await app.request('/api/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });
    const a = (await res.json()) as { trackingNo: string; queryCode: string };
    const add = (files: Buffer[], code = a.queryCode) => {
      const fd = new FormData();
      fd.append('code', code);
      for (const f of files) fd.append('photos', new Blob([new Uint8Array(f)]), 'p.jpg');
      return app.request(`/api/v1/messages/${a.trackingNo}/photos`, { method: 'POST', body: fd });
    };
    expect((await add([jpegWithGps()], 'ZZZZZZ')).status).toBe(404);
    // a broken multipart body is the sender's mistake: 400 in Chinese, not a 500
    const broken = await app.request(`/api/v1/messages/${a.trackingNo}/photos`, {
      method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, body: '--xyz\r\nContent-Disposition: form-data; name="code"\r\n\r\nAB',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as Err).error.message).toMatch(/无法读取上传的表单/);
    const ok = await add([jpegWithGps(20, 10), jpegWithGps(21, 10)]);
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { added: number }).added).toBe(2);
    // the same bytes again are the same photo
    expect(((await (await add([jpegWithGps(20, 10)])).json()) as { added: number }).added).toBe(0);
    const four = (w: number) => [0, 1, 2, 3].map((k) => jpegWithGps(w + k, 9));
    expect((await add(four(30))).status).toBe(201);
    expect((await add(four(40))).status).toBe(201);
    // 10 stored: three more would be 13
    expect((await add(four(50).slice(0, 3))).status).toBe(400);
    expect((await add(four(50).slice(0, 2))).status).toBe(201);
    const over = await add([jpegWithGps(99, 9)]);
    expect(over.status).toBe(400);
    expect(((await over.json()) as Err).error.details?.[0].message).toMatch(/每条留言最多 12 张/);

    // staff: the case's photos, with the case's own access
    let caseId: number | null = null;
    for (let i = 0; i < 200 && !caseId; i++) {
      [{ caseId }] = await db.sql<{ caseId: number | null }[]>`SELECT case_id FROM messages WHERE tracking_no = ${a.trackingNo}`;
      if (!caseId) await new Promise((r) => setTimeout(r, 100));
    }
    expect(caseId).toBeTruthy();
    expect((await app.request(`/api/v1/cases/${caseId}/photos`)).status).toBe(401);
    const staff = await staffSession(db.sql, 'centre');
    const list = (await (await app.request(`/api/v1/cases/${caseId}/photos`, { headers: staff.headers() })).json()) as { items: { id: number; addedVia: string }[] };
    expect(list.items).toHaveLength(12);
    expect(new Set(list.items.map((p) => p.addedVia))).toEqual(new Set(['status-page']));
    const img = await app.request(`/api/v1/cases/${caseId}/photos/${list.items[0].id}`, { headers: staff.headers() });
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
  });
  it('photos a resident adds to a case are in its history (居民补充图片), once per upload that stored any', async () => {
    const res = await app.request('/api/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });
    const a = (await res.json()) as { trackingNo: string; queryCode: string };
    let caseId: number | null = null;
    for (let i = 0; i < 200 && !caseId; i++) {
      [{ caseId }] = await db.sql<{ caseId: number | null }[]>`SELECT case_id FROM messages WHERE tracking_no = ${a.trackingNo}`;
      if (!caseId) await new Promise((r) => setTimeout(r, 100));
    }
    expect(caseId).toBeTruthy();
    const add = (files: Buffer[]) => {
      const fd = new FormData();
      fd.append('code', a.queryCode);
      for (const f of files) fd.append('photos', new Blob([new Uint8Array(f)]), 'p.jpg');
      return app.request(`/api/v1/messages/${a.trackingNo}/photos`, { method: 'POST', body: fd });
    };
    expect((await add([jpegWithGps(60, 10), jpegWithGps(61, 10)])).status).toBe(201);
    expect((await add([jpegWithGps(60, 10)])).status).toBe(201); // the same bytes: nothing stored, nothing recorded
    const staff = await staffSession(db.sql, 'centre');
    const view = (await (await app.request(`/api/v1/cases/${caseId}`, { headers: staff.headers() })).json()) as { events: { type: string; actorKind: string; data: { count?: number; photoIds?: number[] } }[] };
    const added = view.events.filter((e) => e.type === 'photos-added');
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ actorKind: 'resident', data: { count: 2 } });
    const photos = (await (await app.request(`/api/v1/cases/${caseId}/photos`, { headers: staff.headers() })).json()) as { items: { id: number }[] };
    expect(new Set(added[0].data.photoIds)).toEqual(new Set(photos.items.map((p) => p.id)));
  });
});
