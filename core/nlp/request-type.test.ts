import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openingUnits } from './opening-units';
import { classifyRequestType, closingText, gateThanks, requestTypeStackFeatures, SIGNATURE, stackProbabilities, thanksPlausible, requestTypeFromReply, withoutSignature } from './request-type';
import { seededRandom } from '../util/seeded-random';
import { REQUEST_TYPES } from './types';
import { fitRequestTypeReader, requestTypeNgrams, trainRequestTypeReader, type LabelledMessage } from './readers';

const t = (text: string, sentimentScore = 0) => classifyRequestType(text, { sentimentScore, model: null }).label;

describe('request type', () => {
  it('reads each type from its usual wording', () => {
    expect(t('请问在芜湖办理居住证需要带哪些材料？')).toBe('咨询');
    expect(t('我爸走失了，求大家帮忙找找')).toBe('求助');
    expect(t('楼下烧烤摊天天扰民，投诉多次没人管', -0.8)).toBe('投诉');
    expect(t('举报某饭店用地沟油')).toBe('举报');
    expect(t('建议在中江大道增设过街天桥')).toBe('建议');
    expect(t('感谢网格员小李的热心帮助', 0.8)).toBe('感谢');
  });
  it('does not read a courtesy closing as thanks', () => {
    expect(t('小区垃圾三天没人清运，臭气熏天，物业不管。谢谢！', -0.7)).toBe('投诉');
  });
  it('reads hotline summaries by their verb', () => {
    expect(t('来电人咨询：失业保险金的领取条件。')).toBe('咨询');
    expect(t('来电人举报：某工地夜间施工。')).toBe('举报');
  });
  it('returns unknown with confidence 0 for nothing to read', () => {
    expect(classifyRequestType('', { model: null })).toMatchObject({ label: 'unknown', confidence: 0 });
    expect(classifyRequestType('😀', { model: null })).toMatchObject({ label: 'unknown', confidence: 0 });
  });
  it('gives confidences in [0, 1]', () => {
    const r = classifyRequestType('路灯坏了', { model: null });
    expect(r.confidence).toBeGreaterThanOrEqual(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
  });
});

describe('request type: the stacked reader reads the title and the closing sentences', () => {
  it('takes the last two sentences, courtesy closing left out', () => {
    expect(closingText('我家门口的路灯坏了三个月。晚上出门很不方便。希望尽快修好！谢谢！')).toBe('晚上出门很不方便。希望尽快修好');
  });
  it('gives the closing request its own cue scores', () => {
    const story = '小区门口的公交站离得很远。老人每天要走二十分钟才能坐上车。下雨天更难。';
    const a = requestTypeStackFeatures(story + '建议增设一个站点。', null);
    const b = requestTypeStackFeatures('建议增设一个站点。' + story, null);
    const n = REQUEST_TYPES.length;
    const suggestion = REQUEST_TYPES.indexOf('建议');
    // the same words: the request counts in the closing features only where it closes the message
    expect(a[n + suggestion]).toBeGreaterThan(0);
    expect(a[3 * n + suggestion]).toBeGreaterThan(0);
    expect(b[3 * n + suggestion]).toBe(0);
    expect(b[2 * n + suggestion]).toBeGreaterThan(0);
  });
  it('turns one-vs-rest scores into probabilities that sum to one', () => {
    const x = requestTypeStackFeatures('请问居住证怎么办理？', { 咨询: 0.9, 投诉: 0.1 });
    // each type's regression reads only the n-gram model's log-probability of that type
    const w = REQUEST_TYPES.map((_, c) => x.map((_, j) => (j === c ? 10 : 0)));
    const p = stackProbabilities({ weights: w, bias: REQUEST_TYPES.map(() => 0) }, x);
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    expect(p.indexOf(Math.max(...p))).toBe(REQUEST_TYPES.indexOf('咨询'));
    expect(p[REQUEST_TYPES.indexOf('投诉')]).toBeGreaterThan(p[REQUEST_TYPES.indexOf('求助')]);
  });
  it('reads 感谢 only where praise is the point', () => {
    // praise and nothing else: thanks comes first whatever the model says
    expect(thanksPlausible('这两年我们街道的路越修越好，出门方便多了，要为区政府点个赞！')).toBe('only');
    const only = gateThanks('这两年我们街道的路越修越好，出门方便多了，要为区政府点个赞！', [0.1, 0.1, 0.1, 0.1, 0.5, 0.1]);
    expect(only.indexOf(Math.max(...only))).toBe(REQUEST_TYPES.indexOf('感谢'));
    // thanks opening a request, a bare 感谢 closing a plea, and a long petition that praises on the way are not thanks
    expect(thanksPlausible('衷心感谢各位领导的关心！我想请问一下，孩子上小学的户籍要求是什么？需要准备哪些材料？')).toBe('no');
    expect(thanksPlausible('我家老人摔伤住院，医药费实在负担不起，单位一直拖着不给报销，我们已经多次找过社区和单位，都没有结果，请领导帮帮我们，非常感谢')).toBe('no');
    expect(thanksPlausible('感谢社区的热心帮助，为社区点赞。' + '小区门口的路灯坏了好几个月，晚上出门很不方便，物业一直不修，'.repeat(8))).toBe('no');
    const no = gateThanks('小区垃圾三天没人清运，物业不管，请帮忙处理，非常感谢', [0.1, 0.1, 0.1, 0.1, 0.1, 0.5]);
    expect(no[REQUEST_TYPES.indexOf('感谢')]).toBe(0);
    expect(no.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
  it('leaves a signature and a date out of the closing sentences', () => {
    expect(closingText('小区停车位太少。恳请领导协调解决车位问题，此致敬礼！申请人张某2019年3月14日')).toBe('小区停车位太少。恳请领导协调解决车位问题');
  });
});

describe('request type from an official reply', () => {
  it('takes the type the reply names', () => {
    expect(requestTypeFromReply('网友您好！关于您咨询的公积金提取问题，现答复如下：')).toBe('咨询');
    expect(requestTypeFromReply('您好！您举报的无证餐馆，执法队已到现场查处。')).toBe('举报');
    expect(requestTypeFromReply('感谢您提出的宝贵建议，我局将在规划中统筹考虑。')).toBe('建议');
    expect(requestTypeFromReply('您求助的低保申请，社区已上门核实。')).toBe('求助');
    expect(requestTypeFromReply('关于您投诉的物业收费问题，街道已约谈物业公司。')).toBe('投诉');
  });
  it('names none where the reply says only 反映, or names two', () => {
    expect(requestTypeFromReply('您反映的问题已收悉，现回复如下。')).toBeNull();
    expect(requestTypeFromReply('您咨询的事项和您举报的情况一并答复如下。')).toBeNull();
    expect(requestTypeFromReply('')).toBeNull();
  });
  it('reads only the opening of the reply', () => {
    expect(requestTypeFromReply(`您反映的问题已收悉。${'经现场核实，'.repeat(80)}感谢您提出的宝贵建议。`)).toBeNull();
  });
});

describe('request type: scans cut short for speed read what the full scans read', () => {
  const pieces = ['，', '。', '！', '!', '？', ' ', '\n', '\u3000', '此致', '敬礼', '申请人', '联系电话', '电话', '张某', '2019年3月14日', '2020-1-2', '二〇二〇年五月六日', '20', '19', '年', '日', '月', '小区路灯坏了', '希望尽快修好', '谢谢', 'abc', '1234'];
  it('takes the signature off the end as the pattern does on the whole text', () => {
    const rand = seededRandom(7);
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const len = Math.floor(rand() * 60);
      for (let i = 0; i < len; i++) text += pieces[Math.floor(rand() * pieces.length)];
      expect(withoutSignature(text)).toBe(text.replace(SIGNATURE, ''));
    }
    const long = '小区路灯坏了，'.repeat(20) + '，，，  ，'.repeat(12) + '申请人张某2019年3月14日。 ';
    expect(withoutSignature(long)).toBe(long.replace(SIGNATURE, ''));
    expect(withoutSignature(long)).not.toBe(long);
  });
  it('reads the units a cue opens with, or gives up', () => {
    expect(openingUnits('请问')).toEqual(['请'.charCodeAt(0)]);
    expect(new Set(openingUnits('(可以|能|是否)[^，]{0,12}[吗？?]'))).toEqual(new Set([...'可能是'].map((c) => c.charCodeAt(0))));
    expect(new Set(openingUnits('噪音|[吵闹]'))).toEqual(new Set([...'噪吵闹'].map((c) => c.charCodeAt(0))));
    for (const src of ['吗?$', '(a|b)?c', 'a*b', 'a{0,2}b', '[^a]b', '[a-z]', '\\d', '.x', 'a|', '(?=a)a', '^a']) expect(openingUnits(src)).toBeNull();
  });
  it('every shipped cue opens with one of its units wherever it matches', () => {
    const cues = (JSON.parse(readFileSync(path.join(import.meta.dirname, '../../lexicons/request-type.json'), 'utf8')) as { cues: Record<string, [string, number][]> }).cues;
    const sources = Object.values(cues).flat().map(([s]) => s);
    const rand = seededRandom(11);
    const alphabet = [...new Set(sources.join('').replace(/[\\^$.|?*+()[\]{}0-9,]/g, ''))];
    let read = 0;
    for (const src of sources) {
      const units = openingUnits(src);
      if (units === null) continue; // always scanned
      read++;
      const re = new RegExp(src, 'g');
      for (let n = 0; n < 200; n++) {
        let text = '';
        for (let i = 0; i < 12; i++) text += alphabet[Math.floor(rand() * alphabet.length)];
        for (const m of text.matchAll(re)) expect(units).toContain(text.charCodeAt(m.index!));
      }
    }
    expect(read).toBeGreaterThan(sources.length / 2);
  });
});

describe('request type training in two parts', () => {
  // a small set: the n-gram part (the costly one) kept once, the settings refitted on it
  const rows: LabelledMessage[] = [];
  const add = (n: number, make: (i: number) => LabelledMessage) => { for (let i = 0; i < n; i++) rows.push(make(i)); };
  add(10, (i) => ({ text: `请问第${i}号政策的办理流程是什么，需要带哪些材料？`, type: '咨询' }));
  add(10, (i) => ({ text: `举报${i}号工地违法施工，偷排污水，请执法部门查处！`, type: '举报' }));
  add(10, (i) => ({ text: `建议在第${i}小区门口增设公交站，方便居民出行。`, type: '建议' }));
  add(10, (i) => ({ text: `我家${i}号楼停水三天了，老人孩子没水喝，请帮忙解决。`, type: '求助' }));
  add(10, (i) => ({ text: `物业${i}号服务太差，垃圾三天没人收，投诉多次没人管。`, type: '投诉', fit: i % 2 === 0 }));
  it('gives the model trainRequestTypeReader gives, and the n-gram part is not changed by a fit', () => {
    const whole = trainRequestTypeReader(rows, { folds: 3 }).toJSON();
    const ng = requestTypeNgrams(rows, { folds: 3 });
    const before = JSON.stringify(ng.cv);
    const a = fitRequestTypeReader(ng, { folds: 3 }).toJSON();
    expect(JSON.stringify(ng.cv)).toBe(before);
    const b = fitRequestTypeReader(ng, { folds: 3 }).toJSON();
    expect(a).toEqual(whole);
    expect(b).toEqual(a);
    expect(ng.texts).toHaveLength(50);
  });
});
