// Where SQL may be written: only in core/db (named functions per entity), with the column
// transform of connect.ts instead of hand-written camelCase aliases, and one transaction type.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles as files, sourceLines } from '../../test/support/sources';

const hits = (re: RegExp, keep: (file: string) => boolean) =>
  files.filter(keep).flatMap((f) => sourceLines(f).flatMap(([n, line]) => (re.test(line) ? [`${f}:${n}: ${line.trim()}`] : [])));
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
