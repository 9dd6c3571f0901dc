// `npm run cli -- user …`: staff accounts from the command line (a new city's first admin, or a
// script). The password comes from a prompt on the terminal (not echoed, asked twice) or, when
// stdin is piped, from its first line. Reads the service's database like `export` does.
import type { Readable, Writable } from 'node:stream';
import { getConfigOrExit } from '../../core/config';
import { randomPassword } from '../../core/auth/passwords';
import {
  AccountError, createApiToken, createStaffAccount, listAccounts, listApiTokens, revokeApiToken, setAccountActive, setAccountPassword,
  STAFF_ROLES, TOKEN_SCOPES, type StaffRole, type TokenScope,
} from '../../core/auth/staff';
import type { Db } from '../../core/db/connect';
import { createLogger } from '../../core/logger';
import { openDatabase } from '../../core/runtime';
import { loadShippedOrExit } from '../../core/shipped/index';
import { parseCommandArgs, UsageError, withUsage } from '../../core/util/args';

const USAGE = [
  'usage: npm run cli -- user add --role <admin|centre|department|leader> --name NAME [--department CODE] [--display-name 姓名]',
  '       npm run cli -- user list',
  '       npm run cli -- user disable NAME | enable NAME',
  '       npm run cli -- user reset-password NAME [--generate]',
  '       npm run cli -- user token add --name NAME --label LABEL [--scope read,write,admin] [--days N]',
  '       npm run cli -- user token list | token revoke ID',
  'the password is asked on the terminal (not shown), or read from the first line of stdin when piped',
].join('\n');

/** The first line of a piped stdin, or a prompt without echo on a terminal. */
export async function readPassword(prompt: string, input: Readable & { isTTY?: boolean; setRawMode?: (on: boolean) => void } = process.stdin, output: Writable = process.stderr): Promise<string> {
  if (!input.isTTY || !input.setRawMode) {
    let text = '';
    for await (const chunk of input) {
      text += String(chunk);
      if (text.includes('\n')) break;
    }
    return text.split(/\r?\n/)[0];
  }
  input.setRawMode(true); // before the prompt: nothing typed after it is echoed
  output.write(prompt);
  input.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let pw = '';
      const onData = (buf: Buffer) => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            input.off('data', onData);
            output.write('\n');
            return resolve(pw);
          }
          if (ch === '\u0003') {
            input.off('data', onData);
            output.write('\n');
            return reject(new Error('cancelled (已取消)'));
          }
          if (ch === '\u007f' || ch === '\b') pw = [...pw].slice(0, -1).join('');
          else pw += ch;
        }
      };
      input.on('data', onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
  }
}

export interface UserCommandIo {
  /** asks for a password ("confirm" asks again on a terminal) */
  password: (what: string) => Promise<string>;
  out: (line: string) => void;
}

function terminalIo(): UserCommandIo {
  return {
    async password(what) {
      const first = await readPassword(`${what}: `);
      if (process.stdin.isTTY) {
        const again = await readPassword('再输入一次 (again): ');
        if (again !== first) throw new AccountError('validation_failed', '两次输入的密码不一致 (the passwords differ)');
      }
      return first;
    },
    out: (line) => console.log(line),
  };
}

const one = (positionals: string[], what: string): string => {
  if (positionals.length === 0) throw new UsageError(`${what} is missing (缺少${what === 'NAME' ? '用户名' : '编号'})`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}" (多余的参数 "${positionals[1]}")`);
  return positionals[0];
};

