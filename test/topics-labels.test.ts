// Topic labels a leader can read without opening the topic: the place from the subjects, whole
// place names (never a clipped one), and a problem phrase of whole words with no word repeated and
// no verb left hanging. Synthetic messages only (names invented for the test).
import { describe, expect, it } from 'vitest';
import { addToShape, type TermStats, type TopicShape } from '../core/opinion/cluster';
import { messageFeatures, type MessageFeatures } from '../core/opinion/features';
import { distinctiveTerms, isReadablePhrase, kindWeight, labelPlace, pairEndsInProblem, phraseKind, problemPhrase, topicLabel } from '../core/opinion/label';
import { isGenericWord } from '../core/opinion/config';
import { tagWords } from '../core/nlp/segment';

const BACKGROUND: [string, string][] = [
  ['A1区中山路路灯不亮', 'A1区中山路一段路灯坏了好几天，晚上走路很黑，请尽快维修。'],
  ['A2区龙湖社区垃圾没人清运', 'A2区龙湖社区门口的垃圾好几天没人清运，臭气熏天。'],
  ['A3区阳光小区电梯困人', 'A3区阳光小区3号楼电梯又坏了，今天早上困了人，请检修。'],
  ['A4区万春花园工地夜间施工', 'A4区万春花园旁边工地凌晨还在打桩施工，噪音扰民。'],
  ['A5区学校门口交通拥堵', 'A5区实验学校门口每天早晚交通拥堵，希望增加交警疏导。'],
  ['A6区菜市场占道经营', 'A6区东门菜市场外面占道经营严重，行人没法走路。'],
];

