import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  UNKNOWN_LABEL,
  fromJSON,
  loadTextClassifier,
  saveTextClassifier,
  crossValidatedProbabilities,
  stratifiedFolds,
  trainTextClassifier,
} from './text-classifier';
import { evaluate, meanStd } from './text-classifier/metrics';
import { KeyTable } from './linear/key-table';

// Three topics with disjoint vocabularies, combined deterministically into short messages.
const TOPICS: Record<string, string[]> = {
  water: ['停水', '水管爆裂', '自来水发黄', '水压太低', '供水公司', '水表'],
  school: ['学校', '老师', '入学', '学区', '幼儿园', '课外作业'],
  traffic: ['公交车', '红绿灯', '堵车', '停车位', '斑马线', '出租车'],
};
const FILLERS = ['我家小区', '最近一周', '请尽快处理', '已经很久了', '影响生活', '麻烦看一下'];

function corpus(perClass: number, offset = 0): { texts: string[]; labels: string[] } {
  const texts: string[] = [];
  const labels: string[] = [];
  for (const [label, words] of Object.entries(TOPICS)) {
    for (let i = 0; i < perClass; i++) {
      const j = i + offset;
      texts.push(`${FILLERS[j % FILLERS.length]}${words[j % words.length]}，${words[(j * 5 + 1) % words.length]}问题${FILLERS[(j + 3) % FILLERS.length]}`);
      labels.push(label);
    }
  }
  return { texts, labels };
}