/** The command's work on an open database (the tests call this with theirs). */
export async function userCommand(argv: string[], sql: Db, io: UserCommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' }, name: { type: 'string' }, department: { type: 'string' }, 'display-name': { type: 'string' },
      generate: { type: 'boolean' }, label: { type: 'string' }, scope: { type: 'string' }, days: { type: 'string' },
    },
  });
  const [sub, ...rest] = positionals;
  try {
    switch (sub) {
      case 'add': {
        if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}" (多余的参数 "${rest[0]}")`);
        if (!values.role) throw new UsageError('--role is required (缺少 --role)');
        if (!(STAFF_ROLES as readonly string[]).includes(values.role)) throw new UsageError(`--role must be one of ${STAFF_ROLES.join(', ')} (未知角色 "${values.role}")`);
        if (!values.name) throw new UsageError('--name is required (缺少 --name)');
        const password = await io.password(`${values.name} 的密码 (password)`);
        const u = await createStaffAccount(sql, {
          username: values.name, displayName: values['display-name'], role: values.role as StaffRole, departmentCode: values.department ?? null, password,
        });
        io.out(`created ${u.username} (${u.role}${u.departmentCode ? ` · ${u.departmentCode}` : ''}) 已创建`);
        return 0;
      }
      case 'list': {
        if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}" (多余的参数 "${rest[0]}")`);
        const rows = await listAccounts(sql);
        io.out(['name', 'role', 'department', 'active', 'password', 'last login'].join('\t'));
        for (const u of rows) {
          io.out([u.username, u.role, u.departmentCode ?? '-', u.active ? 'yes' : 'disabled', u.hasPassword ? 'set' : '-', u.lastLoginAt?.toISOString() ?? '-'].join('\t'));
        }
        return 0;
      }
      case 'disable':
      case 'enable': {
        const u = await setAccountActive(sql, one(rest, 'NAME'), sub === 'enable');
        io.out(`${u.username} ${sub === 'enable' ? 'enabled 已启用' : 'disabled 已停用 (its sessions are ended)'}`);
        return 0;
      }
      case 'reset-password': {
        const name = one(rest, 'NAME');
        const password = values.generate ? randomPassword() : await io.password(`${name} 的新密码 (new password)`);
        await setAccountPassword(sql, name, password);
        io.out(values.generate ? `new password for ${name} (shown once, 仅显示一次): ${password}` : `password of ${name} changed 已重置 (its sessions are ended)`);
        return 0;
      }
      case 'token': {
        const [what, ...args] = rest;
        if (what === 'list') {
          for (const t of await listApiTokens(sql)) {
            io.out([t.id, t.username, t.name, t.scopes.join(','), t.expiresAt?.toISOString() ?? 'no expiry', t.revokedAt ? 'revoked' : 'active'].join('\t'));
          }
          return 0;
        }
        if (what === 'revoke') {
          const id = Number(one(args, 'ID'));
          if (!Number.isInteger(id) || id <= 0) throw new UsageError('the token ID is a number (令牌编号须为数字)');
          if (!(await revokeApiToken(sql, id))) throw new AccountError('not_found', `no token ${id} (没有该令牌)`);
          io.out(`token ${id} revoked 已吊销`);
          return 0;
        }
        if (what === 'add') {
          if (!values.name) throw new UsageError('--name is required (缺少 --name)');
          if (!values.label) throw new UsageError('--label is required (缺少 --label: what the token is for)');
          const scopes = (values.scope ?? 'read').split(',').map((s) => s.trim()).filter(Boolean);
          const bad = scopes.find((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
          if (bad || !scopes.length) throw new UsageError(`--scope takes ${TOKEN_SCOPES.join(',')} (未知权限 "${bad ?? ''}")`);
          const days = values.days === undefined ? null : Number(values.days);
          if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) throw new UsageError('--days is a whole number from 1 to 3650 (有效期天数)');
          const { token, row } = await createApiToken(sql, {
            username: values.name, name: values.label, scopes: scopes as TokenScope[], expiresAt: days ? new Date(Date.now() + days * 86_400_000) : null, createdBy: 'cli',
          });
          console.error(`token ${row.id} for ${row.username} (${row.scopes.join(',')}${row.expiresAt ? `, until ${row.expiresAt.toISOString()}` : ''}); shown once 仅显示一次:`);
          io.out(token);
          return 0;
        }
        throw new UsageError(what ? `unknown token command "${what}" (未知子命令)` : 'token add | list | revoke (缺少子命令)');
      }
      default:
        throw new UsageError(sub ? `unknown user command "${sub}" (未知子命令 "${sub}")` : 'the user command is missing: add, list, disable, enable, reset-password, token (缺少子命令)');
    }
  } catch (err) {
    if (err instanceof AccountError) {
      console.error(`user: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

export const run = withUsage('user', USAGE, async (argv) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.error(USAGE);
    return 0;
  }
  const config = getConfigOrExit();
  const db = await openDatabase(config, createLogger({ level: 'warn', name: 'minsheng-user' }), { departments: loadShippedOrExit(config).departments });
  try {
    return await userCommand(argv, db.sql, terminalIo());
  } finally {
    await db.close();
  }
});
