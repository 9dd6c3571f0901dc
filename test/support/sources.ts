// The repository's own source files, for tests that check where things may be written (SQL only in
// core/db, lexicons/ read only by core/shipped).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(rel));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) out.push(rel);
  }
  return out;
}

/** Every non-test .ts file of core/, api/, workers/ and bin/, relative to the root. */
export const sourceFiles: string[] = ['core', 'api', 'workers', 'bin'].flatMap(sources);

/** Numbered lines of a source file. */
export function sourceLines(file: string): [number, string][] {
  return readFileSync(path.join(ROOT, file), 'utf8').split('\n').map((line, i) => [i + 1, line]);
}
