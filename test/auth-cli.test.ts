// `npm run cli -- user …`: add, list, disable, reset-password and tokens on a test database, the
// errors (clear message, non-zero exit), the password read from a piped stdin, and the real entry
// point end to end on an embedded database in a temporary folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readPassword, userCommand } from '../bin/commands/user';
import { loginWithPassword } from '../core/auth/login';
import { findStaffByToken } from '../core/auth/staff';
import { withUsage } from '../core/util/args';
import { captureConsole } from './support/console';
import { createTestDatabase, type TestDatabase } from './support/db';
import { ROOT } from './support/sources';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});
afterEach(() => vi.restoreAllMocks());

/** runs the command as the dispatcher would (usage errors: exit 2), with `password` as what is typed */
async function user(args: string[], password = 'a good password') {
  const lines: string[] = [];
  const con = captureConsole();
  const code = await withUsage('user', 'usage: user …', (a) => userCommand(a, db.sql, { password: async () => password, out: (l) => lines.push(l) }))(args);
  return { code, lines, err: con.err.join('\n') };
}

const meta = { ip: null, userAgent: null };

describe('cli user', () => {
  it('adds accounts that can log in, lists them, disables and resets them', async () => {
    expect(await user(['add', '--role', 'admin', '--name', 'city-admin', '--display-name', '系统管理员'])).toMatchObject({ code: 0 });
    expect((await user(['add', '--role', 'department', '--name', 'zhang.housing', '--department', 'housing'], 'housing pass 1')).code).toBe(0);
    expect((await loginWithPassword(db.sql, 'city-admin', 'a good password', meta)).ok).toBe(true);

    const list = await user(['list']);
    expect(list.code).toBe(0);
    expect(list.lines[0].split('\t')).toEqual(['name', 'role', 'department', 'active', 'password', 'last login']);
    expect(list.lines.find((l) => l.startsWith('zhang.housing\t'))!.split('\t').slice(0, 5)).toEqual(['zhang.housing', 'department', 'housing', 'yes', 'set']);

    expect((await user(['disable', 'zhang.housing'])).code).toBe(0);
    expect((await loginWithPassword(db.sql, 'zhang.housing', 'housing pass 1', meta)).ok).toBe(false);
    expect((await user(['list'])).lines.find((l) => l.startsWith('zhang.housing\t'))).toContain('disabled');
    expect((await user(['enable', 'zhang.housing'])).code).toBe(0);

    expect((await user(['reset-password', 'zhang.housing'], 'housing pass 2')).code).toBe(0);
    expect((await loginWithPassword(db.sql, 'zhang.housing', 'housing pass 1', meta)).ok).toBe(false);
    expect((await loginWithPassword(db.sql, 'zhang.housing', 'housing pass 2', meta)).ok).toBe(true);
    const generated = await user(['reset-password', 'zhang.housing', '--generate']);
    const pw = /: (\S{16})$/.exec(generated.lines[0])![1];
    expect((await loginWithPassword(db.sql, 'zhang.housing', pw, meta)).ok).toBe(true);
  });

  it('makes and revokes API tokens', async () => {
    await user(['add', '--role', 'centre', '--name', 'bot-owner']);
    const made = await user(['token', 'add', '--name', 'bot-owner', '--label', '大屏', '--scope', 'read', '--days', '30']);
    expect(made.code).toBe(0);
    const token = made.lines[0];
    expect(token).toMatch(/^ms_[A-Za-z0-9_-]{32}$/);
    expect(await findStaffByToken(db.sql, token)).toMatchObject({ username: 'bot-owner', scopes: ['read'] });
    const id = /token (\d+)/.exec(made.err)![1];
    expect((await user(['token', 'list'])).lines.some((l) => l.startsWith(`${id}\tbot-owner\t大屏\tread\t`))).toBe(true);
    expect((await user(['token', 'revoke', id])).code).toBe(0);
    expect(await findStaffByToken(db.sql, token)).toBeUndefined();
  });

  it('says what is wrong and exits non-zero', async () => {
    const cases: [string[], number, RegExp, string?][] = [
      [['add', '--name', 'x1'], 2, /--role is required/],
      [['add', '--role', 'boss', '--name', 'x1'], 2, /--role must be one of admin, centre, department, leader/],
      [['add', '--role', 'centre'], 2, /--name is required/],
      [['add', '--role', 'department', '--name', 'no-dept'], 1, /department user needs --department/],
      [['add', '--role', 'department', '--name', 'bad-dept', '--department', 'nowhere'], 1, /未知单位 "nowhere"/],
      [['add', '--role', 'leader', '--name', 'with-dept', '--department', 'housing'], 1, /only department users have a department/],
      [['add', '--role', 'centre', '--name', 'short-pw'], 1, /密码至少 8 个字符/, 'short'],
      [['add', '--role', 'centre', '--name', 'city-admin'], 1, /已存在|taken/],
      [['add', '--role', 'centre', '--name', '坏 名字'], 1, /用户名为/],
      [['disable', 'nobody'], 1, /没有用户 nobody/],
      [['disable'], 2, /NAME is missing/],
      [['reset-password', 'nobody'], 1, /没有用户 nobody/],
      [['token', 'add', '--name', 'bot-owner', '--label', 'x', '--scope', 'root'], 2, /--scope takes read,write,admin/],
      [['token', 'revoke', '999999'], 1, /no token 999999/],
      [['frobnicate'], 2, /unknown user command "frobnicate"/],
      [[], 2, /the user command is missing/],
      [['list', '--colour'], 2, /unknown option --colour/],
    ];
    if (!(await user(['list'])).lines.some((l) => l.startsWith('city-admin\t'))) await user(['add', '--role', 'admin', '--name', 'city-admin']);
    for (const [args, code, message, password] of cases) {
      const r = await user(args, password);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.err, args.join(' ')).toMatch(message);
    }
  });

  it('reads the password from the first line of a piped stdin', async () => {
    expect(await readPassword('pw: ', Readable.from(['first line pass\nsecond line\n']))).toBe('first line pass');
    expect(await readPassword('pw: ', Readable.from(['crlf password\r\n']))).toBe('crlf password');
  });
});

describe('cli user through the real entry point', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'minsheng-cli-user-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const cli = (args: string[], stdin: string) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
      delete env.DATABASE_URL;
      delete env.REDIS_URL;
      const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/cli.ts', 'user', ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
      child.stdin.end(stdin);
    });

  // each run starts tsx and opens the embedded database: generous on a loaded 2-core machine
  it('creates the first admin with the password piped in, and lists it', { timeout: 240_000 }, async () => {
    const add = await cli(['add', '--role', 'admin', '--name', 'first-admin'], 'piped secret 1\n');
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    expect(add.stdout).toMatch(/created first-admin \(admin\)/);
    const again = await cli(['add', '--role', 'admin', '--name', 'first-admin'], 'piped secret 1\n');
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/first-admin 已存在/);
    const list = await cli(['list'], '');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^first-admin\tadmin\t-\tyes\tset\t-$/m);
  });
});
