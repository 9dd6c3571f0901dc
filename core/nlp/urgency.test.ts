import { describe, expect, it } from 'vitest';
import { classifyUrgency } from './urgency';

const u = (t: string) => classifyUrgency(t).label;

describe('urgency', () => {
  it.each([
    '楼道里一股很浓的煤气味，快派人来',
    '小区18栋二楼着火了，浓烟一直往上冒',
    '电梯困人，里面有一位老人',
    '我母亲在家中晕倒，意识不清',
    '九华山路路面突然塌陷了一个大坑',
    '长江路的井盖不见了，差点有人栽进去',
    '我们小区从今天早上六点到现在一直停水',
    '整栋楼现在停电，已经三个小时了',
    '电线垂到离地面一米多高，有人触电了',
  ])('urgent: %s', (t) => {
    const r = classifyUrgency(t);
    expect(r.label).toBe('urgent');
    expect(r.reasons.length).toBeGreaterThan(0);
    expect(r.confidence).toBeGreaterThan(0.6);
  });

  it.each([
    ['上周我们小区停过一次水，希望以后提前通知', 'past'],
    ['请问明天计划停电是几点到几点', 'planned'],
    ['下周三全区停水检修，请问哪些小区受影响', 'planned'],
    ['万一发生火灾，消防车根本进不来', 'hypothetical'],
    ['如果家里燃气泄漏了应该先做什么', 'hypothetical consultation'],
    ['我没有被困在电梯里，只是按钮经常失灵', 'negated'],
    ['不是停电，是我们家跳闸了', 'negated'],
    ['昨天晚上突然断电，半小时后就来电了', 'resolved'],
    ['前段时间路面塌陷的地方现在已经填好了', 'resolved'],
    ['家里燃气灶打不着火了，是不是停气了', 'not a fire'],
    ['小区的路灯坏了半个月了', 'no hazard'],
    ['其家中现在停电，楼内其他住户正常', 'one household'],
  ])('normal: %s (%s)', (t) => {
    expect(u(t)).toBe('normal');
  });

  it('gives a defined result for empty or unreadable text', () => {
    expect(classifyUrgency('')).toEqual({ label: 'normal', confidence: 0, reasons: [] });
    expect(classifyUrgency('！！！')).toEqual({ label: 'normal', confidence: 0, reasons: [] });
  });
  it('is less sure about a normal message with set-aside hazard words', () => {
    expect(classifyUrgency('明天计划停电').confidence).toBeLessThan(classifyUrgency('路灯坏了').confidence);
  });
});

describe('urgency: questions, rescues already over, and less common dangers', () => {
  it.each([
    '化工厂旁边冒黑烟，是不是着火了？有没有人管',
    '隧道里有辆车自燃了，烟很大，快通知消防',
    '独居老人三天没开门，敲门无回应，屋里有异味',
    '被电动车撞了，腿一直流血，走不了路',
    '楼顶的广告牌被风刮得快掉下来了，下面全是行人',
    '大树被风刮断横在路中间，已经有车被砸',
    '幼儿园多名孩子呕吐腹泻，疑似食物中毒',
    '家里老人今天上午外出至今未归，身上没带手机',
  ])('urgent: %s', (t) => expect(u(t)).toBe('urgent'));

  it.each([
    '建议每个小区都配一台除颤仪，关键时刻能救命',
    '感谢社区网格员，我家老人走失，大家找了一晚上终于找到了',
    '感谢急诊科，我爸突发心梗，抢救及时，已经脱离危险',
  ])('normal: %s', (t) => expect(u(t)).toBe('normal'));
});

describe('urgency: the trained model adds what the patterns have no words for', () => {
  it('calls urgent only where no pattern spoke, and never overrides a set-aside hazard', async () => {
    const { setUrgencyModel } = await import('./urgency');
    const { trainTextClassifier } = await import('./text-classifier');
    const texts = ['锅炉一直喷白汽还有尖叫声', '锅炉房喷白汽尖叫声很响', '锅炉喷汽尖叫', '小区绿化不错', '公园环境很好', '路边绿化很好'];
    const labels = ['urgent', 'urgent', 'urgent', 'normal', 'normal', 'normal'];
    setUrgencyModel(trainTextClassifier(texts, labels, { minDf: 1 }));
    try {
      const r = classifyUrgency('锅炉房那边一直喷白汽，尖叫声很响');
      expect(r.label).toBe('urgent');
      expect(r.reasons).toContain('模型判断');
      expect(u('小区的绿化很好')).toBe('normal');
      // the patterns set this hazard aside as past; the model does not get to overrule them
      expect(u('上周锅炉房起火喷白汽，尖叫声很响，后来已经处理好了')).toBe('normal');
    } finally {
      setUrgencyModel(null);
    }
  });
});

