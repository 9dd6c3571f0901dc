// The live scenario of issue 10: fifteen residents report one problem (a water outage at one estate)
// within ten minutes, each in their own words, and the messages are processed one by one. They must
// form ONE topic as they arrive (no sweep needed), and fifteen messages about another problem in the
// same district and minutes must not join it. The texts are written for this test (no data set's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTopic } from '../core/db/topics';
import { analyzeMessage } from '../core/nlp/analyze';
import { isGenericWord } from '../core/opinion/config';
import { assignToTopic, reclusterTopics, type TopicInput } from '../core/opinion/topics';
import { createTestDatabase, type TestDatabase } from './support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ seed: false });
});
afterAll(async () => {
  await db?.close();
});

// a fixed shuffle (the order residents' messages come in is anyone's)
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

let nextId = 1;
const T0 = new Date('2026-07-14T00:30:00Z');
function input(title: string, body: string, seconds: number, extra: Partial<TopicInput> = {}): TopicInput {
  return {
    messageId: nextId++, caseId: null, receivedAt: new Date(T0.getTime() + seconds * 1000), channel: seconds % 3 ? 'portal' : 'weibo', isPublic: true,
    title, body, analysis: analyzeMessage(body, { title }), engagement: 0, ...extra,
  };
}

// one outage at 香樟湾小区 (弋江区, 南瑞路), told fifteen ways: the estate named in full, half, or
// with a building, or only the district and street; 停水, 没水, 断水, 没有自来水, 水龙头不出水, 水压;
// some name no district (the place reader knows no 香樟湾)
const OUTAGE: [string, string][] = [
  ['弋江区香樟湾小区停水', '弋江区南瑞路香樟湾小区今天早上六点开始停水，到现在一点水都没有，也没看到任何停水通知。'],
  ['香樟湾没水了', '香樟湾小区全小区没水，早上起来刷牙洗脸都没办法，请问什么时候恢复供水？'],
  ['小区突然断水', '我住弋江区香樟湾7栋，从早上开始断水，物业电话一直打不通，家里还有老人要做饭。'],
  ['香樟湾小区自来水停了', '香樟湾小区自来水停了好几个小时，水龙头拧开一滴水都没有，希望自来水公司赶紧派人来看看。'],
  ['反映香樟湾停水问题', '弋江区香樟湾小区大面积停水，孩子要上学没法洗漱，事先没有任何通知，太不负责任了。'],
  ['南瑞路香樟湾小区水龙头不出水', '南瑞路香樟湾小区家家户户水龙头都不出水，是不是水管爆了？请相关部门尽快抢修。'],
  ['香樟湾12栋没有水', '香樟湾12栋从六点多到现在都没有水，上厕所都冲不了，物业说是市政供水的问题。'],
  ['请尽快恢复香樟湾小区供水', '弋江区香樟湾小区停水三个多小时了，楼里上千户居民生活受影响，请供水公司尽快恢复供水。'],
  ['南瑞街道这边停水了', '弋江区南瑞街道这一片从早上开始停水，家里一滴水都没有，请问什么时候能恢复？'],
  ['家里停水了', '弋江区南瑞路香樟湾小区停水，煮饭的水都没有，只能下楼买矿泉水，请问哪天能来水？'],
  ['弋江区停水怎么回事', '弋江区南瑞街道一早上没有自来水，打自来水公司热线说在查原因，到底什么时候能修好？'],
  ['香樟湾小区水压没了', '香樟湾小区今天水压一点都没有，高层住户完全没水用，请尽快处理。'],
  ['弋江区香樟湾停水半天', '香樟湾停水大半天，小区里好多老人小孩，生活非常不方便，希望能派送水车过来。'],
  ['香樟湾3栋停水', '我是香樟湾小区3栋的住户，早上开始就停水了，问物业也说不清楚，麻烦政府帮忙催一下。'],
  ['小区停水影响生活', '弋江区香樟湾小区停水一上午了，家里的洗衣机、热水器都用不了，请尽快恢复供水。'],
];