describe('trainTextClassifier', () => {
  const train = corpus(24);
  const model = trainTextClassifier(train.texts, train.labels);

  it('learns a separable toy problem', () => {
    expect([...model.labels]).toEqual(['school', 'traffic', 'water']);
    const test = corpus(10, 7);
    const predicted = model.predictBatch(test.texts);
    expect(predicted.map((p) => p.label)).toEqual(test.labels);
    for (const p of predicted) {
      expect(p.confidence).toBeGreaterThan(1 / 3);
      expect(p.confidence).toBeLessThanOrEqual(1);
    }
    expect(model.predict('幼儿园的老师很负责').label).toBe('school');
    expect(model.predict('路口红绿灯坏了，天天堵车').label).toBe('traffic');
  });

  it('gives probabilities that sum to one', () => {
    const probs = model.probabilities('水管爆裂了，家里停水');
    const sum = Object.values(probs).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 6);
    expect(Object.keys(probs).sort()).toEqual(['school', 'traffic', 'water']);
    expect(probs.water).toBeGreaterThan(probs.school);
  });

  it('never throws on bad input', () => {
    const empty = { label: UNKNOWN_LABEL, confidence: 0 };
    expect(model.predict('')).toEqual(empty);
    expect(model.predict('   \n\t ')).toEqual(empty);
    expect(model.predict('😀😡👍')).toEqual(empty);
    expect(model.predict('，。！？…')).toEqual(empty);
    expect(model.predict(undefined as unknown as string)).toEqual(empty);
    expect(model.predict(42 as unknown as string)).toEqual(empty);
    expect(Object.values(model.probabilities(''))).toEqual([0, 0, 0]);
    for (const text of ['停水\uD800', '\uDC00学校\uD83D', '\uD800\uDFFF\uDBFF', 'x', '堵'.repeat(100_000), 'ａｂｃ ＡＢＣ １２３']) {
      const p = model.predict(text);
      expect(typeof p.label).toBe('string');
      expect(p.confidence).toBeGreaterThanOrEqual(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
    }
    expect(model.predict('堵车'.repeat(50_000)).label).toBe('traffic');
    expect(model.predict('qqqq zzzz')).toEqual(empty); // nothing the model has seen
    expect(model.predictBatch(['', '学校老师']).map((p) => p.label)).toEqual([UNKNOWN_LABEL, 'school']);
  });

  it('skips unusable training rows and rejects unusable training sets', () => {
    const m = trainTextClassifier([...train.texts, '', '😀', '有文字'], [...train.labels, 'water', 'school', '']);
    expect([...m.labels]).toEqual(['school', 'traffic', 'water']);
    expect(() => trainTextClassifier(['a', 'b'], ['x'])).toThrow(/2 texts but 1 labels/);
    expect(() => trainTextClassifier(['停水', '停电'], ['water', 'water'])).toThrow(/at least 2 labels/);
  });

  it('is deterministic', () => {
    const again = trainTextClassifier(train.texts, train.labels);
    expect(JSON.stringify(again.toJSON())).toBe(JSON.stringify(model.toJSON()));
  });

  it('round-trips through JSON and files with identical predictions', () => {
    const probe = [...corpus(5, 11).texts, '', '停水 学校 堵车', '\uD800'];
    const copy = fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(copy.predictBatch(probe)).toEqual(model.predictBatch(probe));
    const dir = mkdtempSync(path.join(tmpdir(), 'tc-test-'));
    try {
      const file = path.join(dir, 'nested', 'model.json');
      saveTextClassifier(model, file);
      expect(loadTextClassifier(file).predictBatch(probe)).toEqual(model.predictBatch(probe));
      saveTextClassifier(model, file, { quantize: true });
      const q = loadTextClassifier(file);
      expect(q.predictBatch(probe).map((p) => p.label)).toEqual(model.predictBatch(probe).map((p) => p.label));
      expect(() => loadTextClassifier(path.join(dir, 'missing.json'))).toThrow(/cannot read model/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => fromJSON({ format: 'something-else' })).toThrow(/not a text-classifier model/);
    const broken = { ...model.toJSON(), nFeatures: 3 };
    expect(() => fromJSON(broken)).toThrow(/expected 3/);
  });

  it('trains with other feature settings', () => {
    for (const features of [{ maxN: 4 }, { minN: 2, maxN: 3, prefixChars: 10 }, { foldDigits: true, punctBreaks: false }]) {
      const m = trainTextClassifier(train.texts, train.labels, { features, nbAlpha: 0, calibrationFolds: 0 });
      expect(m.predict('学校老师布置的课外作业太多').label).toBe('school');
    }
  });
});

describe('stratifiedFolds', () => {
  it('spreads every label over every fold, reproducibly', () => {
    const labels = [...Array(30).fill('a'), ...Array(10).fill('b'), ...Array(5).fill('c')];
    const folds = stratifiedFolds(labels, 5, 3);
    for (let f = 0; f < 5; f++) {
      const inFold = labels.filter((_, i) => folds[i] === f);
      expect(inFold.filter((l) => l === 'a')).toHaveLength(6);
      expect(inFold.filter((l) => l === 'b')).toHaveLength(2);
      expect(inFold.filter((l) => l === 'c')).toHaveLength(1);
    }
    expect(stratifiedFolds(labels, 5, 3)).toEqual(folds);
  });
});

describe('evaluate', () => {
  it('computes macro-F1 over gold and predicted labels as scikit-learn does', () => {
    const r = evaluate(['a', 'a', 'b', 'b'], ['a', 'b', 'b', 'c']);
    expect(r.accuracy).toBe(0.5);
    expect(r.perClass.a).toEqual({ precision: 1, recall: 0.5, f1: 0.6667, support: 2 });
    expect(r.perClass.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.macroF1).toBeCloseTo((2 / 3 + 0.5 + 0) / 3, 4);
    expect(meanStd([1, 2, 3])).toEqual({ mean: 2, std: 1 });
  });
});

describe('KeyTable', () => {
  it('stores large integer keys exactly and grows', () => {
    const t = new KeyTable(4);
    for (let i = 0; i < 5000; i++) t.set(i * 4294967296 + 7, i);
    expect(t.size).toBe(5000);
    expect(t.get(4999 * 4294967296 + 7)).toBe(4999);
    expect(t.get(7)).toBe(0);
    expect(t.get(8)).toBe(-1);
    expect(t.add(7, 5)).toBe(5);
  });
});

describe('crossValidatedProbabilities', () => {
  const { texts, labels } = corpus(20);
  it('gives held-out probabilities on caller folds and a temperature that reproduces them', () => {
    const folds = stratifiedFolds(labels, 3, 5);
    const cv = crossValidatedProbabilities(texts, labels, folds, 3, { calibrationFolds: 0 });
    expect(cv.probabilities).toHaveLength(texts.length);
    expect(cv.temperature).toBeGreaterThan(0);
    let right = 0;
    cv.probabilities.forEach((p, i) => {
      expect(Object.values(p).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      const best = Object.entries(p).sort((a, b) => b[1] - a[1])[0][0];
      if (best === labels[i]) right++;
    });
    expect(right / texts.length).toBeGreaterThan(0.9);
  });
  it('trains with word pairs and negation scope, and keeps its defaults for old model files', () => {
    const m = trainTextClassifier(texts, labels, { features: { words: true, wordMaxN: 2, wordStopWords: true, negationScope: 3 }, calibrationFolds: 0 });
    expect(m.predict('学校老师布置的课外作业太多').label).toBe('school');
    const json = m.toJSON();
    expect(fromJSON(json).predict('停水好几天了').label).toBe('water');
    const { wordMaxN: _a, wordStopWords: _b, negationScope: _c, ...old } = json.features;
    const plain = trainTextClassifier(texts, labels, { calibrationFolds: 0 });
    const oldFile = { ...plain.toJSON(), features: { ...old, words: false } };
    expect(fromJSON(oldFile).predictBatch(texts.slice(0, 5))).toEqual(plain.predictBatch(texts.slice(0, 5)));
  });
});

describe('held-out temperature', () => {
  it('is fitted on texts the model did not train on and changes confidence, not labels', async () => {
    const { fitHeldOutTemperature, trainTextClassifier: train, withTemperature } = await import('./text-classifier');
    const a = ['路灯不亮晚上很黑', '路灯坏了没人修', '马路上的路灯一直不亮', '公交车太少等很久', '公交线路绕远', '公交站台没有遮雨棚'];
    const la = ['城建', '城建', '城建', '交通', '交通', '交通'];
    const b = ['小区路灯坏了一周', '这趟公交车班次太少', '路灯闪个不停', '公交司机开得太猛'];
    const lb = ['城建', '交通', '城建', '交通'];
    const m = train(a, la, { minDf: 1, calibrationFolds: 0 });
    const t = fitHeldOutTemperature([{ model: m, texts: b, labels: lb }]);
    expect(t).toBeGreaterThan(0);
    const sharp = withTemperature(m, t);
    const soft = withTemperature(m, t * 4);
    for (const x of b) {
      expect(soft.predict(x).label).toBe(m.predict(x).label);
      expect(sharp.predict(x).label).toBe(m.predict(x).label);
      expect(soft.predict(x).confidence).toBeLessThanOrEqual(sharp.predict(x).confidence + 1e-9);
    }
    expect(() => fitHeldOutTemperature([{ model: m, texts: ['x'], labels: ['无此类'] }])).toThrow();
  });
});

describe('keepFeatures', () => {
  it('keeps only the features of largest weight, refitted, and still reads the topics', () => {
    const { texts, labels } = corpus(24);
    const full = trainTextClassifier(texts, labels, { minDf: 1, calibrationFolds: 0 });
    const all = full.toJSON().nFeatures;
    const keep = Math.floor(all / 3);
    const small = trainTextClassifier(texts, labels, { minDf: 1, calibrationFolds: 0, keepFeatures: keep });
    expect(small.toJSON().nFeatures).toBe(keep);
    expect(small.meta.keptFeatures).toBe(keep);
    expect(small.meta.ofFeatures).toBe(all);
    expect(JSON.stringify(small.toJSON()).length).toBeLessThan(JSON.stringify(full.toJSON()).length);
    // the topic words carry the weight: a third of the features still reads held-out messages
    const test = corpus(6, 7);
    expect(evaluate(test.labels, small.predictBatch(test.texts).map((p) => p.label)).accuracy).toBeGreaterThanOrEqual(0.9);
    // unset, or more than there are: every feature kept, the same model
    const same = trainTextClassifier(texts, labels, { minDf: 1, calibrationFolds: 0, keepFeatures: all + 10 });
    expect(same.toJSON().weights).toEqual(full.toJSON().weights);
  });
});