describe('urgency: signs of a danger present at the time of writing', () => {
  it('marks a danger said to be there now, and an outage still on, apart from a past one', async () => {
    const { URGENCY_FEATURES, urgencyFeatures } = await import('./urgency');
    const f = (text: string, name: (typeof URGENCY_FEATURES)[number]) => urgencyFeatures(text, classifyUrgency(text), 0.5)[URGENCY_FEATURES.indexOf(name)];
    expect(f('我父亲现在在医院抢救，已经欠下十几万医药费', 'lifeNow')).toBe(1);
    expect(f('这几天井水有很重的异味，村里人都不敢喝', 'presentDanger')).toBe(1);
    expect(f('前年井水有过异味，后来换了管子', 'presentDanger')).toBe(0);
    expect(f('物业欠费，整栋楼被停水了，老人只能下楼提水', 'outageNow')).toBe(1);
    expect(f('停水三天无人过问', 'outageNow')).toBe(1);
    expect(f('去年夏天停过一次水', 'outageNow')).toBe(0);
  });
});

describe('urgency: a petition read for a hazard there now and in its title', () => {
  it('marks a now-word beside a hazard word and a hazard in the first sentence, for texts of URGENCY_LONG_CHARS+ characters only', async () => {
    const { URGENCY_FEATURES, URGENCY_LONG_CHARS, urgencyFeatures } = await import('./urgency');
    const f = (text: string, name: (typeof URGENCY_FEATURES)[number]) => urgencyFeatures(text, classifyUrgency(text), 0.5)[URGENCY_FEATURES.indexOf(name)];
    const pad = (t: string) => t.padEnd(URGENCY_LONG_CHARS + 10, '我们小区居民多次向物业和社区反映这个问题，希望有关部门重视并尽快答复。');
    const now = pad('3栋楼道着火了，现在浓烟很大。');
    expect(now.length).toBeGreaterThanOrEqual(URGENCY_LONG_CHARS);
    expect(f(now, 'nowNearLong')).toBe(1);
    expect(f(now, 'firstSentenceLong')).toBe(1);
    // the hazard buried after the opening sentence, with no now-word near it
    const buried = pad('关于小区物业管理的几点意见。物业费年年上涨，服务却越来越差，前年楼道着火，消防通道堆满杂物。');
    expect(f(buried, 'nowNearLong')).toBe(0);
    expect(f(buried, 'firstSentenceLong')).toBe(0);
    // a short text: both stay 0, so hotline and WeChat texts read as before
    expect(f('3栋楼道着火了，现在浓烟很大', 'nowNearLong')).toBe(0);
    expect(f('3栋楼道着火了，现在浓烟很大', 'firstSentenceLong')).toBe(0);
  });
});

