// `npm run cli -- <command> ...`: each command lives in bin/commands/<command>.ts and exports run(argv).
// The dispatcher's own options (only --help) come before the command name; everything after it is the
// command's. Wrong usage exits 2 with a one-line English/Chinese message, a failure exits 1.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConfigOrExit } from '../core/config';
import { useLexiconDir } from '../core/shipped/store';
import { describeArgsError, isParseArgsError, parseCommandArgs, UsageError } from '../core/util/args';

const here = path.dirname(fileURLToPath(import.meta.url));
const commandsDir = path.join(here, 'commands');
const available = readdirSync(commandsDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const USAGE = `usage: npm run cli -- <command> [args]\ncommands: ${available.join(', ')}`;

const argv = process.argv.slice(2);
const at = argv.findIndex((a) => !a.startsWith('-'));
const [name, ...rest] = at < 0 ? [] : argv.slice(at);
let help: boolean | undefined;
try {
  help = parseCommandArgs({ args: at < 0 ? argv : argv.slice(0, at), options: { help: { type: 'boolean', short: 'h' } } }).values.help;
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`cli: ${err.message}\n${USAGE}`);
  process.exit(2);
}
if (help || name === 'help') {
  console.error(USAGE);
  process.exit(0);
}
if (!name) {
  console.error(`cli: the command is missing (缺少命令)\n${USAGE}`);
  process.exit(2);
}
const file = path.join(commandsDir, `${name}.ts`);
if (!available.includes(name) || !existsSync(file)) {
  console.error(`cli: unknown command "${name}" (未知命令 "${name}"); commands: ${available.join(', ')}`);
  process.exit(2);
}
// the shipped data of every command comes from the configured folder (LEXICON_DIR), set before the
// command's modules name their files
const config = getConfigOrExit();
if (config.LEXICON_DIR) useLexiconDir(config.LEXICON_DIR);
const mod = (await import(file)) as { run: (argv: string[]) => Promise<number | void> };
try {
  const code = await mod.run(rest);
  process.exitCode = typeof code === 'number' ? code : 0;
} catch (err) {
  // commands that call parseArgs themselves (eval, train) let its errors through: they are usage errors too
  if (err instanceof UsageError || isParseArgsError(err)) {
    console.error(`${name}: ${err instanceof UsageError ? err.message : describeArgsError(err)}`);
    process.exitCode = 2;
  } else {
    console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
