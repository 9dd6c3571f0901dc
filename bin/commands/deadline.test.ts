import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureConsole } from '../../test/support/console';
import { run } from './deadline';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const capture = captureConsole;
afterEach(() => vi.restoreAllMocks());

describe('deadline command', () => {
  it('prints the due time as one JSON object', async () => {
    const { out } = capture();
    expect(await run(['--from', '2026-02-12T10:00:00+08:00', '--working-days', '5'])).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toEqual({ due: '2026-02-26T17:30:00+08:00' });
    expect(await run(['--from=2026-03-06T16:00:00+08:00', '--working-days=1'])).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toEqual({ due: '2026-03-09T17:30:00+08:00' });
    expect(await run(['--from', '2026-02-12T23:30:00+08:00', '--hours', '2'])).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toEqual({ due: '2026-02-13T01:30:00+08:00' });
  });

  it('bad arguments print usage and return 2', async () => {
    const { err } = capture();
    for (const argv of [[], ['--from', '2026-02-12'], ['--from', 'soon', '--hours', '1'], ['--from', '2026-02-12', '--working-days', '0'], ['--from', '2026-02-12', '--working-days', '2', '--hours', '1'], ['--bogus']]) {
      expect(await run(argv)).toBe(2);
    }
    expect(err.join('\n')).toContain('usage:');
  });

  it('a year without a file is counted on the provisional calendar and marked provisional', async () => {
    const { out } = capture();
    // 12/31 Thu; 元旦 2027 (Fri) joins the weekend; Mon 1/4, Tue 1/5
    expect(await run(['--from', '2026-12-30T10:00:00+08:00', '--working-days', '3'])).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toEqual({ due: '2027-01-05T17:30:00+08:00', provisional: true, provisionalYears: [2027] });
    // 春节 2027: 除夕 Fri 2/5 to 初三 Mon 2/8 are never working days
    expect(await run(['--from', '2027-02-04T10:00:00+08:00', '--working-days', '1'])).toBe(0);
    const after = JSON.parse(out.at(-1)!) as { due: string; provisional: boolean };
    expect(after.provisional).toBe(true);
    expect(after.due > '2027-02-08T23:59').toBe(true);
    // wall-clock hours read no holidays: not provisional
    expect(await run(['--from', '2027-03-01T10:00:00+08:00', '--hours', '2'])).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toEqual({ due: '2027-03-01T12:00:00+08:00' });
  });

  it('a year no rule counts is an error naming the year', async () => {
    capture();
    await expect(run(['--from', '2024-12-30T10:00:00+08:00', '--working-days', '3'])).rejects.toThrow(/2024/);
  });

  // two tsx starts, a second or two each idle and much more on a loaded machine
  it('through the CLI dispatcher: provisional in the JSON; exit 1 and the year on stderr outside 2025–2100', { timeout: 2 * 60_000 }, () => {
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    const ok = spawnSync(tsx, ['bin/cli.ts', 'deadline', '--from', '2025-09-30T16:00:00+08:00', '--working-days', '1'], { cwd: root, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout.trim().split('\n').at(-1)!)).toEqual({ due: '2025-10-09T17:30:00+08:00' });
    const provisional = spawnSync(tsx, ['bin/cli.ts', 'deadline', '--from', '2027-03-01T10:00:00+08:00', '--working-days', '1'], { cwd: root, encoding: 'utf8' });
    expect(provisional.status).toBe(0);
    expect(JSON.parse(provisional.stdout.trim().split('\n').at(-1)!)).toEqual({ due: '2027-03-02T17:30:00+08:00', provisional: true, provisionalYears: [2027] });
    const missing = spawnSync(tsx, ['bin/cli.ts', 'deadline', '--from', '2101-03-01T10:00:00+08:00', '--working-days', '1'], { cwd: root, encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/deadline: .*2101/);
  });
});
