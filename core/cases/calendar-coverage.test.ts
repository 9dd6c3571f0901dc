import { describe, expect, it } from 'vitest';
import { loadCalendarYears, WorkingCalendar } from './calendar';
import { calendarWarnings, provisionalCalendarYears, provisionalNote, stillProvisional } from './calendar-coverage';
import { provisionalCalendarYear } from './provisional-calendar';

describe('calendar coverage', () => {
  const cal = new WorkingCalendar({ years: loadCalendarYears() }); // 2025 and 2026 official
  it('is quiet while the horizon stays inside official years', () => {
    expect(provisionalCalendarYears(cal, new Date('2026-06-01T00:00:00+08:00'))).toEqual([]);
    expect(calendarWarnings(cal, new Date('2026-06-01T00:00:00+08:00'))).toEqual([]);
  });
  it('names the next year as provisional once deadlines can reach it', () => {
    expect(provisionalCalendarYears(cal, new Date('2026-11-23T10:00:00+08:00'))).toEqual([2027]);
    const [w] = calendarWarnings(cal, new Date('2026-11-23T10:00:00+08:00'));
    expect(w).toMatch(/2027\.json/);
    expect(w).toMatch(/provisional/);
    expect(w).toContain('calendar import');
    expect(w).not.toMatch(/held/);
  });
  it('counts the year in Shanghai time', () => {
    // 2026-12-31T17:00Z is already 2027-01-01 in Shanghai
    expect(provisionalCalendarYears(cal, new Date('2026-12-31T17:00:00Z'), 0)).toEqual([2027]);
  });
  it('a year with its official file is not provisional', () => {
    const with2027 = new WorkingCalendar({ years: [...loadCalendarYears(), { year: 2027, source: { title: 'stand-in' }, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }], workdays: [] }] });
    expect(provisionalCalendarYears(with2027, new Date('2026-11-23T10:00:00+08:00'))).toEqual([]);
  });
});

describe('the 暂定 note', () => {
  it('names only years that are still provisional: it does not outlive the official file', () => {
    const without = new WorkingCalendar({ years: loadCalendarYears() });
    expect(provisionalNote(stillProvisional([2027], without))).toBe('暂定：2027年节假日安排尚未公布，期限按法定节假日推算');
    // a stand-in official 2027 (the same days, without the provisional mark)
    const p = provisionalCalendarYear(2027);
    const official2027 = { ...p, source: { title: '国务院办公厅关于2027年部分节假日安排的通知' } };
    const withFile = new WorkingCalendar({ years: [...loadCalendarYears(), official2027] });
    expect(stillProvisional([2027], withFile)).toEqual([]);
    expect(provisionalNote(stillProvisional([2027], withFile))).toBeNull();
  });
});
