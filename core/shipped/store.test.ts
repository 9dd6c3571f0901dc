// The shipped files (lexicons/) have one reader: core/shipped. No other module names the folder.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles as files, sourceLines } from '../../test/support/sources';

const insideLoader = (f: string) => f.startsWith(`core${path.sep}shipped${path.sep}`);
// code (not comments) that resolves the folder: a path literal starting at lexicons/, or the old constants
const NAMES_THE_FOLDER = /['"`](?:\.{1,2}\/)*lexicons(?:\/|['"`])|(?<![.\w])LEXICON_DIR\b(?!:)|\blexicon-dir\b|\bDEFAULT_LEXICON_DIR\b|\blexiconPath\b/;
// files that name a path in the shipped folder through shippedPath() without reading it: the model
// files (read by shippedModel, checked by loadShipped), the training/demo seed CSVs, the calendar
// folder's default for `calendar import`, and where `train` writes a model
const NAMES_A_PATH = new Set(
  ['core/nlp/models.ts', 'core/nlp/english.ts', 'core/demo/seed-corpus.ts', 'core/cases/sla.ts', 'core/cases/calendar.ts', 'bin/commands/train.ts'].map((f) => f.split('/').join(path.sep)),
);

const codeLines = (f: string) => sourceLines(f).filter(([, line]) => !/^\s*(\/\/|\*|\/\*\*)/.test(line));

describe('lexicons/ has one reader (core/shipped)', () => {
  it('finds the source files it checks', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain(path.join('core', 'shipped', 'store.ts'));
  });

  it('no module outside core/shipped resolves the lexicons/ folder', () => {
    const hits = files.filter((f) => !insideLoader(f)).flatMap((f) => codeLines(f).filter(([, l]) => NAMES_THE_FOLDER.test(l)).map(([n, l]) => `${f}:${n}: ${l.trim()}`));
    expect(hits).toEqual([]);
  });

  it('only the listed modules take a path in the shipped folder, and none reads it with node:fs', () => {
    const users = files.filter((f) => !insideLoader(f) && codeLines(f).some(([, l]) => /\bshippedPath\(/.test(l)));
    expect(users.filter((f) => !NAMES_A_PATH.has(f))).toEqual([]);
    const fsReads = users.filter((f) => codeLines(f).some(([, l]) => /\b(readFileSync|readdirSync|createReadStream)\(\s*(SEED_FILE|ENGLISH_SEED_FILE|SLA_POLICY_FILE|CALENDAR_DIR|shippedPath)/.test(l)));
    expect(fsReads).toEqual([]);
  });

  it('the check sees a reader written the old way', () => {
    expect(NAMES_THE_FOLDER.test(`const f = path.join(LEXICON_DIR, 'routing.json');`)).toBe(true);
    expect(NAMES_THE_FOLDER.test(`readFileSync(path.resolve(here, '../../lexicons/routing.json'))`)).toBe(true);
    expect(NAMES_THE_FOLDER.test(`export const X = path.resolve(path.dirname(u), '../../lexicons');`)).toBe(true);
    expect(NAMES_THE_FOLDER.test(`logger.warn('no lexicons/calendar file')`)).toBe(false);
  });
});
