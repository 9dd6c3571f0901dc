// The working-day clock: official holidays and 调休 make-up workdays (one lexicon file per year),
// office hours with a lunch break, all in Asia/Shanghai (fixed UTC+08:00, no DST, no tz library).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { lexiconPath } from '../lexicon-dir';

export const CALENDAR_DIR = lexiconPath('calendar');

const OFFSET_MS = 8 * 3_600_000; // Asia/Shanghai has been UTC+8 all year since 1991
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const dateKeySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').refine((s) => isRealDate(s), 'not a real date');
const hhmmSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM')
  .transform((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3)));

/** One year's arrangement as announced by the State Council (国务院办公厅关于…部分节假日安排的通知). */
export const calendarYearSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    source: z.object({
      title: z.string().min(1),
      document: z.string().min(1).optional(),
      published: dateKeySchema.optional(),
      note: z.string().optional(),
      /** computed by core/cases/provisional-calendar.ts, not announced: deadlines on it are provisional */
      provisional: z.boolean().optional(),
    }),
    /** inclusive ranges of days off (放假), whatever weekday they fall on */
    holidays: z.array(z.object({ name: z.string().min(1), from: dateKeySchema, to: dateKeySchema })).min(1),
    /** weekend days that are worked (调休上班) */
    workdays: z.array(z.object({ date: dateKeySchema, for: z.string().min(1) })),
  })
  .superRefine((cal, ctx) => {
    const seen = new Set<string>();
    cal.holidays.forEach((h, i) => {
      if (h.from > h.to) ctx.addIssue({ code: 'custom', path: ['holidays', i], message: `${h.name}: from ${h.from} is after to ${h.to}` });
      for (const key of [h.from, h.to]) {
        if (!key.startsWith(`${cal.year}-`)) ctx.addIssue({ code: 'custom', path: ['holidays', i], message: `${key} is not in ${cal.year}` });
      }
      for (let d = dayIndexOfKey(h.from); d <= dayIndexOfKey(h.to); d++) seen.add(keyOfDayIndex(d));
    });
    cal.workdays.forEach((w, i) => {
      if (!w.date.startsWith(`${cal.year}-`)) ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `${w.date} is not in ${cal.year}` });
      const wd = weekdayOfDayIndex(dayIndexOfKey(w.date));
      if (wd !== 0 && wd !== 6) ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `${w.date} is a weekday; make-up workdays fall on weekends` });
      if (seen.has(w.date)) ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `${w.date} is both a holiday and a workday` });
    });
  });
export type CalendarYear = z.infer<typeof calendarYearSchema>;

/** Office hours in Shanghai local time; the lunch break is not working time. */
export const officeHoursSchema = z
  .object({
    open: hhmmSchema,
    close: hhmmSchema,
    lunch: z.object({ start: hhmmSchema, end: hhmmSchema }).nullable().default(null),
  })
  .superRefine((h, ctx) => {
    if (h.open >= h.close) ctx.addIssue({ code: 'custom', message: 'open must be before close' });
    if (h.lunch && !(h.open < h.lunch.start && h.lunch.start < h.lunch.end && h.lunch.end < h.close)) {
      ctx.addIssue({ code: 'custom', path: ['lunch'], message: 'lunch must lie strictly inside office hours' });
    }
  });
/** Minutes after local midnight. */
export type OfficeHours = z.infer<typeof officeHoursSchema>;
export type OfficeHoursInput = z.input<typeof officeHoursSchema>;

/** Anhui government offices: 08:30–12:00 and 14:00–17:30 (7 working hours). */
export const DEFAULT_OFFICE_HOURS: OfficeHoursInput = { open: '08:30', close: '17:30', lunch: { start: '12:00', end: '14:00' } };

export class CalendarYearMissingError extends Error {
  constructor(readonly year: number) {
    super(
      `no holiday calendar for ${year} (lexicons/calendar/${year}.json); add it once the State Council announces ${year}'s holidays` +
        ` / ${year}年节假日安排尚未录入`,
    );
    this.name = 'CalendarYearMissingError';
  }
}

// ---- Shanghai local-time helpers: a "day index" counts local days since 1970-01-01 ----

