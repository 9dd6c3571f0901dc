// What the public sees of a topic comes from its public messages only: a private message's words
// or place never reach the public label, place or keywords of the hot-topic list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTopic } from '../core/db/topics';
import { analyzeMessage } from '../core/nlp/analyze';
import { messageFeatures } from '../core/opinion/features';
import { getHotTopics, publicLabel } from '../core/opinion/read';
import { assignToTopic, type TopicInput } from '../core/opinion/topics';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ seed: false });
});
afterAll(async () => db?.close());

let nextId = 1;
const T0 = new Date('2026-09-07T02:00:00Z');
function input(title: string, body: string, minutes: number, isPublic: boolean): TopicInput {
  return {
    messageId: nextId++, caseId: null, receivedAt: new Date(T0.getTime() + minutes * 60_000), channel: 'portal', isPublic,
    title, body, analysis: analyzeMessage(body, { title }), engagement: 0,
  };
}

const PRIVATE: [string, string][] = [
  ['镜湖区翠湖湾小区烧烤店油烟扰民', '镜湖区翠湖湾小区楼下烧烤店油烟扰民，烧烤店每天营业到凌晨，油烟直排。'],
  ['翠湖湾小区烧烤店油烟', '镜湖区翠湖湾小区的烧烤店油烟扰民，烧烤店老板不听劝，油烟熏到楼上。'],
  ['投诉翠湖湾小区烧烤店', '镜湖区翠湖湾小区烧烤店油烟扰民严重，烧烤店没有油烟净化设备。'],
];
const PUBLIC: [string, string] = ['镜湖区翠湖湾小区油烟扰民', '镜湖区翠湖湾小区底层商铺油烟扰民，窗户不敢开，油烟扰民请整治。'];

describe('public topic fields', () => {
  it('label, place and keywords the public sees are built from the public members only', async () => {
    const ids = [];
    for (const [i, [t, b]] of PRIVATE.entries()) ids.push((await assignToTopic(db.sql, input(t, b, i * 5, false))).topicId);
    ids.push((await assignToTopic(db.sql, input(PUBLIC[0], PUBLIC[1], 30, true))).topicId);
    expect(new Set(ids).size).toBe(1);
    const t = (await getTopic(db.sql, ids[0]))!;
    expect(t.size).toBe(4);
    expect(t.publicSize).toBe(1);
    // staff label: all members (the private ones' 烧烤店 stands out, but the whole problem 油烟扰民
    // nearly as much, and a problem phrase beats a bare object: core/opinion/label.ts)
    expect(t.label).toMatch(/烧烤店|油烟扰民/);
    // public label: the public message's words only
    expect(t.publicLabel).toBeTruthy();
    expect(t.publicLabel).not.toContain('烧烤店');
    expect(t.publicLabel!.startsWith('镜湖区翠湖湾小区')).toBe(true);
    const own = messageFeatures({ title: PUBLIC[0], body: PUBLIC[1], analysis: analyzeMessage(PUBLIC[1], { title: PUBLIC[0] }) });
    for (const w of t.publicLabelTerms) expect(Object.keys(own.terms).some((k) => k === w || k === `#${w}`)).toBe(true);

    const hot = await getHotTopics(db.sql, { days: 7, now: new Date(T0.getTime() + 3_600_000) });
    const shown = hot.topics.find((x) => x.id === t.id)!;
    expect(shown.label).toBe(t.publicLabel);
    expect(shown.keywords.join('')).not.toContain('烧烤店');
    expect(shown.place).toBe(t.publicPlace);

    // a topic with no public member shows its district and problem objects, never its own words
    const none = publicLabel({ ...t, publicSize: 0 });
    expect(none.label).not.toContain('烧烤店');
    expect(none.place).toBeNull();
    // a topic stored before public labels were kept, with private members: not its mixed label either
    const old = publicLabel({ ...t, publicLabel: null, publicPlace: null, publicLabelTerms: [] });
    expect(old.label).not.toContain('烧烤店');
  });
});
