import { describe, expect, it } from 'vitest';
import { withoutLeadingTitle } from './leading-title';

describe('withoutLeadingTitle', () => {
  it('takes the title and its joining 。 off the analysed text', () => {
    expect(withoutLeadingTitle('井盖松动', '井盖松动。中山南路的井盖松动，请维修。')).toBe('中山南路的井盖松动，请维修。');
  });
  it('matches a title the analyser normalised (full-width letters and digits)', () => {
    expect(withoutLeadingTitle('３号楼停水', '3号楼停水。已经两天没水了。')).toBe('已经两天没水了。');
  });
  it('leaves a text that does not start with the title, and a title cut from the text mid-sentence', () => {
    expect(withoutLeadingTitle('路灯不亮', '湾里路路灯不亮已经一周。')).toBe('湾里路路灯不亮已经一周。');
    expect(withoutLeadingTitle('湾里路路灯', '湾里路路灯不亮已经一周。')).toBe('湾里路路灯不亮已经一周。');
    expect(withoutLeadingTitle(null, '正文')).toBe('正文');
  });
  it('never empties a text that is only its title', () => {
    expect(withoutLeadingTitle('路灯不亮', '路灯不亮')).toBe('路灯不亮');
  });
});
