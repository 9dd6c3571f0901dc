// Warns ahead of time when the holiday calendar will not cover the deadlines about to be set:
// a missing year holds dispatch (we never guess holidays), so operators must add the State
// Council's arrangement (lexicons/calendar/YYYY.json) before deadlines reach it.
import { shanghaiDateKey, type WorkingCalendar } from './calendar';

/** Years a deadline set between now and now + horizonDays could fall in, that the calendar lacks. */
export function missingCalendarYears(calendar: Pick<WorkingCalendar, 'years'>, now: Date, horizonDays = 60): number[] {
  const first = Number(shanghaiDateKey(now).slice(0, 4));
  const last = Number(shanghaiDateKey(new Date(now.getTime() + horizonDays * 86_400_000)).slice(0, 4));
  const missing: number[] = [];
  for (let y = first; y <= last; y++) if (!calendar.years.includes(y)) missing.push(y);
  return missing;
}

export function calendarWarnings(calendar: Pick<WorkingCalendar, 'years'>, now: Date, horizonDays = 60): string[] {
  return missingCalendarYears(calendar, now, horizonDays).map(
    (y) => `holiday calendar for ${y} is missing (lexicons/calendar/${y}.json): cases whose deadlines reach ${y} are held for the centre instead of dispatched / ${y}年节假日安排尚未录入`,
  );
}
