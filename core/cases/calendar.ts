// The working-day clock: official holidays and 调休 make-up workdays (one lexicon file per year),
// office hours with a lunch break, all in Asia/Shanghai (fixed UTC+08:00, no DST, no tz library).
// A year without an official file is filled with the provisional year (provisional-calendar.ts),
// and the calendar says which years those are, so every deadline counted on one is marked provisional.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { readFolder, shippedPath } from '../shipped/store';
import { provisionalCalendarYear } from './provisional-calendar';

export const CALENDAR_DIR = shippedPath('calendar');

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

/** Years a provisional calendar can stand in for: those under the 2024 revision of the holiday rules. */
export const PROVISIONAL_YEARS = { first: 2025, last: 2100 } as const;

/** Only for a year outside PROVISIONAL_YEARS with no file: no rule to count its holidays by. */
export class CalendarYearMissingError extends Error {
  constructor(readonly year: number) {
    super(
      `no holiday calendar for ${year} (lexicons/calendar/${year}.json), and ${year} is outside the years a provisional calendar covers ` +
        `(${PROVISIONAL_YEARS.first}–${PROVISIONAL_YEARS.last}) / ${year}年节假日安排无法推算`,
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
function yearOfDayIndex(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}
function addYear(cal: CalendarYear, holidays: Map<string, string>, workdays: Map<string, string>): void {
  for (const h of cal.holidays) {
    for (let d = dayIndexOfKey(h.from); d <= dayIndexOfKey(h.to); d++) holidays.set(keyOfDayIndex(d), h.name);
  }
  for (const w of cal.workdays) workdays.set(w.date, w.for);
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
  /** fill years without a file from provisionalCalendarYear (default true); false: such years throw CalendarYearMissingError */
  provisional?: boolean;
}

export class WorkingCalendar {
  readonly officeHours: OfficeHours;
  private official: number[] = [];
  /** years filled with the provisional calendar so far (filled on first use) */
  private readonly filled = new Set<number>();
  private readonly fillProvisional: boolean;
  private holidays = new Map<string, string>();
  private workdays = new Map<string, string>();
  /** working periods of a day as [startMinute, endMinute) */
  private readonly periods: Array<[number, number]>;
  /** what the official years were read from (set by loadWorkingCalendar; refreshWorkingCalendar compares it) */
  source: { dir: string; fingerprint: string } | null = null;

  constructor(opts: WorkingCalendarOptions) {
    this.officeHours = officeHoursSchema.parse(opts.officeHours ?? DEFAULT_OFFICE_HOURS);
    this.fillProvisional = opts.provisional ?? true;
    this.setYears(opts.years);
    const { open, close, lunch } = this.officeHours;
    this.periods = lunch ? [[open, lunch.start], [lunch.end, close]] : [[open, close]];
  }

  /** The official (announced) years; a year given with source.provisional counts as provisional. */
  get years(): readonly number[] {
    return this.official;
  }

  /**
   * Replaces the official years in place (every holder of this calendar sees the change at once):
   * a year that was provisional and now has its file is counted on the file from here on.
   */
  setYears(raw: CalendarYear[]): void {
    const holidays = new Map<string, string>();
    const workdays = new Map<string, string>();
    const years = new Set<number>();
    const provisional: number[] = [];
    for (const input of raw) {
      const cal = calendarYearSchema.parse(input);
      if (years.has(cal.year)) throw new Error(`calendar year ${cal.year} given twice`);
      years.add(cal.year);
      if (cal.source.provisional) provisional.push(cal.year);
      addYear(cal, holidays, workdays);
    }
    this.holidays = holidays;
    this.workdays = workdays;
    this.filled.clear();
    for (const y of provisional) this.filled.add(y);
    this.official = [...years].filter((y) => !this.filled.has(y)).sort((a, b) => a - b);
  }

  /** Is this year counted on the provisional calendar (no official file)? Years with no rule at all are not. */
  isProvisionalYear(year: number): boolean {
    if (this.official.includes(year)) return false;
    return this.filled.has(year) || (this.fillProvisional && year >= PROVISIONAL_YEARS.first && year <= PROVISIONAL_YEARS.last);
  }

  /** The provisional years among the Shanghai-local years from a to b (inclusive), ascending. */
  provisionalYearsBetween(a: Date, b: Date): number[] {
    const [from, to] = [yearOfDayIndex(dayIndexOf(a)), yearOfDayIndex(dayIndexOf(b))].sort((x, y) => x - y);
    const out: number[] = [];
    for (let y = from; y <= to; y++) if (this.isProvisionalYear(y)) out.push(y);
    return out;
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
    const year = yearOfDayIndex(day);
    if (this.official.includes(year) || this.filled.has(year)) return;
    if (!this.isProvisionalYear(year)) throw new CalendarYearMissingError(year);
    addYear(provisionalCalendarYear(year), this.holidays, this.workdays);
    this.filled.add(year);
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

const YEAR_FILE = /^\d{4}\.json$/;

/** The first problem of a year file's content, as "field: message" (for loaders and `calendar import`). */
export function parseCalendarYear(json: unknown, source: string): CalendarYear {
  const parsed = calendarYearSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${source}: ${first?.path.join('.') || '(root)'}: ${first?.message}`);
  }
  return parsed.data;
}

/** Reads and validates every lexicons/calendar/<year>.json; the file name must match its year. */
export function loadCalendarYears(dir: string = shippedPath('calendar')): CalendarYear[] {
  return readCalendarDir(dir).years;
}

function readCalendarDir(dir: string): { years: CalendarYear[]; fingerprint: string } {
  const hash = createHash('sha256');
  const years = readFolder(dir, YEAR_FILE).map(({ name: f, file, text }) => {
    hash.update(`${f}\0${text}\0`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const year = parseCalendarYear(json, file);
    if (`${year.year}.json` !== f) throw new Error(`${file}: says year ${year.year}`);
    if (year.source.provisional) throw new Error(`${file}: source.provisional: a file in the calendar folder must be an announced year`);
    return year;
  });
  return { years, fingerprint: hash.digest('hex') };
}

export function loadWorkingCalendar(opts: { dir?: string; officeHours?: OfficeHoursInput } = {}): WorkingCalendar {
  const dir = opts.dir ?? shippedPath('calendar');
  const { years, fingerprint } = readCalendarDir(dir);
  const calendar = new WorkingCalendar({ years, officeHours: opts.officeHours });
  calendar.source = { dir, fingerprint };
  return calendar;
}

/**
 * Re-reads the folder a calendar was loaded from when its year files changed (names or content) and
 * swaps the years in place. Returns the years that were provisional and are now official. A folder
 * that no longer validates throws and leaves the calendar as it was.
 */
export function refreshWorkingCalendar(calendar: WorkingCalendar): { changed: boolean; nowOfficial: number[] } {
  if (!calendar.source) return { changed: false, nowOfficial: [] };
  const { years, fingerprint } = readCalendarDir(calendar.source.dir);
  if (fingerprint === calendar.source.fingerprint) return { changed: false, nowOfficial: [] };
  const before = new Set(calendar.years);
  calendar.setYears(years);
  calendar.source = { dir: calendar.source.dir, fingerprint };
  return { changed: true, nowOfficial: calendar.years.filter((y) => !before.has(y)) };
}
