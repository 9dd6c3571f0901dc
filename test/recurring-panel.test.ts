// 每月一题's line for one problem, rendered as the cockpit shows it: "连续 N 周" only when it says
// more than "M 周中有 N 周出现" (a problem seen every week looked back on says it once).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RecurringPanel, type RecurringItem } from '../dashboard/src/charts/RecurringPanel';

const problem = (weeks: number, longestRun: number): RecurringItem => ({
  topicId: 7, label: '农贸市场门口垃圾堆积', place: '官陡街道', district: '鸠江区', weeks, longestRun, messages: 9, caseCount: 0, cases: [],
});
const text = (item: RecurringItem, lookbackWeeks: number) =>
  renderToStaticMarkup(createElement(RecurringPanel, { items: [item], lookbackWeeks })).replace(/<[^>]+>/g, '');

describe('每月一题: weeks seen and the longest run', () => {
  it('names the run when it says more than the weeks seen', () => {
    expect(text(problem(6, 6), 13)).toMatch(/连续 6 周.*13 周中有 6 周出现/);
    expect(text(problem(5, 3), 8)).toMatch(/连续 3 周.*8 周中有 5 周出现/);
  });
  it('says it once when the problem was seen every week looked back on', () => {
    const t = text(problem(4, 4), 4);
    expect(t).toContain('4 周中有 4 周出现');
    expect(t).not.toContain('连续');
    expect(t).toContain('9 条留言');
  });
  it('shows no run under three weeks', () => {
    expect(text(problem(3, 2), 8)).not.toContain('连续');
  });
});
