import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CalendarYearMissingError,
  formatShanghai,
  loadCalendarYears,
  loadWorkingCalendar,
  parseShanghai,
  refreshWorkingCalendar,
  shanghaiDateKey,
  WorkingCalendar,
} from './calendar';
import { seededRandom } from '../util/seeded-random';

const cal = loadWorkingCalendar(); // default hours 08:30–12:00, 14:00–17:30
const t = (s: string): Date => {
  const d = parseShanghai(s);
  if (!d) throw new Error(`bad test time ${s}`);
  return d;
};
const f = formatShanghai;

describe('holiday data', () => {
  const years = loadCalendarYears();

  it('has 2025 and 2026, each naming its State Council notice', () => {
    expect(years.map((y) => y.year)).toEqual([2025, 2026]);
    for (const y of years) expect(y.source.title).toBe(`国务院办公厅关于${y.year}年部分节假日安排的通知`);
  });

  it('counts the announced days off and make-up workdays', () => {
    const count = (year: number) => {
      let off = 0;
      for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d = new Date(d.getTime() + 86_400_000)) {
        const key = d.toISOString().slice(0, 10);
        if (cal.describeDay(key) !== '工作日' && cal.describeDay(key) !== '周末' && !cal.isWorkday(key)) off++;
      }
      return off;
    };
    expect(count(2025)).toBe(1 + 8 + 3 + 5 + 3 + 8); // 28
    expect(count(2026)).toBe(3 + 9 + 3 + 5 + 3 + 3 + 7); // 33
    expect(years[0].workdays.map((w) => w.date)).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    expect(years[1].workdays.map((w) => w.date)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });

  it('knows holidays, weekends and 调休 make-up workdays', () => {
    expect(cal.isWorkday('2026-02-14')).toBe(true); // Saturday, 春节 make-up
    expect(cal.isWorkday('2026-02-28')).toBe(true); // Saturday, 春节 make-up
    expect(cal.isWorkday('2026-01-04')).toBe(true); // Sunday, 元旦 make-up
    expect(cal.isWorkday('2025-01-26')).toBe(true); // Sunday
    expect(cal.isWorkday('2025-10-11')).toBe(true); // Saturday
    expect(cal.isWorkday('2026-02-23')).toBe(false); // Monday, last day of 春节
    expect(cal.isWorkday('2025-10-08')).toBe(false); // Wednesday, 国庆+中秋
    expect(cal.isWorkday('2026-03-07')).toBe(false); // ordinary Saturday
    expect(cal.isWorkday('2026-03-06')).toBe(true); // ordinary Friday
    expect(cal.describeDay('2026-02-14')).toBe('春节 调休上班');
    expect(cal.describeDay('2025-10-03')).toBe('国庆节、中秋节');
  });

  it('judges the day in Shanghai, not in UTC', () => {
    // 2026-03-06T20:00Z is Saturday 04:00 in Shanghai
    expect(cal.isWorkday(new Date('2026-03-06T20:00:00Z'))).toBe(false);
    expect(shanghaiDateKey(new Date('2026-03-06T20:00:00Z'))).toBe('2026-03-07');
    // Thursday 20:00Z is Friday 04:00 in Shanghai: 1 working day ends Monday, not Friday
    expect(f(cal.addWorkingDays(new Date('2026-03-05T20:00:00Z'), 1))).toBe('2026-03-09T17:30:00+08:00');
  });

  it('rejects invalid files with the field named', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cal-'));
    writeFileSync(
      path.join(dir, '2030.json'),
      JSON.stringify({ year: 2030, source: { title: 'x' }, holidays: [{ name: 'a', from: '2030-01-01', to: '2030-01-01' }], workdays: [{ date: '2030-01-02', for: 'a' }] }),
    );
    expect(() => loadCalendarYears(dir)).toThrow(/workdays\.0: 2030-01-02 is a weekday/);
    writeFileSync(
      path.join(dir, '2030.json'),
      JSON.stringify({ year: 2031, source: { title: 'x' }, holidays: [{ name: 'a', from: '2031-01-01', to: '2031-01-01' }], workdays: [] }),
    );
    expect(() => loadCalendarYears(dir)).toThrow(/says year 2031/);
  });
});