function isRealDate(key: string): boolean {
  const d = new Date(`${key}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === key;
}
function dayIndexOfKey(key: string): number {
  return Math.floor(Date.parse(`${key}T00:00:00Z`) / DAY_MS);
}
function keyOfDayIndex(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
function weekdayOfDayIndex(day: number): number {
  return new Date(day * DAY_MS).getUTCDay(); // 0 = Sunday
}
function dayIndexOf(t: Date): number {
  return Math.floor((t.getTime() + OFFSET_MS) / DAY_MS);
}
/** The instant at `minute` minutes after local midnight of `day`. */
function instantAt(day: number, minute: number): number {
  return day * DAY_MS + minute * MINUTE_MS - OFFSET_MS;
}

/** The local calendar date (YYYY-MM-DD) of an instant in Shanghai. */
export function shanghaiDateKey(t: Date): string {
  return keyOfDayIndex(dayIndexOf(t));
}

/** ISO 8601 with the +08:00 offset, e.g. 2026-02-26T17:30:00+08:00 (milliseconds only when non-zero). */
export function formatShanghai(t: Date): string {
  const ms = t.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid date');
  const iso = new Date(ms + OFFSET_MS).toISOString(); // wall-clock digits, wrongly labelled Z
  const body = ms % 1000 === 0 ? iso.slice(0, 19) : iso.slice(0, 23);
  return `${body}+08:00`;
}

/**
 * Parses an ISO date or date-time; without an explicit offset it is read as Shanghai local time.
 * Returns null when the text is not a valid time.
 */
export function parseShanghai(text: string): Date | null {
  const s = text.trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?)?([zZ]|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return null;
  const [, date, hh = '00', mm = '00', ss = '00', frac = '', zone] = m;
  if (!isRealDate(date)) return null;
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return null;
  const off = zone === undefined ? '+08:00' : zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${date}T${hh}:${mm}:${ss}${frac}${off}`);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** Wall-clock arithmetic: urgent deadlines run around the clock. */
export function addHours(t: Date, hours: number): Date {
  return new Date(t.getTime() + hours * 3_600_000);
}

export interface WorkingCalendarOptions {
  years: CalendarYear[];
  officeHours?: OfficeHoursInput;
}

export class WorkingCalendar {
  readonly officeHours: OfficeHours;
  readonly years: readonly number[];
  private readonly holidays = new Map<string, string>();
  private readonly workdays = new Map<string, string>();
  /** working periods of a day as [startMinute, endMinute) */
  private readonly periods: Array<[number, number]>;

  constructor(opts: WorkingCalendarOptions) {
    this.officeHours = officeHoursSchema.parse(opts.officeHours ?? DEFAULT_OFFICE_HOURS);
    const years = new Set<number>();
    for (const raw of opts.years) {
      const cal = calendarYearSchema.parse(raw);
      if (years.has(cal.year)) throw new Error(`calendar year ${cal.year} given twice`);
      years.add(cal.year);
      for (const h of cal.holidays) {
        for (let d = dayIndexOfKey(h.from); d <= dayIndexOfKey(h.to); d++) this.holidays.set(keyOfDayIndex(d), h.name);
      }
      for (const w of cal.workdays) this.workdays.set(w.date, w.for);
    }
    this.years = [...years].sort((a, b) => a - b);
    const { open, close, lunch } = this.officeHours;
    this.periods = lunch ? [[open, lunch.start], [lunch.end, close]] : [[open, close]];
  }

  /** Working minutes in one full working day (420 with the default hours). */
  get minutesPerDay(): number {
    return this.periods.reduce((sum, [a, b]) => sum + (b - a), 0);
  }

  /** Is the Shanghai local day of `date` (an instant, or a YYYY-MM-DD key) a working day? */
  isWorkday(date: Date | string): boolean {
    return this.isWorkdayIndex(typeof date === 'string' ? dayIndexOfKey(dateKeySchema.parse(date)) : dayIndexOf(date));
  }

  /** Why a day is off or on, for display: '春节', '春节 调休上班', '周末', '工作日'. */
  describeDay(date: Date | string): string {
    const day = typeof date === 'string' ? dayIndexOfKey(dateKeySchema.parse(date)) : dayIndexOf(date);
    this.requireYear(day);
    const key = keyOfDayIndex(day);
    const holiday = this.holidays.get(key);
    if (holiday) return holiday;
    const workday = this.workdays.get(key);
    if (workday) return `${workday} 调休上班`;
    const wd = weekdayOfDayIndex(day);
    return wd === 0 || wd === 6 ? '周末' : '工作日';
  }

  /**
   * A deadline of N working days from t ends at the close of office hours on the Nth working day
   * after the (local) day of t, whatever the time of day t was. N must be a positive integer.
   */
  addWorkingDays(t: Date, n: number): Date {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`working days must be a positive integer, got ${n}`);
    let day = dayIndexOf(t);
    this.requireYear(day); // a start in an unannounced year is as unknown as an end in one
    for (let left = n; left > 0; ) {
      day += 1;
      if (this.isWorkdayIndex(day)) left -= 1;
    }
    return new Date(instantAt(day, this.officeHours.close));
  }

  /** The instant `minutes` working minutes after t; landing exactly on a break or the close returns that boundary. */
  addWorkingMinutes(t: Date, minutes: number): Date {
    if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`working minutes must be >= 0, got ${minutes}`);
    let left = minutes * MINUTE_MS;
    let now = t.getTime();
    this.requireYear(dayIndexOf(t));
    if (left === 0) return new Date(now);
    for (let day = dayIndexOf(t); ; day++) {
      if (!this.isWorkdayIndex(day)) continue;
      for (const [a, b] of this.periods) {
        const start = Math.max(now, instantAt(day, a));
        const end = instantAt(day, b);
        if (start >= end) continue;
        if (end - start >= left) return new Date(start + left);
        left -= end - start;
        now = end;
      }
    }
  }

  /** Working minutes in [a, b); negative when b is before a. */
  workingMinutesBetween(a: Date, b: Date): number {
    if (b.getTime() < a.getTime()) return -this.workingMinutesBetween(b, a);
    let total = 0;
    const from = a.getTime();
    const to = b.getTime();
    for (let day = dayIndexOf(a); day <= dayIndexOf(b); day++) {
      if (!this.isWorkdayIndex(day)) continue;
      for (const [p, q] of this.periods) {
        const start = Math.max(from, instantAt(day, p));
        const end = Math.min(to, instantAt(day, q));
        if (end > start) total += end - start;
      }
    }
    return total / MINUTE_MS;
  }

  /** Is t inside office hours on a working day (not at lunch)? */
  isWorkingTime(t: Date): boolean {
    const day = dayIndexOf(t);
    if (!this.isWorkdayIndex(day)) return false;
    const ms = t.getTime();
    return this.periods.some(([a, b]) => ms >= instantAt(day, a) && ms < instantAt(day, b));
  }

  /** Wall-clock hours, for urgent cases. */
  addHours(t: Date, hours: number): Date {
    return addHours(t, hours);
  }

  private requireYear(day: number): void {
    const year = Number(keyOfDayIndex(day).slice(0, 4));
    if (!this.years.includes(year)) throw new CalendarYearMissingError(year);
  }

  private isWorkdayIndex(day: number): boolean {
    this.requireYear(day);
    const key = keyOfDayIndex(day);
    if (this.holidays.has(key)) return false;
    if (this.workdays.has(key)) return true;
    const wd = weekdayOfDayIndex(day);
    return wd !== 0 && wd !== 6;
  }
}

/** Reads and validates every lexicons/calendar/<year>.json; the file name must match its year. */
export function loadCalendarYears(dir: string = CALENDAR_DIR): CalendarYear[] {
  const files = readdirSync(dir).filter((f) => /^\d{4}\.json$/.test(f)).sort();
  return files.map((f) => {
    const file = path.join(dir, f);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const parsed = calendarYearSchema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new Error(`${file}: ${first?.path.join('.') || '(root)'}: ${first?.message}`);
    }
    if (`${parsed.data.year}.json` !== f) throw new Error(`${file}: says year ${parsed.data.year}`);
    return parsed.data;
  });
}

export function loadWorkingCalendar(opts: { dir?: string; officeHours?: OfficeHoursInput } = {}): WorkingCalendar {
  return new WorkingCalendar({ years: loadCalendarYears(opts.dir), officeHours: opts.officeHours });
}
