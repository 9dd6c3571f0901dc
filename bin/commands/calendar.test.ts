import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CALENDAR_DIR, loadCalendarYears, loadWorkingCalendar } from '../../core/cases/calendar';
import { captureConsole } from '../../test/support/console';
import { run } from './calendar';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STAND_IN_2027 = { year: 2027, source: { title: 'test stand-in' }, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-04' }], workdays: [] };

let dir: string;
let work: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cal-dir-'));
  work = mkdtempSync(path.join(os.tmpdir(), 'cal-in-'));
  for (const y of ['2025', '2026']) cpSync(path.join(CALENDAR_DIR, `${y}.json`), path.join(dir, `${y}.json`));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});
const capture = captureConsole;
const input = (name: string, json: unknown) => {
  const file = path.join(work, name);
  writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
  return file;
};

describe('calendar command', () => {
  it('imports a valid year into the folder, where the calendar then counts it as official', async () => {
    const { out } = capture();
    expect(loadWorkingCalendar({ dir }).isProvisionalYear(2027)).toBe(true);
    expect(await run(['import', input('notice.json', STAND_IN_2027), '--dir', dir])).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ year: 2027, written: true, replaced: false });
    expect(JSON.parse(readFileSync(path.join(dir, '2027.json'), 'utf8'))).toEqual(STAND_IN_2027);
    const cal = loadWorkingCalendar({ dir });
    expect(cal.years).toEqual([2025, 2026, 2027]);
    expect(cal.isWorkday('2027-01-04')).toBe(false);
    // the same file again changes nothing
    expect(await run(['import', input('notice.json', STAND_IN_2027), '--dir', dir])).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ written: false, reason: 'unchanged' });
  });

  it('a different file for an existing year needs --replace', async () => {
    capture();
    await run(['import', input('a.json', STAND_IN_2027), '--dir', dir]);
    const corrected = { ...STAND_IN_2027, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }] };
    await expect(run(['import', input('b.json', corrected), '--dir', dir])).rejects.toThrow(/--replace/);
    expect(JSON.parse(readFileSync(path.join(dir, '2027.json'), 'utf8'))).toEqual(STAND_IN_2027);
    expect(await run(['import', input('b.json', corrected), '--dir', dir, '--replace'])).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, '2027.json'), 'utf8'))).toEqual(corrected);
  });

  it('a bad file is refused with the field named, and nothing is written', async () => {
    capture();
    const badDate = { ...STAND_IN_2027, holidays: [{ name: '元旦', from: '2027-13-01', to: '2027-01-04' }] };
    await expect(run(['import', input('bad.json', badDate), '--dir', dir])).rejects.toThrow(/holidays\.0\.from: .*(real date|YYYY-MM-DD)/);
    const weekdayMakeup = { ...STAND_IN_2027, workdays: [{ date: '2027-01-06', for: '元旦' }] };
    await expect(run(['import', input('w.json', weekdayMakeup), '--dir', dir])).rejects.toThrow(/workdays\.0: 2027-01-06 is a weekday/);
    await expect(run(['import', input('t.json', { ...STAND_IN_2027, source: {} }), '--dir', dir])).rejects.toThrow(/source\.title/);
    await expect(run(['import', input('j.json', '{"year": 2027,'), '--dir', dir])).rejects.toThrow(/not valid JSON/);
    const provisional = { ...STAND_IN_2027, source: { title: 'x', provisional: true } };
    await expect(run(['import', input('p.json', provisional), '--dir', dir])).rejects.toThrow(/source\.provisional/);
    expect(existsSync(path.join(dir, '2027.json'))).toBe(false);
    expect(loadCalendarYears(dir).map((y) => y.year)).toEqual([2025, 2026]);
  });

  it('status lists the official years', async () => {
    const { out } = capture();
    expect(await run(['status', '--dir', dir])).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ official: [2025, 2026] });
  });

  it('wrong usage returns 2', async () => {
    const { err } = capture();
    expect(await run([])).toBe(2);
    expect(await run(['import'])).toBe(2);
    expect(await run(['frobnicate'])).toBe(2);
    expect(err.join('\n')).toContain('usage:');
  });

  // one tsx start, a second or two idle and much more on a loaded machine
  it('through the CLI dispatcher: a bad file exits 1 naming the field', { timeout: 2 * 60_000 }, () => {
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    const bad = input('bad.json', { ...STAND_IN_2027, holidays: [] });
    const r = spawnSync(tsx, ['bin/cli.ts', 'calendar', 'import', bad, '--dir', dir], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/calendar: .*holidays/);
    expect(existsSync(path.join(dir, '2027.json'))).toBe(false);
  });
});
