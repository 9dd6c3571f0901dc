// `npm run cli -- calendar import FILE [--dir DIR] [--replace]`: checks a State Council holiday notice
// typed as a year file (the shape of lexicons/calendar/<year>.json) and writes it there; the running
// service's SLA sweep notices the new file within a minute and counts the provisional deadlines of
// that year again. `calendar status` lists which years are official and which provisional.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CALENDAR_DIR, loadWorkingCalendar, parseCalendarYear, shanghaiDateKey } from '../../core/cases/calendar';
import { provisionalCalendarYears } from '../../core/cases/calendar-coverage';
import { parseCommandArgs, UsageError, withUsage } from '../../core/util/args';

const USAGE = `usage: npm run cli -- calendar import FILE [--dir DIR] [--replace]
       npm run cli -- calendar status [--dir DIR]
  import    validate FILE (one year: {"year", "source": {"title"}, "holidays": [{name, from, to}], "workdays": [{date, for}]})
            and write it to DIR/<year>.json (default lexicons/calendar); the service picks it up within a minute
  --replace overwrite an existing, different file for that year (a corrected notice)
  status    which years have an official file, and which deadlines are counted on a provisional year`;

export const run = withUsage('calendar', USAGE, async (argv) => {
  const { values: opts, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: { dir: { type: 'string' }, replace: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (opts.help) {
    console.error(USAGE);
    return 0;
  }
  const [sub, ...files] = positionals;
  const dir = path.resolve(opts.dir ?? CALENDAR_DIR);
  if (sub === 'status') {
    if (files.length) throw new UsageError(`unexpected argument "${files[0]}" (多余的参数 "${files[0]}")`);
    const calendar = loadWorkingCalendar({ dir });
    console.log(JSON.stringify({ dir, official: calendar.years, provisionalSoon: provisionalCalendarYears(calendar, new Date()), today: shanghaiDateKey(new Date()) }));
    return 0;
  }
  if (sub !== 'import') throw new UsageError(sub ? `unknown subcommand "${sub}" (未知子命令 "${sub}")` : 'the subcommand is missing: import or status (缺少子命令)');
  if (files.length !== 1) throw new UsageError('give exactly one FILE to import (须且只须给一个文件)');
  const file = path.resolve(files[0]);
  if (!existsSync(file)) throw new Error(`${file}: no such file (文件不存在)`);
  const text = readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (不是有效的 JSON): ${err instanceof Error ? err.message : String(err)}`);
  }
  let year;
  try {
    year = parseCalendarYear(json, file);
  } catch (err) {
    throw new Error(`${(err as Error).message} (节假日文件字段有误)`);
  }
  if (year.source.provisional) throw new Error(`${file}: source.provisional: only an announced year can be imported (暂定日历不能导入)`);
  const target = path.join(dir, `${year.year}.json`);
  const body = `${JSON.stringify(year, null, 2)}\n`;
  const existed = existsSync(target);
  if (existed) {
    const current = readFileSync(target, 'utf8');
    if (current === body) {
      console.log(JSON.stringify({ year: year.year, file: target, written: false, reason: 'unchanged' }));
      return 0;
    }
    if (!opts.replace) throw new Error(`${target} exists and differs; pass --replace to overwrite it (该年份文件已存在且内容不同，覆盖请加 --replace)`);
  }
  // written beside and renamed, so the sweep never reads half a file
  const tmp = path.join(dir, `.${year.year}.json.${process.pid}.tmp`);
  writeFileSync(tmp, body);
  renameSync(tmp, target);
  // the folder must still load as a whole (the other years are checked too)
  loadWorkingCalendar({ dir });
  console.log(JSON.stringify({ year: year.year, file: target, written: true, replaced: existed }));
  return 0;
});
