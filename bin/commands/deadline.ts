// `npm run cli -- deadline --from <ISO time> (--working-days N | --hours N)`: prints {"due": "...+08:00"}.
import { formatShanghai, parseShanghai } from '../../core/cases/calendar';
import { loadSla } from '../../core/cases/sla';

const USAGE = `usage: npm run cli -- deadline --from <ISO time, e.g. 2026-02-12T10:00:00+08:00> (--working-days N | --hours H)
  --working-days N  ends at the close of office hours on the Nth working day after the day of --from
  --hours H         wall-clock hours (urgent cases)
  a time without an offset is read as Asia/Shanghai (+08:00)`;

function parseArgs(argv: string[]): { from: Date; workingDays?: number; hours?: number } | string {
  const opts = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return '';
    const m = /^--(from|working-days|hours)(?:=(.*))?$/.exec(arg);
    if (!m) return `unexpected argument "${arg}"`;
    const value = m[2] ?? argv[++i];
    if (value === undefined) return `--${m[1]} needs a value`;
    if (opts.has(m[1])) return `--${m[1]} given twice`;
    opts.set(m[1], value);
  }
  const fromText = opts.get('from');
  if (!fromText) return '--from is required';
  const from = parseShanghai(fromText);
  if (!from) return `--from "${fromText}" is not an ISO date or time`;
  const wd = opts.get('working-days');
  const h = opts.get('hours');
  if ((wd === undefined) === (h === undefined)) return 'give exactly one of --working-days and --hours';
  if (wd !== undefined) {
    if (!/^\d+$/.test(wd) || Number(wd) < 1) return `--working-days must be a positive whole number, got "${wd}"`;
    return { from, workingDays: Number(wd) };
  }
  if (!/^\d+(\.\d+)?$/.test(h!) || !(Number(h) > 0)) return `--hours must be a positive number, got "${h}"`;
  return { from, hours: Number(h) };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    console.error(args ? `deadline: ${args}\n${USAGE}` : USAGE);
    return args ? 2 : 0;
  }
  const { calendar } = loadSla();
  // a missing calendar year throws CalendarYearMissingError naming the year; the dispatcher prints it and exits 1
  const due = args.workingDays !== undefined ? calendar.addWorkingDays(args.from, args.workingDays) : calendar.addHours(args.from, args.hours!);
  // wall-clock arithmetic needs no calendar, but a time in an unannounced year is refused all the same
  calendar.isWorkday(args.from);
  calendar.isWorkday(due);
  console.log(JSON.stringify({ due: formatShanghai(due) }));
  return 0;
}
