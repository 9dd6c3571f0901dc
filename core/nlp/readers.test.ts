import { describe, expect, it } from 'vitest';
import { analyzeMessage } from './analyze';
import { trainReaders, trainUrgencyReader, URGENCY_LONG_MIN_URGENT, useReaders, type LabelledMessage } from './readers';
import { URGENCY_FEATURES, URGENCY_LONG_CHARS } from './urgency';

// A small labelled set in the shape of a city's export (columns text, type, urgency, sentiment).
const rows: LabelledMessage[] = [];
const add = (n: number, make: (i: number) => LabelledMessage) => { for (let i = 0; i < n; i++) rows.push(make(i)); };
add(12, (i) => ({ text: `请问第${i}号政策的办理流程是什么，需要带哪些材料？`, type: '咨询', urgency: 'normal', sentiment: 'neutral' }));
add(12, (i) => ({ text: `举报${i}号工地违法施工，偷排污水，请执法部门查处！`, type: '举报', urgency: 'normal', sentiment: 'negative' }));
add(12, (i) => ({ text: `建议在第${i}小区门口增设公交站，方便居民出行。`, type: '建议', urgency: 'normal', sentiment: 'neutral' }));
add(12, (i) => ({ text: `${i}栋楼道里着火了，浓烟很大，有老人被困，快来人！`, type: '求助', urgency: 'urgent', sentiment: 'negative' }));
add(12, (i) => ({ text: `物业${i}号服务太差，垃圾三天没人收，投诉多次没人管。`, type: '投诉', urgency: 'normal', sentiment: 'negative' }));

describe('trainable readers', () => {
  it('train from labelled rows, calibrate, and read through analyzeMessage while in place', () => {
    const readers = trainReaders(rows, { folds: 3 });
    expect(readers.requestType?.meta).toMatchObject({ trainedOn: 60 });
    expect(readers.urgency?.threshold).toBeGreaterThan(0);
    expect(readers.sentiment?.calibration).toBeTruthy();
    const restore = useReaders(readers);
    try {
      const a = analyzeMessage('举报某工地违法施工偷排污水，请查处');
      expect(a.requestType.label).toBe('举报');
      expect(analyzeMessage('3栋着火了，浓烟很大，有人被困，快来人').urgency.label).toBe('urgent');
      expect(analyzeMessage('建议在小区门口增设公交站').urgency.label).toBe('normal');
    } finally {
      restore();
    }
  });
  it('leaves out a reader the rows hold no labels for', () => {
    const r = trainReaders(rows.map((x) => ({ text: x.text, type: x.type })), { folds: 3 });
    expect(r.urgency).toBeNull();
    expect(r.sentiment).toBeNull();
    expect(r.requestType).not.toBeNull();
  });
  it('fits a threshold of its own for long texts when the long rows hold enough urgent ones, and none otherwise', () => {
    expect(trainUrgencyReader(rows, { folds: 3 }).longThreshold).toBeNull();
    const pad = (t: string) => t.padEnd(URGENCY_LONG_CHARS + 20, '情况说明：我们小区的居民多次反映这个问题，希望有关部门重视。');
    const long: LabelledMessage[] = [];
    for (let i = 0; i < URGENCY_LONG_MIN_URGENT + 2; i++) long.push({ text: pad(`${i}号楼现在着火了，浓烟很大，有老人被困在楼上。`), urgency: 'urgent', fit: false });
    for (let i = 0; i < 40; i++) long.push({ text: pad(`关于${i}号路段绿化和路灯的建议。`), urgency: 'normal', fit: false });
    const r = trainUrgencyReader([...rows, ...long], { folds: 3 });
    expect(r.longThreshold).not.toBeNull();
    expect(r.longThreshold).toBeGreaterThan(0);
    expect(r.longThreshold).toBeLessThanOrEqual(1);
    // and, as some rows are not fitted on, a regression of its own for long texts
    expect(r.longWeights).toHaveLength(URGENCY_FEATURES.length);
    expect(r.longWeights).not.toEqual(r.weights);
    // with every row fitted on, the one regression reads all texts
    expect(trainUrgencyReader([...rows, ...long.map((x) => ({ ...x, fit: true }))], { folds: 3 }).longWeights).toBeNull();
  });
});