// another problem in the same district and the same minutes: a building site by the same road
// working at night (noise, dust), also fifteen ways
const NOISE: [string, string][] = [
  ['南瑞路工地夜间施工扰民', '弋江区南瑞路旁边的工地每天晚上施工到凌晨两点，打桩声音特别大，附近居民根本睡不着。'],
  ['工地半夜打桩', '南瑞路那个工地半夜还在打桩，吵得孩子哭了一晚上，请城管管一管。'],
  ['弋江区南瑞路工地噪音', '南瑞路工地噪音太大了，晚上十一点以后还在干活，严重影响休息。'],
  ['投诉工地夜间作业', '弋江区南瑞路施工工地夜间作业，挖掘机和渣土车轰隆隆响，吵得人睡不着觉。'],
  ['南瑞路施工噪音扰民', '南瑞路工地施工噪音扰民，已经连续一周了，晚上根本没法睡。'],
  ['夜里施工太吵', '弋江区南瑞路工地夜里施工太吵，打桩机一直响到天亮，请环保部门查处。'],
  ['南瑞路工地扬尘和噪音', '南瑞路工地白天扬尘晚上噪音，渣土车进进出出，路边全是泥。'],
  ['工地违规夜间施工', '南瑞路工地违规夜间施工，有没有办夜间施工许可证？请执法部门去查一下。'],
  ['南瑞路打桩机凌晨还在响', '弋江区南瑞路打桩机凌晨三点还在响，整栋楼的人都被吵醒了。'],
  ['施工扰民', '南瑞路施工工地每天夜里施工，噪音很大，老人心脏不好受不了。'],
  ['南瑞路工地晚上施工', '南瑞路工地晚上施工到很晚，钢筋敲打的声音很刺耳，希望晚上十点以后停工。'],
  ['弋江区工地噪音扰民', '弋江区南瑞路一处工地夜间施工噪音扰民，多次打12345都没有用。'],
  ['南瑞路工地夜间噪音', '南瑞路工地夜间噪音太大，孩子第二天还要考试，晚上根本睡不好。'],
  ['工地通宵施工', '南瑞路工地通宵施工，混凝土泵车一直在响，请有关部门制止夜间施工。'],
  ['南瑞路工地噪声', '弋江区南瑞路工地噪声太大，晚上施工不停，居民休息受到严重影响。'],
];

// what the city said before: other problems, other districts (the background corpus)
const BACKGROUND: [string, string][] = [
  ['镜湖区中山北路路灯不亮', '镜湖区中山北路一段路灯坏了好几天，晚上走路很黑，请尽快维修。'],
  ['鸠江区垃圾没人清运', '鸠江区湾里街道某社区门口的垃圾好几天没人清运，臭气熏天。'],
  ['三山区电梯困人', '三山区龙湖街道某小区3号楼电梯又坏了，今天早上困了人，请检修。'],
  ['繁昌区油烟扰民', '繁昌区孙村镇一家烧烤店油烟直排，楼上住户窗户都不敢开。'],
  ['湾沚区道路积水', '湾沚区某路段一下雨就积水，车辆通行困难，请疏通下水道。'],
  ['南陵县停车难', '南陵县籍山镇某小区车位太少，晚上到处乱停车，消防通道被堵。'],
];

async function run(list: [string, string][], start: number, step: number): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, [t, b]] of list.entries()) ids.push((await assignToTopic(db.sql, input(t, b, start + i * step))).topicId);
  return ids;
}

function topicCounts(ids: number[]): Map<number, number> {
  const n = new Map<number, number>();
  for (const id of ids) n.set(id, (n.get(id) ?? 0) + 1);
  return n;
}

