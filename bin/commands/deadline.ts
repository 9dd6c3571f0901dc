// `npm run cli -- deadline --from <ISO time> (--working-days N | --hours N)`: prints {"due": "...+08:00"},
// with "provisional": true and the years when working days were counted through a year that has no
// State Council file yet (the provisional calendar of core/cases/provisional-calendar.ts).
import { formatShanghai, parseShanghai } from '../../core/cases/calendar';
import { loadSla } from '../../core/cases/sla';
import { parseCommandArgs, UsageError, withUsage } from '../../core/util/args';

const USAGE = `usage: npm run cli -- deadline --from <ISO time, e.g. 2026-02-12T10:00:00+08:00> (--working-days N | --hours H)
  --working-days N  ends at the close of office hours on the Nth working day after the day of --from
  --hours H         wall-clock hours (urgent cases)
  a time without an offset is read as Asia/Shanghai (+08:00)
  a year without lexicons/calendar/<year>.json is counted on its statutory holidays: the output says "provisional": true`;

/** The parsed arguments, or null for --help. Bad arguments throw UsageError. */
function readArgs(argv: string[]): { from: Date; workingDays?: number; hours?: number } | null {
  const { values: opts } = parseCommandArgs({
    args: argv,
    options: { from: { type: 'string' }, 'working-days': { type: 'string' }, hours: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (opts.help) return null;
  const fromText = opts.from;
  if (!fromText) throw new UsageError('--from is required (缺少 --from)');
  const from = parseShanghai(fromText);
  if (!from) throw new UsageError(`--from "${fromText}" is not an ISO date or time (--from 不是 ISO 日期或时间)`);
  const wd = opts['working-days'];
  const h = opts.hours;
  if ((wd === undefined) === (h === undefined)) throw new UsageError('give exactly one of --working-days and --hours (--working-days 与 --hours 须且只须给一个)');
  if (wd !== undefined) {
    if (!/^\d+$/.test(wd) || Number(wd) < 1) throw new UsageError(`--working-days must be a positive whole number, got "${wd}" (--working-days 须为正整数)`);
    return { from, workingDays: Number(wd) };
  }
  if (!/^\d+(\.\d+)?$/.test(h!) || !(Number(h) > 0)) throw new UsageError(`--hours must be a positive number, got "${h}" (--hours 须为正数)`);
  return { from, hours: Number(h) };
}

export const run = withUsage('deadline', USAGE, async (argv) => {
  const args = readArgs(argv);
  if (!args) {
    console.error(USAGE);
    return 0;
  }
  const { calendar } = loadSla();
  // outside 2025–2100 with no file, CalendarYearMissingError names the year; the dispatcher prints it and exits 1
  const due = args.workingDays !== undefined ? calendar.addWorkingDays(args.from, args.workingDays) : calendar.addHours(args.from, args.hours!);
  // wall-clock arithmetic needs no calendar, but a time in a year no rule can count is refused all the same
  calendar.isWorkday(args.from);
  calendar.isWorkday(due);
  // hours run on the wall clock: only a working-day count reads the (provisional) holidays
  const provisionalYears = args.workingDays !== undefined ? calendar.provisionalYearsBetween(args.from, due) : [];
  console.log(JSON.stringify({ due: formatShanghai(due), ...(provisionalYears.length ? { provisional: true, provisionalYears } : {}) }));
  return 0;
});
