// `npm run --silent cli -- open311 key add --name NAME | key list | key revoke --name NAME`: the API keys
// of Open311 clients. `add` prints the key once (stdout, nothing else there); only its hash is stored.
import { getConfigOrExit } from '../../core/config';
import { createOpen311Key } from '../../core/channels/open311/keys';
import type { Db } from '../../core/db/connect';
import { listOpen311Keys, revokeOpen311Key } from '../../core/db/open311';
import { createLogger } from '../../core/logger';
import { openDatabase } from '../../core/runtime';
import { loadShippedOrExit } from '../../core/shipped/index';
import { parseCommandArgs, UsageError, withUsage } from '../../core/util/args';

const USAGE = `usage: npm run --silent cli -- open311 key <add|list|revoke> [--name NAME]
  key add --name NAME     makes a key for the client NAME and prints it once (only its hash is kept)
  key list                lists the keys: name, prefix, created, revoked
  key revoke --name NAME  revokes NAME's key: its requests are refused with 403 from then on`;

const NAME_RE = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u;

type Verb = 'add' | 'list' | 'revoke';

/** The arguments, checked before any database is opened; bad usage throws UsageError (exit 2). */
export function readOpen311Args(argv: string[]): { verb: Verb; name?: string } {
  const { values, positionals } = parseCommandArgs({ args: argv, allowPositionals: true, options: { name: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  const [what, verb, ...extra] = positionals;
  if (what !== 'key') throw new UsageError(what ? `unknown subcommand "${what}" (未知的子命令 "${what}")` : 'the subcommand is missing (缺少子命令: key)');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}" (多余的参数 "${extra[0]}")`);
  if (verb !== 'add' && verb !== 'list' && verb !== 'revoke') {
    throw new UsageError(verb ? `unknown action "${verb}" (未知操作 "${verb}")` : 'the action is missing (缺少操作: add, list or revoke)');
  }
  if (verb === 'list') return { verb };
  if (!values.name) throw new UsageError('--name is required (缺少 --name)');
  if (!NAME_RE.test(values.name)) throw new UsageError(`--name "${values.name}": letters, digits, space . _ - only, at most 64 (名称只能含字母、数字、空格和 . _ -)`);
  return { verb, name: values.name };
}

/** The command's work on a database, apart from opening it (tests call this). */
export async function open311KeyCommand(sql: Db, argv: string[], out: { log: (s: string) => void; error: (s: string) => void }): Promise<number> {
  const { verb, name: given } = readOpen311Args(argv);
  switch (verb) {
    case 'add': {
      const name = given!;
      const made = await createOpen311Key(sql, name);
      if (!made) {
        out.error(`open311: a key named "${name}" already exists, revoked or not (名称已存在，吊销后也不可重用); choose another name`);
        return 1;
      }
      out.log(made.key);
      out.error(`open311: key for "${name}" created; it is shown only this once (密钥只显示这一次)`);
      return 0;
    }
    case 'list': {
      for (const k of await listOpen311Keys(sql)) {
        out.log([k.name, `${k.keyPrefix}…`, k.createdAt.toISOString(), k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active'].join('\t'));
      }
      return 0;
    }
    case 'revoke': {
      const name = given!;
      if (!(await revokeOpen311Key(sql, name, new Date()))) {
        out.error(`open311: no active key named "${name}" (没有名为 "${name}" 的有效密钥)`);
        return 1;
      }
      out.error(`open311: key "${name}" revoked (已吊销)`);
      return 0;
    }
  }
}

export const run = withUsage('open311', USAGE, async (argv) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.error(USAGE);
    return 0;
  }
  readOpen311Args(argv); // usage errors before the database opens
  const config = getConfigOrExit();
  const db = await openDatabase(config, createLogger({ level: 'warn', name: 'minsheng-open311' }), { departments: loadShippedOrExit(config).departments });
  try {
    return await open311KeyCommand(db.sql, argv, { log: (s) => console.log(s), error: (s) => console.error(s) });
  } finally {
    await db.close();
  }
});
