import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { CHANNELS, incomingMessageSchema } from '../messages/incoming';
import { REQUEST_TYPES } from '../nlp/types';
import { routeCase } from '../cases/routing';
import { loadGazetteer } from '../places/gazetteer';
import { generateDemoDataset, generateDemoMessages } from './generate';
import { CATEGORIES } from './seed-corpus';

const now = new Date('2026-11-20T10:00:00+08:00');
const opts = { seed: 42, count: 1200, now };
const { messages, labels } = generateDemoDataset(opts);
const share = (pred: (i: number) => boolean) => messages.filter((_, i) => pred(i)).length / messages.length;
const localHour = (d: Date) => new Date(d.getTime() + 8 * 3600_000).getUTCHours();
const localDow = (d: Date) => new Date(d.getTime() + 8 * 3600_000).getUTCDay();

describe('generateDemoMessages', () => {
  it('is deterministic for a seed and different for another', () => {
    const again = generateDemoMessages(opts);
    expect(again).toEqual(messages);
    const other = generateDemoMessages({ ...opts, seed: 43 });
    expect(other.map((m) => m.externalId)).not.toEqual(messages.map((m) => m.externalId));
  });

  it('keeps external ids stable when the window moves, so a re-import is idempotent', () => {
    const later = generateDemoMessages({ ...opts, now: new Date(now.getTime() + 3 * 86_400_000) });
    expect(new Set(later.map((m) => `${m.channel}:${m.externalId}`))).toEqual(new Set(messages.map((m) => `${m.channel}:${m.externalId}`)));
  });

  it('produces the requested count of schema-valid messages with unique ids, inside the window', () => {
    expect(messages).toHaveLength(1200);
    expect(labels).toHaveLength(1200);
    const ids = new Set(messages.map((m) => `${m.channel}:${m.externalId}`));
    expect(ids.size).toBe(messages.length);
    const start = now.getTime() - 30 * 86_400_000;
    for (const m of messages) {
      expect(incomingMessageSchema.parse(m)).toEqual(m);
      expect(m.receivedAt.getTime()).toBeGreaterThan(start);
      expect(m.receivedAt.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(m.body.length).toBeGreaterThanOrEqual(10);
    }
    for (let i = 1; i < messages.length; i++) expect(messages[i].receivedAt >= messages[i - 1].receivedAt).toBe(true);
    expect(generateDemoMessages({ seed: 1, count: 0, now })).toEqual([]);
    expect(generateDemoMessages({ seed: 1, count: 7, now, days: 1 })).toHaveLength(7);
  });

  it('mixes the channels in realistic proportions', () => {
    const s = Object.fromEntries(CHANNELS.map((c) => [c, share((i) => messages[i].channel === c)]));
    expect(s.hotline).toBeGreaterThan(0.35);
    expect(s.hotline).toBeLessThan(0.55);
    expect(s.wechat).toBeGreaterThan(0.17);
    for (const c of ['portal', 'weibo']) {
      expect(s[c]).toBeGreaterThan(0.08);
      expect(s[c]).toBeLessThan(0.25);
    }
  });

  it('covers all 7 categories and 6 request types, with both urgencies', () => {
    for (const c of CATEGORIES) expect(labels.filter((l) => l.category === c).length, c).toBeGreaterThan(30);
    for (const t of REQUEST_TYPES) expect(labels.some((l) => l.type === t), t).toBe(true);
    expect(labels.some((l) => l.urgency === 'urgent')).toBe(true);
  });

  it('follows a daily and weekly rhythm', () => {
    const day = share((i) => localHour(messages[i].receivedAt) >= 8 && localHour(messages[i].receivedAt) < 20);
    expect(day).toBeGreaterThan(0.65);
    const hot = messages.filter((m, i) => m.channel === 'hotline' && labels[i].burst === null);
    const weekday = hot.filter((m) => ![0, 6].includes(localDow(m.receivedAt))).length / 22;
    const weekend = hot.filter((m) => [0, 6].includes(localDow(m.receivedAt))).length / 8;
    expect(weekday).toBeGreaterThan(weekend * 1.3); // about 22 weekdays and 8 weekend days in 30
  });

  it('has bursts: one place, a short time, several channels, paraphrased', () => {
    for (const id of ['water-outage', 'construction-noise', 'gym-closure'] as const) {
      const idx = labels.map((l, i) => (l.burst === id ? i : -1)).filter((i) => i >= 0);
      expect(idx.length, id).toBeGreaterThanOrEqual(20);
      expect(new Set(idx.map((i) => labels[i].place.street)).size, id).toBe(1);
      expect(new Set(idx.map((i) => messages[i].channel)).size, id).toBeGreaterThanOrEqual(3);
      const times = idx.map((i) => messages[i].receivedAt.getTime());
      expect(Math.max(...times) - Math.min(...times), id).toBeLessThanOrEqual(6 * 86_400_000);
      const bodies = new Set(idx.map((i) => messages[i].body));
      expect(bodies.size / idx.length, id).toBeGreaterThan(0.9);
    }
    const water = labels.filter((l) => l.burst === 'water-outage');
    expect(water.every((l) => l.category === '城乡建设')).toBe(true);
    expect(water.filter((l) => l.urgency === 'urgent').length / water.length).toBeGreaterThan(0.6);
  });

  it('rarely repeats a text outside the bursts', () => {
    const everyday = messages.filter((_, i) => labels[i].burst === null).map((m) => m.body);
    expect(new Set(everyday).size / everyday.length).toBeGreaterThan(0.9);
  });

  it('writes channel-real payloads', () => {
    const xml = new XMLParser({ parseTagValue: false });
    for (const m of messages) {
      if (m.channel === 'wechat') {
        expect(m.rawContentType).toBe('application/xml');
        const x = xml.parse(m.raw).xml;
        expect(x.ToUserName).toMatch(/^gh_[0-9a-f]{12}$/);
        expect(x.FromUserName).toBe(m.contactHandle);
        expect(x.FromUserName).toMatch(/^o[\w-]{27}$/);
        expect(x.MsgType).toBe('text');
        expect(x.Content).toBe(m.body);
        expect(String(x.MsgId)).toBe(m.externalId);
        expect(Number(x.CreateTime)).toBe(Math.floor(m.receivedAt.getTime() / 1000));
      } else {
        expect(m.rawContentType).toBe('application/json');
        const j = JSON.parse(m.raw);
        if (m.channel === 'weibo') {
          expect(j.idstr).toBe(m.externalId);
          expect(String(j.id)).toBe(m.externalId);
          expect(j.text).toBe(m.body);
          expect(j.created_at).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \+0800 \d{4}$/);
          expect(new Date(j.created_at.replace(/^\w+ (\w+) (\d+) ([\d:]+) \+0800 (\d+)$/, '$1 $2 $4 $3 GMT+0800')).getTime()).toBe(m.receivedAt.getTime());
          expect(typeof j.user.id).toBe('number');
          expect(j.user.screen_name).toBeTruthy();
          expect(j.status.id).toBeTruthy();
        } else if (m.channel === 'portal') {
          expect(Object.keys(j).sort()).toEqual(['contactName', 'content', 'district', 'isPublic', 'phone', 'street', 'title'].sort());
          expect(j.content).toBe(m.body);
          expect(j.title).toBe(m.title);
          expect(j.title.length).toBeGreaterThan(3);
          expect(j.isPublic).toBe(m.isPublic);
        } else {
          expect(Object.keys(j).sort()).toEqual(['address', 'callTime', 'callerPhone', 'category', 'content', 'orderNo'].sort());
          expect(j.orderNo).toBe(m.externalId);
          expect(j.content).toBe(m.body);
          expect(j.callTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
          expect(j.address).toBe(m.address);
        }
      }
      if (m.contactPhone) expect(m.contactPhone).toMatch(/^1\d{2}0553\d{4}$/);
    }
  });

  it('uses gazetteer places that agree with the text, and places the router can use', () => {
    const g = loadGazetteer();
    const streets = new Map(g.districts.flatMap((d) => d.streets.map((s) => [s.name, { d: d.name, s }] as const)));
    for (let i = 0; i < messages.length; i++) {
      const p = labels[i].place;
      const known = streets.get(p.street);
      expect(known?.d, p.street).toBe(p.district);
      if (p.community) expect(known!.s.communities).toContain(p.community);
      if (messages[i].channel === 'hotline') expect(messages[i].address).toContain(p.district + p.street);
    }
    const routed = messages.map((m, i) => routeCase({ category: labels[i].category, requestType: labels[i].type, keywords: [], text: m.body, place: { ...labels[i].place } }));
    expect(routed.filter((r) => r.department === 'centre').length).toBe(0);
    const water = routed.filter((_, i) => labels[i].burst === 'water-outage');
    expect(water.every((r) => r.department === 'water-supply')).toBe(true);
  });
});
