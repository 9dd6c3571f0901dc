import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CATEGORY_LABELS, CATEGORY_MODEL_FILE, categoryLabels, classifyCategories, classifyCategory, setCategoryModel } from './category';
import { trainTextClassifier } from './text-classifier';

afterEach(() => setCategoryModel(undefined));

describe.runIf(existsSync(CATEGORY_MODEL_FILE))('shipped category model', () => {
  it('reads the seven categories from the model', () => {
    expect([...CATEGORY_LABELS].sort()).toEqual(['交通运输', '劳动和社会保障', '卫生计生', '商贸旅游', '城乡建设', '教育文体', '环境保护'].sort());
    expect(CATEGORY_LABELS.length).toBe(7);
    expect(CATEGORY_LABELS.includes('环境保护')).toBe(true);
    expect(Array.isArray(CATEGORY_LABELS)).toBe(true);
    expect(JSON.parse(JSON.stringify(CATEGORY_LABELS))).toEqual([...categoryLabels()]);
  });

  it('classifies plain messages', () => {
    const cases: [string, string][] = [
      ['小区楼下的饭店每天晚上油烟直排，噪音扰民到凌晨，窗户都不敢开', '环境保护'],
      ['孩子今年上小学，想咨询一下学区划片和入学报名需要哪些材料', '教育文体'],
      ['公司拖欠我们三个月工资，也不给交社保，请劳动监察部门帮忙', '劳动和社会保障'],
    ];
    for (const [text, label] of cases) {
      const p = classifyCategory(text);
      expect(p.label).toBe(label);
      expect(p.confidence).toBeGreaterThan(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
    }
    expect(classifyCategory('')).toEqual({ label: 'unknown', confidence: 0 });
    expect(classifyCategory('🙂🙂')).toEqual({ label: 'unknown', confidence: 0 });
  });
});

describe('category with a replaced model', () => {
  it('uses the labels of whatever model is set', () => {
    const texts = ['路灯坏了', '路灯不亮', '路灯闪烁', '学校收费', '学校食堂', '学校放假'];
    const labels = ['城建', '城建', '城建', '教育', '教育', '教育'];
    setCategoryModel(trainTextClassifier(texts, labels, { calibrationFolds: 0 }));
    expect([...CATEGORY_LABELS]).toEqual(['城建', '教育']);
    expect(classifyCategory('学校门口').label).toBe('教育');
    expect(classifyCategories(['路灯', '']).map((p) => p.label)).toEqual(['城建', 'unknown']);
  });
});
