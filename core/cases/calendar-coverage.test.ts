import { describe, expect, it } from 'vitest';
import { calendarWarnings, missingCalendarYears } from './calendar-coverage';

describe('calendar coverage', () => {
  const cal = { years: [2025, 2026] };
  it('is quiet while the horizon stays inside known years', () => {
    expect(missingCalendarYears(cal, new Date('2026-06-01T00:00:00+08:00'))).toEqual([]);
  });
  it('names the next year once deadlines can reach it', () => {
    expect(missingCalendarYears(cal, new Date('2026-11-23T10:00:00+08:00'))).toEqual([2027]);
    expect(calendarWarnings(cal, new Date('2026-11-23T10:00:00+08:00'))[0]).toMatch(/2027\.json/);
  });
  it('counts the year in Shanghai time', () => {
    // 2026-12-31T17:00Z is already 2027-01-01 in Shanghai
    expect(missingCalendarYears(cal, new Date('2026-12-31T17:00:00Z'), 0)).toEqual([2027]);
  });
});
