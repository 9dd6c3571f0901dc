// A provisional holiday calendar for a year whose State Council notice is not in lexicons/calendar yet.
// The statutory days follow from 《全国年节及纪念日放假办法》 as revised in 2024 (元旦 1; 春节 除夕–初三;
// 清明 1; 劳动节 May 1–2; 端午 1; 中秋 1; 国庆 Oct 1–3), lunar dates and the 清明 solar term from
// lunar-javascript. Around them we apply the pattern of the two notices issued under the revision
// (2025 and 2026), which this module reproduces day for day (see provisional-calendar.test.ts):
// - 春节: 8 days from 除夕; 劳动节: May 1–5; 国庆: Oct 1–7, or 8 days with 中秋 when 中秋 falls on
//   Sep 30 … Oct 8 (from whichever comes first).
// - a one-day festival joins the weekend: Mon → Sat–Mon, Tue → Sun–Tue, Wed → that day only,
//   Thu → Thu–Sat, Fri → Fri–Sun, Sat or Sun → Sat–Mon (补休 on Monday).
// - every weekday off that is not a statutory day (or the 补休 of one on a weekend) is worked back on a
//   weekend day (调休上班): one make-up goes to the nearest free weekend day, two go one before and one
//   after; a make-up before the holiday never touches it (2026: Sat 2/14 worked, Sun 2/15 off before
//   除夕 on Monday), one after may (2026: Sun 1/4 after 元旦 Thu–Sat).
// Limits, said where the calendar is shown: a year's notice can differ (the State Council may lengthen
// a block or move a make-up day), and blocks are clipped to their own year.
import { Lunar } from 'lunar-javascript';
import type { CalendarYear } from './calendar';

const DAY_MS = 86_400_000;

const dayOf = (key: string): number => Math.floor(Date.parse(`${key}T00:00:00Z`) / DAY_MS);
const keyOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const weekday = (day: number): number => new Date(day * DAY_MS).getUTCDay(); // 0 = Sunday
const isWeekend = (day: number): boolean => weekday(day) === 0 || weekday(day) === 6;
const ymd = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day) / DAY_MS;

interface Block {
  name: string;
  from: number;
  to: number;
  /** statutory days the block stands for (a coincidence, 中秋 on Oct 1–3, counts twice) */
  statutory: number;
}

/** The statutory festival days of a year, as day keys, for display and tests. */
export function statutoryDays(year: number): Record<string, string[]> {
  const d = festivalDates(year);
  const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => keyOf(from + i));
  return {
    元旦: range(ymd(year, 1, 1), 1),
    春节: range(d.newYearsEve, 4),
    清明节: range(d.qingming, 1),
    劳动节: range(ymd(year, 5, 1), 2),
    端午节: range(d.dragonBoat, 1),
    中秋节: range(d.midAutumn, 1),
    国庆节: range(ymd(year, 10, 1), 3),
  };
}

function festivalDates(year: number) {
  const solarDay = (s: { toYmd(): string }) => dayOf(s.toYmd());
  return {
    // the eve of the lunar new year that begins in this solar year
    newYearsEve: solarDay(Lunar.fromYmd(year, 1, 1).getSolar()) - 1,
    qingming: solarDay(Lunar.fromYmd(year, 3, 1).getJieQiTable()['清明']),
    dragonBoat: solarDay(Lunar.fromYmd(year, 5, 5).getSolar()),
    midAutumn: solarDay(Lunar.fromYmd(year, 8, 15).getSolar()),
  };
}

/** A one-day festival joined to its weekend, by the weekday it falls on. */
function oneDayBlock(name: string, day: number): Block {
  // days before and after, by weekday: Sun → Sat–Mon, Mon → Sat–Mon, Tue → Sun–Tue, Wed alone,
  // Thu → Thu–Sat, Fri → Fri–Sun, Sat → Sat–Mon
  const [before, after] = ([[1, 1], [2, 0], [2, 0], [0, 0], [0, 2], [0, 2], [0, 2]] as const)[weekday(day)];
  return { name, from: day - before, to: day + after, statutory: 1 };
}