describe('addWorkingDays: close of office hours on the Nth working day after the day of t', () => {
  it('spans Spring Festival 2026 with its Saturday make-up day', () => {
    // 2/13 Fri, 2/14 Sat (make-up), 2/15–2/23 off, 2/24, 2/25, 2/26
    expect(f(cal.addWorkingDays(t('2026-02-12T10:00'), 5))).toBe('2026-02-26T17:30:00+08:00');
    expect(f(cal.addWorkingDays(t('2026-02-12T10:00'), 2))).toBe('2026-02-14T17:30:00+08:00');
    expect(f(cal.addWorkingDays(t('2026-02-12T10:00'), 3))).toBe('2026-02-24T17:30:00+08:00');
  });

  it('lands on a Saturday make-up workday', () => {
    expect(f(cal.addWorkingDays(t('2026-02-13T09:00'), 1))).toBe('2026-02-14T17:30:00+08:00');
    expect(f(cal.addWorkingDays(t('2026-02-27T16:00'), 1))).toBe('2026-02-28T17:30:00+08:00');
    expect(f(cal.addWorkingDays(t('2025-10-10T10:00'), 1))).toBe('2025-10-11T17:30:00+08:00');
  });

  it('skips the 8-day 国庆+中秋 holiday of 2025 and counts Sunday 9/28', () => {
    expect(f(cal.addWorkingDays(t('2025-09-26T10:00'), 1))).toBe('2025-09-28T17:30:00+08:00'); // Fri → Sun make-up
    expect(f(cal.addWorkingDays(t('2025-09-30T16:00'), 1))).toBe('2025-10-09T17:30:00+08:00');
    expect(f(cal.addWorkingDays(t('2025-09-29T09:00'), 3))).toBe('2025-10-10T17:30:00+08:00'); // 9/30, 10/9, 10/10
    expect(f(cal.addWorkingDays(t('2025-10-03T12:00'), 1))).toBe('2025-10-09T17:30:00+08:00'); // start inside the holiday
  });

  it('from a Friday afternoon or evening, N=1 is Monday close', () => {
    expect(f(cal.addWorkingDays(t('2026-03-06T16:00'), 1))).toBe('2026-03-09T17:30:00+08:00');
    expect(f(cal.addWorkingDays(t('2026-03-06T21:45'), 1))).toBe('2026-03-09T17:30:00+08:00');
    // unless Monday is a holiday: 清明 2026 is Sat 4/4 – Mon 4/6
    expect(f(cal.addWorkingDays(t('2026-04-03T16:00'), 1))).toBe('2026-04-07T17:30:00+08:00');
  });

  it('after closing, before opening and on a weekend', () => {
    expect(f(cal.addWorkingDays(t('2026-03-04T19:00'), 1))).toBe('2026-03-05T17:30:00+08:00');
    expect(f(cal.addWorkingDays(t('2026-03-04T07:00'), 1))).toBe('2026-03-05T17:30:00+08:00');
    expect(f(cal.addWorkingDays(t('2026-03-08T10:00'), 1))).toBe('2026-03-09T17:30:00+08:00'); // Sunday
  });

  it('crosses New Year 2025 → 2026 with the 元旦 make-up Sunday', () => {
    // 12/31 Wed; 1/1–1/3 off; 1/4 Sunday make-up; 1/5 Mon
    expect(f(cal.addWorkingDays(t('2025-12-30T10:00'), 2))).toBe('2026-01-04T17:30:00+08:00');
    expect(f(cal.addWorkingDays(t('2025-12-30T10:00'), 3))).toBe('2026-01-05T17:30:00+08:00');
  });

  it('a strict calendar (provisional: false) refuses a year without a file, naming it', () => {
    const strict = new WorkingCalendar({ years: loadCalendarYears(), provisional: false });
    expect(() => strict.addWorkingDays(t('2026-12-30T10:00'), 3)).toThrow(CalendarYearMissingError);
    expect(() => strict.addWorkingDays(t('2026-12-30T10:00'), 3)).toThrow(/2027/);
    expect(() => strict.isWorkday('2027-01-04')).toThrow(/2027/);
    const err = (() => {
      try {
        strict.isWorkday(t('2027-03-01T10:00'));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CalendarYearMissingError);
    expect((err as CalendarYearMissingError).year).toBe(2027);
    expect(f(strict.addWorkingDays(t('2026-12-29T10:00'), 2))).toBe('2026-12-31T17:30:00+08:00'); // still inside 2026
    expect(strict.isProvisionalYear(2027)).toBe(false);
  });

  it('counts a year without a file on the provisional calendar, and says so', () => {
    // 12/31 Thu; 2027: 元旦 Fri 1/1 joins the weekend (1/1–1/3 off); Mon 1/4, Tue 1/5
    expect(f(cal.addWorkingDays(t('2026-12-30T10:00'), 3))).toBe('2027-01-05T17:30:00+08:00');
    expect(cal.isWorkday('2027-01-04')).toBe(true);
    expect(cal.describeDay('2027-01-01')).toBe('元旦');
    expect(cal.years).toEqual([2025, 2026]);
    expect(cal.isProvisionalYear(2026)).toBe(false);
    expect(cal.isProvisionalYear(2027)).toBe(true);
    expect(cal.provisionalYearsBetween(t('2026-12-30T10:00'), t('2027-01-05T17:30'))).toEqual([2027]);
    expect(cal.provisionalYearsBetween(t('2026-12-01T10:00'), t('2026-12-31T17:30'))).toEqual([]);
    expect(cal.provisionalYearsBetween(t('2027-12-30T10:00'), t('2028-01-05T17:30'))).toEqual([2027, 2028]);
  });

  it('still refuses a year no rule counts (before 2025 or after 2100), naming it', () => {
    expect(() => cal.addWorkingDays(t('2024-12-31T10:00'), 1)).toThrow(CalendarYearMissingError);
    expect(() => cal.addWorkingDays(t('2024-12-31T10:00'), 1)).toThrow(/2024/);
    expect(() => cal.isWorkday('2101-01-04')).toThrow(/2101/);
    expect(cal.isProvisionalYear(2024)).toBe(false);
    expect(cal.isProvisionalYear(2101)).toBe(false);
  });

  it('an official year replaces the provisional one in place', () => {
    const live = new WorkingCalendar({ years: loadCalendarYears() });
    expect(f(live.addWorkingDays(t('2026-12-31T10:00'), 1))).toBe('2027-01-04T17:30:00+08:00');
    live.setYears([...loadCalendarYears(), { year: 2027, source: { title: 'stand-in' }, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-04' }], workdays: [] }]);
    expect(live.isProvisionalYear(2027)).toBe(false);
    expect(live.years).toEqual([2025, 2026, 2027]);
    expect(f(live.addWorkingDays(t('2026-12-31T10:00'), 1))).toBe('2027-01-05T17:30:00+08:00');
  });

  it('rejects non-positive or fractional N', () => {
    expect(() => cal.addWorkingDays(t('2026-03-04T10:00'), 0)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(t('2026-03-04T10:00'), 1.5)).toThrow(RangeError);
  });

  it('uses configured office hours', () => {
    const plain = new WorkingCalendar({ years: loadCalendarYears(), officeHours: { open: '09:00', close: '17:00', lunch: null } });
    expect(plain.minutesPerDay).toBe(480);
    expect(f(plain.addWorkingDays(t('2026-03-06T16:00'), 1))).toBe('2026-03-09T17:00:00+08:00');
    expect(f(plain.addWorkingMinutes(t('2026-03-09T11:30'), 60))).toBe('2026-03-09T12:30:00+08:00');
    expect(() => new WorkingCalendar({ years: [], officeHours: { open: '09:00', close: '17:00', lunch: { start: '08:00', end: '10:00' } } })).toThrow();
  });
});

describe('working minutes honour office hours and lunch', () => {
  it('counts a full day as 420 minutes and skips lunch', () => {
    expect(cal.minutesPerDay).toBe(420);
    expect(cal.workingMinutesBetween(t('2026-03-02T08:00'), t('2026-03-02T20:00'))).toBe(420);
    expect(cal.workingMinutesBetween(t('2026-03-02T11:30'), t('2026-03-02T14:30'))).toBe(60);
    expect(cal.workingMinutesBetween(t('2026-03-02T12:10'), t('2026-03-02T13:50'))).toBe(0);
    expect(cal.workingMinutesBetween(t('2026-03-02T14:30'), t('2026-03-02T11:30'))).toBe(-60);
    // Fri 2/13 + Sat 2/14 (make-up) + Tue 2/24 across Spring Festival
    expect(cal.workingMinutesBetween(t('2026-02-13T08:30'), t('2026-02-24T17:30'))).toBe(3 * 420);
  });

  it('adds working minutes across lunch, evenings, weekends and holidays', () => {
    expect(f(cal.addWorkingMinutes(t('2026-03-02T11:30'), 60))).toBe('2026-03-02T14:30:00+08:00');
    expect(f(cal.addWorkingMinutes(t('2026-03-02T11:00'), 60))).toBe('2026-03-02T12:00:00+08:00'); // ends on the break
    expect(f(cal.addWorkingMinutes(t('2026-03-02T12:30'), 30))).toBe('2026-03-02T14:30:00+08:00'); // starts at lunch
    expect(f(cal.addWorkingMinutes(t('2026-03-06T17:00'), 60))).toBe('2026-03-09T09:00:00+08:00'); // Friday → Monday
    expect(f(cal.addWorkingMinutes(t('2026-02-13T17:00'), 60))).toBe('2026-02-14T09:00:00+08:00'); // → make-up Saturday
    expect(f(cal.addWorkingMinutes(t('2026-02-14T17:00'), 60))).toBe('2026-02-24T09:00:00+08:00'); // over Spring Festival
    expect(f(cal.addWorkingMinutes(t('2026-03-02T10:00'), 0))).toBe('2026-03-02T10:00:00+08:00');
    expect(cal.isWorkingTime(t('2026-03-02T12:30'))).toBe(false);
    expect(cal.isWorkingTime(t('2026-03-02T14:00'))).toBe(true);
  });

  it('addWorkingMinutes and workingMinutesBetween agree (seeded)', () => {
    const rnd = seededRandom(20260212);
    const base = t('2025-01-02T00:00').getTime();
    for (let i = 0; i < 2000; i++) {
      const start = new Date(base + Math.floor(rnd() * 600 * 86_400_000));
      const minutes = Math.floor(rnd() * 5 * 420);
      const end = cal.addWorkingMinutes(start, minutes);
      expect(cal.workingMinutesBetween(start, end)).toBeCloseTo(minutes, 6);
      const n = 1 + Math.floor(rnd() * 15);
      const due = cal.addWorkingDays(start, n);
      expect(cal.isWorkday(due)).toBe(true);
      expect(f(due).slice(11, 19)).toBe('17:30:00');
      // exactly n working days lie after the day of start, up to and including the due day
      let count = 0;
      for (let d = new Date(t(`${shanghaiDateKey(start)}T12:00`).getTime() + 86_400_000); d <= due; d = new Date(d.getTime() + 86_400_000)) {
        if (cal.isWorkday(d)) count++;
      }
      expect(count).toBe(n);
    }
  });
});

describe('formatting and parsing', () => {
  it('prints +08:00', () => {
    expect(f(new Date('2026-02-26T09:30:00Z'))).toBe('2026-02-26T17:30:00+08:00');
    expect(f(new Date('2026-02-26T16:30:00.250Z'))).toBe('2026-02-27T00:30:00.250+08:00');
  });
  it('reads times without an offset as Shanghai time', () => {
    expect(parseShanghai('2026-02-12')?.toISOString()).toBe('2026-02-11T16:00:00.000Z');
    expect(parseShanghai('2026-02-12T10:00')?.toISOString()).toBe('2026-02-12T02:00:00.000Z');
    expect(parseShanghai('2026-02-12T10:00:00Z')?.toISOString()).toBe('2026-02-12T10:00:00.000Z');
    expect(parseShanghai('2026-02-12T10:00:00+0800')?.toISOString()).toBe('2026-02-12T02:00:00.000Z');
    expect(parseShanghai('2026-02-30')).toBeNull();
    expect(parseShanghai('tomorrow')).toBeNull();
  });
});

describe('refreshWorkingCalendar', () => {
  it('swaps in a new or changed year file, and keeps the calendar when the folder does not validate', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cal-refresh-'));
    for (const y of loadCalendarYears()) writeFileSync(path.join(dir, `${y.year}.json`), JSON.stringify(y));
    const live = loadWorkingCalendar({ dir });
    expect(refreshWorkingCalendar(live)).toEqual({ changed: false, nowOfficial: [] });
    expect(live.isProvisionalYear(2027)).toBe(true);
    expect(live.isWorkday('2027-01-04')).toBe(true); // provisional: 元旦 is Fri 1/1 to Sun 1/3
    writeFileSync(path.join(dir, '2027.json'), JSON.stringify({ year: 2027, source: { title: 'stand-in' }, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-04' }], workdays: [] }));
    expect(refreshWorkingCalendar(live)).toEqual({ changed: true, nowOfficial: [2027] });
    expect(live.isWorkday('2027-01-04')).toBe(false);
    // a corrected file for a year already official: changed, nothing newly official
    writeFileSync(path.join(dir, '2027.json'), JSON.stringify({ year: 2027, source: { title: 'stand-in' }, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }], workdays: [] }));
    expect(refreshWorkingCalendar(live)).toEqual({ changed: true, nowOfficial: [] });
    expect(live.isWorkday('2027-01-04')).toBe(true);
    // a broken file: the error names it and the calendar stays as it was
    writeFileSync(path.join(dir, '2028.json'), JSON.stringify({ year: 2028, source: { title: 'x' }, holidays: [], workdays: [] }));
    expect(() => refreshWorkingCalendar(live)).toThrow(/2028\.json: holidays/);
    expect(live.years).toEqual([2025, 2026, 2027]);
    expect(live.isProvisionalYear(2028)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a file marked provisional is refused in the folder', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cal-prov-'));
    writeFileSync(path.join(dir, '2027.json'), JSON.stringify({ year: 2027, source: { title: 'x', provisional: true }, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }], workdays: [] }));
    expect(() => loadCalendarYears(dir)).toThrow(/source\.provisional/);
    rmSync(dir, { recursive: true, force: true });
  });
});