describe('topics, live burst', () => {
  it('fifteen reports of one outage in ten minutes form one topic as they come; another problem there stays apart', async () => {
    await run(BACKGROUND, -86_400, 600);
    // interleaved, as residents write: outage every 40 s, noise in between
    const outageIds: number[] = [];
    const noiseIds: number[] = [];
    for (let i = 0; i < OUTAGE.length; i++) {
      outageIds.push(...(await run([OUTAGE[i]], i * 40, 1)));
      noiseIds.push(...(await run([NOISE[i]], i * 40 + 20, 1)));
    }
    const outageTopics = topicCounts(outageIds);
    expect(outageTopics.size, `outage topics ${JSON.stringify([...outageTopics])}`).toBe(1);
    const outageTopic = outageIds[0];
    for (const id of noiseIds) expect(id).not.toBe(outageTopic);
    // the noise reports are one problem too: most of them in one topic
    const noiseTop = Math.max(...topicCounts(noiseIds).values());
    expect(noiseTop, `noise topics ${JSON.stringify([...topicCounts(noiseIds)])}`).toBeGreaterThanOrEqual(13);

    const t = (await getTopic(db.sql, outageTopic))!;
    expect(t.size).toBe(15);
    expect(t.label).toContain('弋江区');
    expect(t.label).toContain('香樟湾');
    expect(t.labelTerms.join('')).toMatch(/停水|断水|供水|没水/);
    for (const w of t.labelTerms) expect(isGenericWord(w)).toBe(false);

    // the sweep keeps them together
    await reclusterTopics(db.sql, new Date(T0.getTime() + 30 * 60_000));
    const rows = await db.sql<{ messageId: number; topicId: number }[]>`SELECT message_id, topic_id FROM opinion_topic_members ORDER BY message_id`;
    const after = new Map(rows.map((r) => [Number(r.messageId), Number(r.topicId)]));
    const outageAfter = topicCounts(outageIds.map((_, i) => after.get(BACKGROUND.length + 1 + i * 2)!));
    expect(outageAfter.size, `outage topics after the sweep ${JSON.stringify([...outageAfter])}`).toBe(1);
    const noiseAfter = noiseIds.map((_, i) => after.get(BACKGROUND.length + 2 + i * 2)!);
    for (const id of noiseAfter) expect(outageAfter.has(id)).toBe(false);
  });

  it('forms one topic on a fresh corpus too, whichever message comes first (one with no district among them)', async () => {
    // nothing counted before the burst: the burst's own words are the whole corpus
    for (const seed of [1, 2, 3, 4]) {
      const fresh = await createTestDatabase({ seed: false });
      try {
        const list = shuffled(OUTAGE, seed);
        const ids: number[] = [];
        for (const [i, [t, b]] of list.entries()) {
          ids.push((await assignToTopic(fresh.sql, { ...input(t, b, i * 40), messageId: i + 1 })).topicId);
        }
        expect(topicCounts(ids).size, `order ${seed}: ${list.map(([t]) => t).join(' / ')} → ${JSON.stringify(ids)}`).toBe(1);
        await reclusterTopics(fresh.sql, new Date(T0.getTime() + 30 * 60_000));
        const rows = await fresh.sql<{ topicId: number }[]>`SELECT DISTINCT topic_id FROM opinion_topic_members`;
        expect(rows.length, `order ${seed} after the sweep`).toBe(1);
        const t = (await getTopic(fresh.sql, ids[0]))!;
        expect(t.district).toBe('弋江区');
        expect(t.size).toBe(15);
      } finally {
        await fresh.close();
      }
    }
  });

  it('does not join by a road a message names in passing, even with the same problem object', async () => {
    const fresh = await createTestDatabase({ seed: false });
    try {
      // a corpus of other problems first (the outage, the building site, the background)
      for (const [i, [t, b]] of [...BACKGROUND, ...OUTAGE, ...NOISE].entries()) await assignToTopic(fresh.sql, { ...input(t, b, -86_400 + i * 60), messageId: 1000 + i });
      const a = await assignToTopic(fresh.sql, { ...input('弋江区建议东风高速城区段外迁', '弋江区东风高速城区段两侧居民楼很多，车流噪音巨大严重扰民，请问什么时候外迁？', 7200), messageId: 1 });
      // another road's trucks at night; the highway only named as where they come from
      const b = await assignToTopic(fresh.sql, { ...input('弋江区西二环夜间货车噪音扰民', '弋江区西二环夜里重型货车特别多，噪音扰民，这些车都是从东风高速下来绕行的，请限行。', 10_800), messageId: 2 });
      expect(b.topicId).not.toBe(a.topicId);
    } finally {
      await fresh.close();
    }
  });

  it('keeps the same words about another estate of the district apart from the outage', async () => {
    const fresh = await createTestDatabase({ seed: false });
    try {
      const ids: number[] = [];
      for (const [i, [t, b]] of OUTAGE.slice(0, 8).entries()) ids.push((await assignToTopic(fresh.sql, { ...input(t, b, i * 40), messageId: i + 1 })).topicId);
      expect(topicCounts(ids).size).toBe(1);
      // another estate, the same problem, the same minutes: another outage, another topic
      const other: [string, string][] = [
        ['弋江区银杏苑停水', '弋江区银杏苑小区今天上午突然停水，小区里一点水都没有，请尽快恢复供水。'],
        ['银杏苑小区没水', '银杏苑小区从九点开始没水，物业说不清楚原因，居民生活很不方便。'],
        ['银杏苑断水', '弋江区银杏苑断水两个小时了，家里老人没法做饭。'],
      ];
      const otherIds: number[] = [];
      for (const [i, [t, b]] of other.entries()) otherIds.push((await assignToTopic(fresh.sql, { ...input(t, b, 400 + i * 40), messageId: 100 + i })).topicId);
      for (const id of otherIds) expect(id).not.toBe(ids[0]);
      expect(topicCounts(otherIds).size).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});
