// `npm run cli -- eval <what> ...`: evaluation commands, one file each in bin/commands/eval/.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'eval');

export async function run(argv: string[]): Promise<number | void> {
  const [what, ...rest] = argv;
  const available = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => f.slice(0, -3));
  const file = path.join(dir, `${what}.ts`);
  if (!what || !existsSync(file)) {
    console.error(`usage: npm run cli -- eval <${available.join('|')}> [args]`);
    return 2;
  }
  const mod = (await import(file)) as { run: (argv: string[]) => Promise<number | void> };
  return mod.run(rest);
}
