// Says ahead of time which years the deadlines about to be set will be counted on the provisional
// calendar (no State Council file yet in lexicons/calendar): cases are dispatched as usual, their
// deadlines marked 暂定, and counted again once the file is imported.
import { shanghaiDateKey, type WorkingCalendar } from './calendar';

/** Years a deadline set between now and now + horizonDays could fall in, that have no official file. */
export function provisionalCalendarYears(calendar: Pick<WorkingCalendar, 'isProvisionalYear'>, now: Date, horizonDays = 60): number[] {
  const first = Number(shanghaiDateKey(now).slice(0, 4));
  const last = Number(shanghaiDateKey(new Date(now.getTime() + horizonDays * 86_400_000)).slice(0, 4));
  const out: number[] = [];
  for (let y = first; y <= last; y++) if (calendar.isProvisionalYear(y)) out.push(y);
  return out;
}

export function calendarWarnings(calendar: Pick<WorkingCalendar, 'isProvisionalYear'>, now: Date, horizonDays = 60): string[] {
  return provisionalCalendarYears(calendar, now, horizonDays).map(
    (y) =>
      `holiday calendar for ${y} is provisional (no lexicons/calendar/${y}.json yet): deadlines reaching ${y} are counted on the statutory holidays and marked provisional;` +
      ` import the State Council notice with \`npm run cli -- calendar import FILE\` and they are counted again / ${y}年节假日安排尚未公布，期限暂按法定节假日推算`,
  );
}

/** The short note staff and residents see beside a provisional deadline (null when it is not provisional). */
/**
 * The years of `years` that are still provisional on `calendar` (a case closed before its year's file
 * arrived keeps the years it was counted on, but its note must not outlive the file).
 */
export function stillProvisional(years: readonly number[], calendar: WorkingCalendar): number[] {
  return years.filter((y) => calendar.isProvisionalYear(y));
}

export function provisionalNote(years: readonly number[]): string | null {
  if (!years.length) return null;
  return `暂定：${years.map((y) => `${y}年`).join('、')}节假日安排尚未公布，期限按法定节假日推算`;
}
