// Where SQL may be written: only in core/db (named functions per entity), with the column
// transform of connect.ts instead of hand-written camelCase aliases, and one transaction type.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(rel));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) out.push(rel);
  }
  return out;
}

const files = ['core', 'api', 'workers', 'bin'].flatMap(sources);
const hits = (re: RegExp, keep: (file: string) => boolean) =>
  files.filter(keep).flatMap((f) =>
    readFileSync(path.join(ROOT, f), 'utf8').split('\n').flatMap((line, i) => (re.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
  );
const outsideDb = (f: string) => !f.startsWith(`core${path.sep}db${path.sep}`);

describe('SQL lives in core/db', () => {
  it('finds the source files it checks', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain(path.join('core', 'db', 'cases.ts'));
  });

  it('no query is written outside core/db', () => {
    // a tagged template on the pool or a transaction (sql`…`, tx<T>`…`, deps.db.sql`…`) or sql.unsafe(…)
    expect(hits(/(?:\bsql|\btx|\.sql)(?:<[^`]*>)?`|\.unsafe\(/, outsideDb)).toEqual([]);
  });

  it('no hand-written camelCase column alias, no transaction cast', () => {
    expect(hits(/\bAS "[a-z]+[A-Z]\w*"/, () => true)).toEqual([]);
    expect(hits(/as unknown as Sql\b/, () => true)).toEqual([]);
  });
});
