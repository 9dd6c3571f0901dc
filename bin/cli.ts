// `npm run cli -- <command> ...`: each command lives in bin/commands/<command>.ts and exports run(argv).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const commandsDir = path.join(here, 'commands');
const available = readdirSync(commandsDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || name === 'help') {
  console.error(`usage: npm run cli -- <command> [args]\ncommands: ${available.join(', ')}`);
  process.exit(name ? 0 : 2);
}
const file = path.join(commandsDir, `${name}.ts`);
if (!existsSync(file)) {
  console.error(`unknown command "${name}"; commands: ${available.join(', ')}`);
  process.exit(2);
}
const mod = (await import(file)) as { run: (argv: string[]) => Promise<number | void> };
try {
  const code = await mod.run(rest);
  process.exitCode = typeof code === 'number' ? code : 0;
} catch (err) {
  console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