function blocksOf(year: number): Block[] {
  const d = festivalDates(year);
  const blocks: Block[] = [
    oneDayBlock('元旦', ymd(year, 1, 1)),
    { name: '春节', from: d.newYearsEve, to: d.newYearsEve + 7, statutory: 4 },
    oneDayBlock('清明节', d.qingming),
    { name: '劳动节', from: ymd(year, 5, 1), to: ymd(year, 5, 5), statutory: 2 },
    oneDayBlock('端午节', d.dragonBoat),
  ];
  const oct1 = ymd(year, 10, 1);
  if (d.midAutumn >= oct1 - 1 && d.midAutumn <= oct1 + 7) {
    const from = Math.min(oct1, d.midAutumn);
    blocks.push({ name: '国庆节、中秋节', from, to: from + 7, statutory: 4 });
  } else {
    blocks.push(oneDayBlock('中秋节', d.midAutumn), { name: '国庆节', from: oct1, to: oct1 + 6, statutory: 3 });
  }
  const first = ymd(year, 1, 1);
  const last = ymd(year, 12, 31);
  return blocks
    .map((b) => ({ ...b, from: Math.max(b.from, first), to: Math.min(b.to, last) }))
    .sort((x, y) => x.from - y.from);
}

/** The provisional arrangement of `year`, in the shape of a lexicons/calendar file, marked provisional. */
export function provisionalCalendarYear(year: number): CalendarYear {
  if (!Number.isInteger(year) || year < 2025 || year > 2100) {
    throw new RangeError(`a provisional calendar follows the 2024 revision: years 2025–2100, got ${year}`);
  }
  const blocks = blocksOf(year);
  const off = new Set<number>();
  for (const b of blocks) for (let day = b.from; day <= b.to; day++) off.add(day);
  const first = ymd(year, 1, 1);
  const last = ymd(year, 12, 31);
  const makeups: Array<{ day: number; for: string }> = [];
  const free = (day: number) => day >= first && day <= last && isWeekend(day) && !off.has(day) && !makeups.some((m) => m.day === day);

  for (const b of blocks) {
    let weekdaysOff = 0;
    for (let day = b.from; day <= b.to; day++) if (!isWeekend(day)) weekdaysOff++;
    const owed = weekdaysOff - b.statutory;
    // the nearest free weekend day on each side (days already taken are no longer free); before the
    // holiday a make-up never touches it
    const nearest = (start: number, step: 1 | -1): number | null => {
      for (let day = start; day >= first - 1 && day <= last + 1; day += step) if (free(day)) return day;
      return null;
    };
    const taken = { before: 0, after: 0 };
    for (let i = 0; i < owed; i++) {
      const before = nearest(b.from - 2, -1);
      const after = nearest(b.to + 1, 1);
      let pick: 'before' | 'after' | null;
      if (before === null || after === null) pick = before !== null ? 'before' : after !== null ? 'after' : null;
      else if (owed === 1) pick = b.from - before <= after - b.to ? 'before' : 'after';
      else pick = taken.before <= taken.after ? 'before' : 'after';
      if (pick === null) break; // no free weekend day left in the year: the block stays unpaid
      makeups.push({ day: pick === 'before' ? before! : after!, for: b.name });
      taken[pick]++;
    }
  }

  return {
    year,
    source: {
      title: `${year}年节假日安排（暂定，按《全国年节及纪念日放假办法》推算）`,
      note:
        'Provisional: computed from the statutory days of the 2024 revision and the pattern of the 2025 and 2026 notices; ' +
        'replace it with the State Council notice (npm run cli -- calendar import FILE).',
      provisional: true,
    },
    holidays: blocks.map((b) => ({ name: b.name, from: keyOf(b.from), to: keyOf(b.to) })),
    workdays: makeups.sort((x, y) => x.day - y.day).map((m) => ({ date: keyOf(m.day), for: m.for })),
  };
}
