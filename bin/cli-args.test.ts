// Argument errors through the real entry points (bin/cli.ts and its commands, bin/start.ts,
// bin/migrate.ts): a clear English/Chinese line on stderr, exit 2, and nothing opened or started.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
// an argument error must stop before any database is opened: a private DATA_DIR shows it stays empty
const dataDir = mkdtempSync(path.join(tmpdir(), 'minsheng-cli-args-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// one tsx start costs a second or two on an idle machine and much more on a loaded 2-core one:
// each case gets a generous allowance, and a test's timeout is the sum over its cases
const PER_RUN_MS = 60_000;

type Result = { status: number | null; stdout: string; stderr: string };
function entry(script: string, args: string[]): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [script, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

type Case = { args: string[]; message: RegExp };
/** Runs the cases one after another (the machine has two cores and other suites beside this one). */
async function expectUsageErrors(script: string, cases: Case[]): Promise<void> {
  for (const c of cases) {
    const r = await entry(script, c.args);
    expect({ args: c.args, status: r.status }).toEqual({ args: c.args, status: 2 });
    expect(r.stderr).toMatch(c.message);
    expect(r.stderr).toMatch(/usage:|commands:/);
  }
  expect(readdirSync(dataDir)).toEqual([]);
}

const CLI: Case[] = [
  { args: [], message: /cli: the command is missing \(缺少命令\)/ },
  { args: ['--bogus'], message: /cli: unknown option --bogus \(未知参数 --bogus\)/ },
  { args: ['nosuch'], message: /cli: unknown command "nosuch" \(未知命令 "nosuch"\)/ },
  { args: ['deadline', '--bogus', 'x'], message: /deadline: unknown option --bogus \(未知参数 --bogus\)/ },
  { args: ['deadline', '--from'], message: /deadline: --from needs a value \(参数 --from 缺少取值\)/ },
  { args: ['deadline', '--from', '--hours', '2'], message: /deadline: --from needs a value \(参数 --from 缺少取值\)/ },
  { args: ['deadline', '--working-days', '2'], message: /deadline: --from is required \(缺少 --from\)/ },
  { args: ['deadline', '--from', '2026-02-12', '--from', '2026-02-13', '--hours', '1'], message: /deadline: --from given twice/ },
  { args: ['deadline', '--from', '2026-02-12', '--hours', '1', 'extra'], message: /deadline: unexpected argument "extra" \(多余的参数 "extra"\)/ },
  { args: ['import', 'messages', 'x.csv', '--bogus'], message: /import: unknown option --bogus \(未知参数 --bogus\)/ },
  { args: ['import', 'messages'], message: /import: FILE is missing \(缺少要导入的文件\)/ },
  { args: ['import', 'messages', 'x.csv', '--text-col'], message: /import: --text-col needs a value/ },
  { args: ['import', 'messages', 'x.csv', '--channel', 'fax'], message: /import: unknown channel "fax" \(未知渠道/ },
  { args: ['import', 'faxes', 'x.csv'], message: /import: unknown kind "faxes"/ },
  { args: ['export', 'labels'], message: /export: --field is required \(缺少 --field\)/ },
  { args: ['export', 'labels', '--field', 'colour'], message: /export: unknown field "colour" \(未知字段 "colour"\)/ },
  { args: ['export', 'labels', '--field', 'category', '--bogus'], message: /export: unknown option --bogus/ },
  { args: ['export', 'labels', '--field'], message: /export: --field needs a value/ },
];

describe('argument errors through the real entry points', () => {
  it('bin/cli.ts and its commands', { timeout: CLI.length * PER_RUN_MS }, async () => {
    await expectUsageErrors('bin/cli.ts', CLI);
  });

  // the commands that parse their arguments with parseArgs themselves (train, eval) get the same treatment from the dispatcher
  it('bin/cli.ts turns a parseArgs error of any command into exit 2', { timeout: PER_RUN_MS }, async () => {
    const r = await entry('bin/cli.ts', ['train', 'category', '--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/train: unknown option --bogus \(未知参数 --bogus\)/);
  });

  const START: Case[] = [
    { args: ['--bogus'], message: /npm start: unknown option --bogus \(未知参数 --bogus\)/ },
    { args: ['--demo=yes'], message: /npm start: --demo takes no value/ },
    { args: ['--demo', '--no-demo'], message: /npm start: give one of --demo and --no-demo/ },
    { args: ['demo'], message: /npm start: unexpected argument "demo"/ },
  ];
  it('bin/start.ts', { timeout: START.length * PER_RUN_MS }, async () => {
    await expectUsageErrors('bin/start.ts', START);
  });

  const MIGRATE: Case[] = [
    { args: ['--bogus'], message: /migrate: unknown option --bogus \(未知参数 --bogus\)/ },
    { args: ['up'], message: /migrate: unexpected argument "up"/ },
  ];
  it('bin/migrate.ts', { timeout: MIGRATE.length * PER_RUN_MS }, async () => {
    await expectUsageErrors('bin/migrate.ts', MIGRATE);
  });

  it('--help is not an error', { timeout: 3 * PER_RUN_MS }, async () => {
    for (const [script, args] of [['bin/cli.ts', ['--help']], ['bin/cli.ts', ['deadline', '--help']], ['bin/start.ts', ['--help']]] as const) {
      const r = await entry(script, [...args]);
      expect({ script, args, status: r.status }).toEqual({ script, args, status: 0 });
      expect(r.stderr).toMatch(/usage:/);
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