function topicOf(msgs: [string, string][], background: [string, string][] = BACKGROUND): { shape: TopicShape; stats: TermStats; features: MessageFeatures[] } {
  const all = [...msgs, ...background].map(([title, body]) => messageFeatures({ title, body, analysis: null }));
  const df = new Map<string, number>();
  for (const f of all) for (const t of Object.keys(f.terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const stats: TermStats = { docs: all.length, df: (t) => df.get(t) ?? 0 };
  const shape: TopicShape = { id: 1, district: all[0].district, centroid: {}, anchors: {}, size: 0 };
  const features = all.slice(0, msgs.length);
  for (const f of features) addToShape(shape, f, 300);
  return { shape, stats, features };
}

describe('topic labels', () => {
  it('takes the place named in the subjects, not one every body mentions in passing', () => {
    const msgs: [string, string][] = [
      ['A4区禾家塘小学扩建问题', '禾家塘小学扩建迟迟不动工，临江医院旁边的孩子只能去很远的地方上学。'],
      ['禾家塘小学扩建什么时候开始', '家住临江医院附近，禾家塘小学扩建说了两年还没开始，请给个时间。'],
      ['请尽快启动禾家塘小学扩建', '临江医院那一片新建楼盘多，禾家塘小学学位不够，扩建刻不容缓。'],
      ['孩子上学难', 'A4区临江医院周边只有一所小学，学位紧张，希望尽快扩建。'],
    ];
    const { shape, stats, features } = topicOf(msgs);
    // every body names the hospital, three subjects name the school
    expect(features.every((f) => f.anchors.includes('临江医院'))).toBe(true);
    expect(shape.anchors['临江医院']).toBeGreaterThan(shape.anchors['禾家塘小学']);
    expect(labelPlace(shape)).toBe('禾家塘小学');
    const l = topicLabel(shape, stats);
    expect(l.label.startsWith('A4区禾家塘小学·')).toBe(true);
    expect(l.terms.join('')).toContain('扩建');
  });

  it('never clips a place name the segmenter splits (沁/景园/滨江/苑)', () => {
    // jieba cuts the invented name in pieces; the place is built from the whole run of name words
    expect(tagWords('沁景园滨江苑').map((w) => w.word)).toEqual(['沁', '景园', '滨江', '苑']);
    const msgs: [string, string][] = [
      ['A3区沁景园滨江苑车位捆绑销售', '沁景园滨江苑开发商强制捆绑销售车位，不买车位不给交房。'],
      ['沁景园滨江苑捆绑销售车位', 'A3区沁景园滨江苑买房必须同时买车位，捆绑销售违反规定。'],
      ['投诉沁景园滨江苑开发商', '沁景园滨江苑开发商捆绑销售车位，车位价格还涨了。'],
    ];
    const { shape, stats, features } = topicOf(msgs);
    for (const f of features) for (const a of f.anchors) expect(a.replace(/^\^/, '')).toMatch(/^沁景园/);
    // a name opening with an adjective or verbal noun at a boundary is whole too; a verb in a sentence opens none
    const more = messageFeatures({ title: 'A1区辉煌丽都城二期商铺开饭店', body: 'A5区劳动东路旁边在光明小区修建学校。', analysis: null }).anchors;
    expect(more).toEqual(expect.arrayContaining(['辉煌丽都城', '劳动东路', '光明小区']));
    expect(more.some((a) => /^(丽都城|东路|修建)/.test(a.replace(/^\^/, '')))).toBe(false);
    const l = topicLabel(shape, stats);
    expect(l.place).toBe('沁景园滨江苑');
    expect(l.label.startsWith('A3区沁景园滨江苑·')).toBe(true);
    expect(l.label).not.toMatch(/·.*景园/); // no piece of the name in the problem part
    expect(l.terms.join('')).toMatch(/捆绑|车位/);
  });

  it('builds the problem from whole words: no repeated fragment, no unknown fragment, no hanging verb', () => {
    expect(isReadablePhrase('搅拌站扰民')).toBe(true);
    expect(isReadablePhrase('旧城改造')).toBe(true);
    expect(isReadablePhrase('扩建')).toBe(true);
    expect(isReadablePhrase('修建搅拌')).toBe(false); // a verb hanging after a verb
    expect(isReadablePhrase('公开承诺')).toBe(false); // an adverb and its verb, no object
    expect(isReadablePhrase('控规为')).toBe(false); // not a word: a fragment jieba could not place
    const msgs: [string, string][] = [
      ['A2区翠湖湾小区旁修建搅拌站扰民', '翠湖湾小区旁边修建搅拌站，控规为绿地却建了搅拌站，噪音扰民，粉尘很大。'],
      ['翠湖湾小区附近搅拌站噪音扰民', 'A2区翠湖湾小区附近的搅拌站日夜生产，噪音扰民，控规为绿地，请公开承诺搬迁时间。'],
      ['投诉翠湖湾小区搅拌站', '翠湖湾小区边上的搅拌站粉尘污染、噪音扰民，控规为绿地，要求公开承诺搬迁。'],
      ['翠湖湾小区搅拌站扰民', '翠湖湾小区旁搅拌站噪音扰民严重，晚上无法休息，强烈要求停止修建搅拌站。'],
    ];
    const { shape, stats } = topicOf(msgs);
    const l = topicLabel(shape, stats);
    expect(l.label.startsWith('A2区翠湖湾小区·')).toBe(true);
    expect(l.terms.join('')).toContain('搅拌站');
    for (const t of l.terms) expect(isReadablePhrase(t)).toBe(true);
    const words = l.terms.flatMap((t) => tagWords(t).map((w) => w.word));
    expect(new Set(words).size).toBe(words.length); // no word twice
    expect(l.label).not.toMatch(/控规为|公开承诺|修建搅拌(?!站)/);
  });

  it('reads a phrase kind from its tags: noun head, verb, contiguous pair, idiom', () => {
    expect(phraseKind('车位')).toBe('head');
    expect(phraseKind('烧烤店')).toBe('head');
    expect(phraseKind('扩建')).toBe('verb');
    expect(phraseKind('捆绑销售')).toBe('pair'); // v + vn
    expect(phraseKind('购房资金')).toBe('pair'); // n + n
    expect(phraseKind('刻不容缓')).toBe('idiom');
    expect(phraseKind('身心健康')).toBe('idiom');
    expect(phraseKind('加快刻不容缓')).toBe('idiom');
  });

  it('names ONE problem phrase, never an idiom or a generic word glued to a keyword', () => {
    // every member urges with an idiom and a set phrase; the problem is the school's missing places
    const msgs: [string, string][] = [
      ['A4区青竹小学学位不足刻不容缓', '青竹小学学位不足，孩子身心健康受影响，增加学位刻不容缓。'],
      ['青竹小学学位紧张刻不容缓', 'A4区青竹小学学位紧张，关系孩子身心健康，解决学位刻不容缓。'],
      ['青竹小学学位问题', '青竹小学学位太少，孩子身心健康要紧，扩大学位刻不容缓。'],
      ['请增加青竹小学学位', 'A4区青竹小学学位不够，刻不容缓，孩子的身心健康谁来管。'],
    ];
    const { shape, stats } = topicOf(msgs);
    const l = topicLabel(shape, stats);
    expect(l.label, JSON.stringify(l)).toMatch(/^A4区青竹小学·/);
    expect(l.terms).toHaveLength(1);
    expect(l.terms[0]).toContain('学位');
    expect(l.label).not.toMatch(/刻不容缓|身心健康/);
    for (const w of tagWords(l.terms[0])) expect(isGenericWord(w.word)).toBe(false);
  });

  it('takes a contiguous word pair only when most members use it', () => {
    // 捆绑销售 in every member: the pair wins over its parts
    const all: [string, string][] = [
      ['A3区云栖花园车位捆绑销售', '云栖花园开发商捆绑销售车位，不买车位不给交房。'],
      ['云栖花园捆绑销售车位', 'A3区云栖花园买房必须同时买车位，属于捆绑销售。'],
      ['投诉云栖花园捆绑销售', '云栖花园开发商捆绑销售车位，价格还很高。'],
    ];
    const a = topicLabel(topicOf(all).shape, topicOf(all).stats);
    expect(a.terms).toHaveLength(1);
    expect(a.terms[0]).toMatch(/捆绑销售|车位/);
    // 购房资金 in one member of four: never the label; the noun every member names (车位) is
    const few: [string, string][] = [
      ['A3区云栖花园车位价格太高', '云栖花园车位一个卖到二十万，购房资金已经掏空，车位还要另买。'],
      ['云栖花园车位', 'A3区云栖花园车位价格远高于周边，车位不买不给钥匙。'],
      ['云栖花园车位涨价', '云栖花园车位又涨价了，业主买不起车位。'],
      ['云栖花园车位乱收费', 'A3区云栖花园车位管理费乱收，车位价格不公开。'],
    ];
    const { shape, stats } = topicOf(few);
    const b = topicLabel(shape, stats);
    expect(b.label, JSON.stringify(b)).toMatch(/^A3区云栖花园·/);
    expect(b.terms).toHaveLength(1);
    expect(b.terms[0]).toContain('车位');
    expect(b.label).not.toContain('购房资金');
    expect(problemPhrase(shape, stats)).toBe(b.terms[0]);
  });

  it('names a topic with no phrase most members share by its most distinctive problem phrase, not by the place alone', () => {
    const msgs: [string, string][] = [
      ['A2区青柳湾小区', '青柳湾小区外墙瓷砖脱落，差点砸到人。'],
      ['青柳湾小区', 'A2区青柳湾小区外墙瓷砖脱落。'],
      ['青柳湾小区咨询', '青柳湾小区门牌号码不清楚。'],
      ['青柳湾小区情况', '青柳湾小区门禁卡怎么补办。'],
      ['青柳湾小区反映', '青柳湾小区快递柜收费。'],
      ['青柳湾小区求助', '青柳湾小区信箱钥匙丢失。'],
      ['青柳湾小区来信', '青柳湾小区业委会选举。'],
      ['青柳湾小区一事', '青柳湾小区健身器材损坏。'],
    ];
    const { shape, stats } = topicOf(msgs);
    expect(distinctiveTerms(shape, stats, 40)).toEqual([]); // no phrase reaches the usual share
    const l = topicLabel(shape, stats);
    expect(l.label, JSON.stringify(l)).toMatch(/^A2区青柳湾小区·/);
    expect(l.terms[0]).toMatch(/瓷砖|脱落|外墙/);
  });

  it('falls back to an idiom only when it is the only candidate', () => {
    const msgs: [string, string][] = [
      ['刻不容缓', '刻不容缓刻不容缓。'],
      ['刻不容缓', '真的刻不容缓。'],
      ['刻不容缓', '刻不容缓啊。'],
    ];
    const { shape, stats } = topicOf(msgs);
    expect(problemPhrase(shape, stats)).toBe('刻不容缓');
  });

  it('reads a gazetteer landmark named without a place suffix as a place, and no bare common word', () => {
    // lexicons/places: a station, a hill park and a sports centre, none ending in a suffix the name reader knows
    const f = messageFeatures({ title: '芜湖南站出租车拒载', body: '从芜湖南站打车去雨耕山，司机拒载，芜湖奥体中心那边也一样。', analysis: null });
    expect(f.anchors).toEqual(expect.arrayContaining(['芜湖南站', '雨耕山', '芜湖奥体中心', '^芜湖南站']));
    // a common word ending like a place (搅拌站, 加油站, 公园 alone) is no landmark
    const g = messageFeatures({ title: '小区旁搅拌站扰民', body: '加油站旁边的搅拌站晚上施工，公园里也听得到。', analysis: null });
    expect(g.anchors.filter((a) => /搅拌站|加油站|^\^?公园$/.test(a))).toEqual([]);
  });

  it('names the problem word (油烟扰民) rather than the bare object every subject names (门面)', () => {
    // invented estate; every subject names the shop fronts, most bodies name the problem word
    const msgs: [string, string][] = [
      ['A2区青柳湾小区门面', '青柳湾小区楼下门面开饭馆，油烟扰民，窗户都不敢开。'],
      ['青柳湾小区门面问题', '青柳湾小区一楼门面做餐饮，每天油烟扰民。'],
      ['投诉青柳湾小区门面', '青柳湾小区沿街门面的饭店油烟扰民，请处理。'],
      ['青柳湾小区门面经营', 'A2区青柳湾小区门面饭店排烟，居民受不了。'],
    ];
    const { shape, stats } = topicOf(msgs);
    expect(phraseKind('油烟扰民')).toBe('verb');
    expect(kindWeight('油烟扰民')).toBe(1);
    expect(kindWeight('扩建')).toBeLessThan(1); // a two-character verb alone says less
    expect(kindWeight('门面')).toBe(1);
    // scored as a whole problem now, not at the verb discount (the subject-doubled bare noun can still win: see README)
    const terms = distinctiveTerms(shape, stats, 40);
    const problem = terms.find((x) => x.term === '油烟扰民');
    expect(problem).toBeDefined();
    expect(problem!.score * kindWeight('油烟扰民')).toBe(problem!.score);
    expect(topicLabel(shape, stats).label.startsWith('A2区青柳湾小区·')).toBe(true);
    // the problem word, over half as distinctive as the subject-doubled bare object, names the topic
    expect(topicLabel(shape, stats).terms).toEqual(['油烟扰民']);
  });

  it('reads a pair ending in a problem object (门面油烟) as object + problem, a pair of two objects not', () => {
    expect(phraseKind('门面油烟')).toBe('pair');
    expect(pairEndsInProblem('门面油烟')).toBe(true);
    expect(pairEndsInProblem('高压电缆')).toBe(false);
    expect(pairEndsInProblem('油烟')).toBe(false);
  });
});

describe('a bare object yields to the problem', () => {
  it('names the hazard (高压线) over the object every subject names (电缆) when it is nearly as distinctive', () => {
    const stats: TermStats = { docs: 1000, df: () => 10 };
    const shape = { centroid: { 电缆: 8, 高压线: 4 }, size: 4, anchors: {} };
    expect(problemPhrase(shape, stats)).toBe('高压线');
    // far less distinctive: the object stays
    expect(problemPhrase({ ...shape, centroid: { 电缆: 8, 高压线: 1.5 } }, stats)).toBe('电缆');
  });
});
