// Labelled files with their text, and labels by id whose texts come from --texts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLabelledFiles, readTextsById } from './labelled-files';

const dir = mkdtempSync(path.join(tmpdir(), 'minsheng-labelled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, body: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, body);
  return f;
};

describe('labelled files', () => {
  const withText = file('with-text.csv', 'text,type,urgency\n小区停水三天了,求助,urgent\n建议增开公交线路, 建议 ,\n');
  const texts = file('texts.csv', 'id,subject,detail\n7,路灯不亮,幸福路路灯坏了一个月\n8,咨询公积金,外地公积金能否贷款\n');
  const byId = file('by-id.csv', 'id,type,sentiment\n8,咨询,neutral\n7,求助,negative\n');

  it('reads rows with their text; empty labels stay unset, cells are trimmed', () => {
    const rows = readLabelledFiles([withText]);
    expect(rows).toEqual([
      { text: '小区停水三天了', type: '求助', urgency: 'urgent', sentiment: undefined, file: withText },
      { text: '建议增开公交线路', type: '建议', urgency: undefined, sentiment: undefined, file: withText },
    ]);
  });

  it('joins labels by id to the texts of another file (subject + detail)', () => {
    const rows = readLabelledFiles([byId, withText], { texts: readTextsById(texts) });
    expect(rows.map((r) => [r.text, r.type, r.sentiment])).toEqual([
      ['咨询公积金外地公积金能否贷款', '咨询', 'neutral'],
      ['路灯不亮幸福路路灯坏了一个月', '求助', 'negative'],
      ['小区停水三天了', '求助', undefined],
      ['建议增开公交线路', '建议', undefined],
    ]);
  });

  it('says what is missing: the --texts file, an id without text, a label column', () => {
    expect(() => readLabelledFiles([byId])).toThrow(/labels by id only: give --texts/);
    const stray = file('stray.csv', 'id,type\n9,投诉\n');
    expect(() => readLabelledFiles([stray], { texts: readTextsById(texts) })).toThrow(/no text for id 9/);
    const noLabels = file('no-labels.csv', 'id,text\n1,停水\n');
    expect(() => readLabelledFiles([noLabels])).toThrow(/needs one of the columns type, urgency, sentiment/);
    expect(() => readTextsById(byId)).toThrow(/--texts needs columns id and text/);
  });
});