describe('urgency: a petition has a regression of its own', () => {
  it('reads a text of URGENCY_LONG_CHARS+ characters with the long-text weights, a short one with the others, through save and load', async () => {
    const { readUrgency, saveUrgencyReader, loadUrgencyReader, URGENCY_FEATURES, URGENCY_LONG_CHARS, urgencyRegression } = await import('./urgency');
    const { trainTextClassifier } = await import('./text-classifier');
    const { mkdtempSync, readFileSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const classifier = trainTextClassifier(['着火了有人被困', '楼道着火浓烟', '小区绿化不错', '公园环境很好'], ['urgent', 'urgent', 'normal', 'normal'], { minDf: 1 });
    // short texts: P 0.5 against 0.4 (urgent); long texts: P of bias -5 against 0.4 (normal)
    const reader = { classifier, weights: URGENCY_FEATURES.map(() => 0), bias: 0, threshold: 0.4, longThreshold: 0.4, longWeights: URGENCY_FEATURES.map(() => 0), longBias: -5, calibration: null };
    const short = '建议在小区门口增设一个公交站，方便老人出行';
    const long = '关于小区门口公交站的建议。'.padEnd(URGENCY_LONG_CHARS, '我们小区有很多老人，每天出门坐车要走很远的路，希望有关部门能考虑。');
    expect(urgencyRegression(reader, short).bias).toBe(0);
    expect(urgencyRegression(reader, long).bias).toBe(-5);
    expect(readUrgency(short, reader).label).toBe('urgent');
    expect(readUrgency(long, reader).label).toBe('normal');
    expect(readUrgency(long, { ...reader, longWeights: null }).label).toBe('urgent');
    const dir = mkdtempSync(path.join(tmpdir(), 'urgency-longw-'));
    try {
      const file = path.join(dir, 'u.json');
      saveUrgencyReader(reader, file);
      const back = loadUrgencyReader(file);
      expect(back.longBias).toBe(-5);
      expect(readUrgency(long, back).label).toBe('normal');
      expect(readUrgency(short, back).label).toBe('urgent');
      // long-text weights of another length are refused, not misread
      const j = JSON.parse(readFileSync(file, 'utf8'));
      j.longWeights = j.longWeights.slice(1);
      writeFileSync(file, JSON.stringify(j));
      expect(() => loadUrgencyReader(file)).toThrow(/retrain/);
      // a file without them reads every text with the one regression
      delete j.longWeights;
      delete j.longBias;
      writeFileSync(file, JSON.stringify(j));
      expect(readUrgency(long, loadUrgencyReader(file)).label).toBe('urgent');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('urgency: a petition has a threshold of its own', () => {
  it('reads a text of URGENCY_LONG_CHARS+ characters against the long-text threshold, a short one against the other, and keeps it through save and load', async () => {
    const { readUrgency, saveUrgencyReader, loadUrgencyReader, URGENCY_FEATURES, URGENCY_LONG_CHARS, urgencyThreshold } = await import('./urgency');
    const { trainTextClassifier } = await import('./text-classifier');
    const { mkdtempSync, readFileSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const classifier = trainTextClassifier(['着火了有人被困', '楼道着火浓烟', '小区绿化不错', '公园环境很好'], ['urgent', 'urgent', 'normal', 'normal'], { minDf: 1 });
    // every weight 0: P(urgent) is the bias's 0.5 for any text, so only the threshold decides
    const reader = { classifier, weights: URGENCY_FEATURES.map(() => 0), bias: 0, threshold: 0.6, longThreshold: 0.4, calibration: null };
    const short = '建议在小区门口增设一个公交站，方便老人出行';
    const long = '关于小区门口公交站的建议。'.padEnd(URGENCY_LONG_CHARS, '我们小区有很多老人，每天出门坐车要走很远的路，希望有关部门能考虑。');
    expect(long.length).toBe(URGENCY_LONG_CHARS);
    expect(urgencyThreshold(reader, short)).toBe(0.6);
    expect(urgencyThreshold(reader, long)).toBe(0.4);
    expect(urgencyThreshold(reader, long.slice(0, -1))).toBe(0.6);
    expect(readUrgency(short, reader).label).toBe('normal');
    expect(readUrgency(long, reader).label).toBe('urgent');
    expect(readUrgency(long, { ...reader, longThreshold: null }).label).toBe('normal');
    const dir = mkdtempSync(path.join(tmpdir(), 'urgency-long-'));
    try {
      const file = path.join(dir, 'u.json');
      saveUrgencyReader(reader, file);
      const back = loadUrgencyReader(file);
      expect(back.longThreshold).toBe(0.4);
      expect(readUrgency(long, back).label).toBe('urgent');
      // a file whose long-text threshold is for another length is refused, not misread
      const j = JSON.parse(readFileSync(file, 'utf8'));
      j.longChars = URGENCY_LONG_CHARS + 100;
      writeFileSync(file, JSON.stringify(j));
      expect(() => loadUrgencyReader(file)).toThrow(/retrain/);
      // a file from before (no long-text threshold) still loads and reads every text alike
      delete j.longChars;
      delete j.longThreshold;
      writeFileSync(file, JSON.stringify(j));
      expect(loadUrgencyReader(file).longThreshold).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
