import { describe, expect, it } from 'vitest';
import { calendarYearSchema, loadCalendarYears, WorkingCalendar, type CalendarYear } from './calendar';
import { provisionalCalendarYear, statutoryDays } from './provisional-calendar';

const DAY_MS = 86_400_000;
function daysOff(cal: CalendarYear): Set<string> {
  const out = new Set<string>();
  for (const h of cal.holidays) {
    for (let t = Date.parse(`${h.from}T00:00:00Z`); t <= Date.parse(`${h.to}T00:00:00Z`); t += DAY_MS) out.add(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}
/** Every day of the year that is not worked, weekends included: what deadlines see. */
function nonWorkingDays(cal: CalendarYear): string[] {
  const wc = new WorkingCalendar({ years: [cal] });
  const out: string[] = [];
  for (let t = Date.UTC(cal.year, 0, 1); t < Date.UTC(cal.year + 1, 0, 1); t += DAY_MS) {
    const key = new Date(t).toISOString().slice(0, 10);
    if (!wc.isWorkday(key)) out.push(key);
  }
  return out;
}

describe('provisional holiday calendar', () => {
  const official = loadCalendarYears();

  it.each(official.map((c) => [c.year, c] as const))('reproduces the State Council notice for %i day for day', (_year, cal) => {
    const mine = provisionalCalendarYear(cal.year);
    expect(nonWorkingDays(mine)).toEqual(nonWorkingDays(cal));
    expect(mine.workdays.map((w) => w.date)).toEqual(cal.workdays.map((w) => w.date));
  });

  it('is a valid calendar file marked provisional', () => {
    for (const year of [2027, 2028, 2029, 2030, 2031]) {
      const cal = calendarYearSchema.parse(provisionalCalendarYear(year));
      expect(cal.source.provisional).toBe(true);
      expect(cal.year).toBe(year);
    }
  });

  it('takes the lunar and solar-term dates from the library (2027: 除夕 Feb 5, 清明 Apr 5, 端午 Jun 9, 中秋 Sep 15)', () => {
    const s = statutoryDays(2027);
    expect(s.春节).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']);
    expect(s.清明节).toEqual(['2027-04-05']);
    expect(s.端午节).toEqual(['2027-06-09']);
    expect(s.中秋节).toEqual(['2027-09-15']);
    const s28 = statutoryDays(2028);
    expect(s28.春节).toEqual(['2028-01-25', '2028-01-26', '2028-01-27', '2028-01-28']);
    expect(s28.清明节).toEqual(['2028-04-04']);
    expect(s28.端午节).toEqual(['2028-05-28']);
    expect(s28.中秋节).toEqual(['2028-10-03']);
  });

  it.each([2027, 2028, 2029, 2030])('never counts a statutory day of %i as a working day', (year) => {
    const wc = new WorkingCalendar({ years: [provisionalCalendarYear(year)] });
    for (const [name, days] of Object.entries(statutoryDays(year))) {
      for (const day of days) expect(wc.isWorkday(day), `${name} ${day}`).toBe(false);
    }
  });

  it('2027: Spring Festival Feb 5–8 is off, the 8-day block is worked back on two weekend days', () => {
    const cal = provisionalCalendarYear(2027);
    const off = daysOff(cal);
    for (const d of ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-12']) expect(off.has(d)).toBe(true);
    const wc = new WorkingCalendar({ years: [cal] });
    const springMakeups = cal.workdays.filter((w) => w.for === '春节').map((w) => w.date);
    expect(springMakeups).toHaveLength(2);
    for (const d of springMakeups) expect(wc.isWorkday(d)).toBe(true);
    // 国庆 Oct 1–7 (Fri–Thu), 中秋 on a Wednesday stays one day
    expect(wc.isWorkday('2027-09-15')).toBe(false);
    expect(wc.isWorkday('2027-09-16')).toBe(true);
    for (let d = 1; d <= 7; d++) expect(wc.isWorkday(`2027-10-0${d}`)).toBe(false);
    expect(wc.isWorkday('2027-10-08')).toBe(true);
  });

  it('2028: 中秋 on Oct 3 joins 国庆 for an 8-day holiday', () => {
    const cal = provisionalCalendarYear(2028);
    expect(cal.holidays.find((h) => h.name === '国庆节、中秋节')).toEqual({ name: '国庆节、中秋节', from: '2028-10-01', to: '2028-10-08' });
  });

  it('refuses years before the 2024 revision', () => {
    expect(() => provisionalCalendarYear(2024)).toThrow(/2025/);
  });
});

describe('provisional make-up days', () => {
  it('a third make-up day on one side goes to the nearest free weekend day (2028 劳动节: Sun Apr 23, not Sat Apr 22)', () => {
    const labour = provisionalCalendarYear(2028).workdays.filter((w) => w.for === '劳动节').map((w) => w.date);
    expect(labour).toEqual(['2028-04-23', '2028-04-29', '2028-05-06']);
  });
});
