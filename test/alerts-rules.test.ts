// /api/v1/alert-rules: administrators create, read, change and delete rules; the body is checked
// field by field, in Chinese; other roles are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessQueue } from '../core/queue/in-process';
import { testApp } from './support/app';
import { staffToken } from './support/cases';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
let queue: InProcessQueue;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  db = await createTestDatabase();
  queue = new InProcessQueue();
  app = testApp(db, queue);
});
afterAll(async () => {
  await queue?.close();
  await db?.close();
});

const send = (method: string, path: string, token: string, body?: unknown) =>
  app.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

describe('alert rules API', () => {
  it('CRUD for admins with Chinese field errors; other roles get 403', async () => {
    const admin = await staffToken(db.sql, 'admin');
    const centre = await staffToken(db.sql, 'centre');
    const good = { name: '停水预警', definition: { keywordGroups: [{ must: ['停水|断水'], mustNot: ['演习'] }], scope: { districts: ['镜湖区'], channels: ['weibo'] }, minVolume: 8, windowMinutes: 30 } };

    expect((await send('GET', '/api/v1/alert-rules', centre)).status).toBe(403);
    expect((await send('POST', '/api/v1/alert-rules', centre, good)).status).toBe(403);

    const created = await send('POST', '/api/v1/alert-rules', admin, good);
    expect(created.status).toBe(201);
    const rule = (await created.json()) as { id: number; enabled: boolean; definition: { minVolume: number; groupBy: string; quietMinutes: number; targets: { webhook: boolean } } };
    expect(rule.enabled).toBe(true);
    expect(rule.definition).toMatchObject({ minVolume: 8, groupBy: 'district', quietMinutes: 60, targets: { webhook: true } });

    const bad = await send('POST', '/api/v1/alert-rules', admin, {
      name: '',
      definition: { keywordGroups: [{ must: [] }], scope: { districts: ['火星区'], categories: ['天气'], channels: ['fax'] }, minVolume: 0, minNegativeShare: 2, groupBy: 'street', extra: 1 },
    });
    expect(bad.status).toBe(400);
    const details = ((await bad.json()) as { error: { details: { field: string; message: string }[] } }).error.details;
    const byField = Object.fromEntries(details.map((d) => [d.field, d.message]));
    expect(byField.name).toBe('规则名称不能为空');
    expect(byField['definition.keywordGroups.0.must']).toBe('每组至少一个必含词');
    expect(byField['definition.scope.districts.0']).toContain('未知区县「火星区」');
    expect(byField['definition.scope.categories.0']).toContain('未知类别「天气」');
    expect(byField['definition.scope.channels.0']).toContain('渠道须为');
    expect(byField['definition.minVolume']).toBe('留言数阈值不能小于 1');
    expect(byField['definition.minNegativeShare']).toBe('负面占比不能大于 1');
    expect(byField['definition.groupBy']).toContain('分组须为');
    expect(byField.definition).toBe('含有未知字段：extra');

    const changed = await send('PUT', `/api/v1/alert-rules/${rule.id}`, admin, { ...good, enabled: false, definition: { ...good.definition, minVolume: 20 } });
    expect(changed.status).toBe(200);
    const got = (await (await send('GET', `/api/v1/alert-rules/${rule.id}`, admin)).json()) as { enabled: boolean; definition: { minVolume: number } };
    expect(got).toMatchObject({ enabled: false, definition: { minVolume: 20 } });
    const list = (await (await send('GET', '/api/v1/alert-rules', admin)).json()) as { rules: { id: number }[]; options: { districts: string[]; channels: string[] } };
    expect(list.rules.map((r) => r.id)).toEqual([rule.id]);
    expect(list.options.districts).toContain('镜湖区');

    expect((await send('PUT', '/api/v1/alert-rules/99999', admin, good)).status).toBe(404);
    expect((await send('GET', '/api/v1/alert-rules/abc', admin)).status).toBe(400);
    expect((await send('DELETE', `/api/v1/alert-rules/${rule.id}`, admin)).status).toBe(204);
    expect((await send('DELETE', `/api/v1/alert-rules/${rule.id}`, admin)).status).toBe(404);
  });
});

describe('a stored rule that no longer parses', () => {
  it('is listed flagged invalid with a Chinese reason (not a 500), can be deleted, and is never evaluated', async () => {
    const admin = await staffToken(db.sql, 'admin');
    const ok = await send('POST', '/api/v1/alert-rules', admin, { name: '路灯预警', definition: { keywordGroups: [{ must: ['路灯'] }] } });
    expect(ok.status).toBe(201);
    // a definition an older version stored (or a hand edit) that today's schema refuses
    const [bad] = await db.sql<{ id: number }[]>`
      INSERT INTO alert_rules (name, enabled, definition, created_by) VALUES ('旧版规则', true, ${db.sql.json({ windowMinutes: 'ten', groupBy: 'street' })}, 'test') RETURNING id`;
    const list = await send('GET', '/api/v1/alert-rules', admin);
    expect(list.status).toBe(200);
    const rules = ((await list.json()) as { rules: { id: number; name: string; valid: boolean; invalidReason: string | null; definition: unknown }[] }).rules;
    const flagged = rules.find((r) => r.id === Number(bad.id));
    expect(flagged).toMatchObject({ name: '旧版规则', valid: false });
    expect(flagged?.invalidReason).toMatch(/^规则定义无法解析，已停止计算：/);
    expect(flagged?.invalidReason).toContain('统计窗口：统计窗口（分钟）须为数字');
    expect(flagged?.invalidReason).toContain('分组：分组须为');
    // the stored definition is shown as it is, so the admin sees what was kept
    expect(flagged?.definition).toEqual({ windowMinutes: 'ten', groupBy: 'street' });
    expect(rules.find((r) => r.name === '路灯预警')).toMatchObject({ valid: true, invalidReason: null });

    const one = await send('GET', `/api/v1/alert-rules/${bad.id}`, admin);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ valid: false });

    // never evaluated: the sweep skips it (and says so), opening nothing for it
    const { sweepAlerts } = await import('../core/alerts/evaluate');
    const warned: { ruleId?: number; msg: string }[] = [];
    const log = { warn: (o: { ruleId?: number }, msg: string) => warned.push({ ruleId: o.ruleId, msg }), info: () => {} };
    const delivery = { webhookUrl: null, webhookSecret: null, smtpUrl: null, emailTo: [], emailFrom: 'x@localhost' };
    await sweepAlerts({ sql: db.sql, queue, log, now: () => new Date(), delivery });
    expect(warned.find((w) => w.ruleId === Number(bad.id))?.msg).toContain('not evaluated');
    expect((await db.sql`SELECT 1 FROM alerts WHERE rule_id = ${bad.id}`).length).toBe(0);

    expect((await send('DELETE', `/api/v1/alert-rules/${bad.id}`, admin)).status).toBe(204);
  });
});
