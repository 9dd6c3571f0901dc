// The one reader of the files the product ships (lexicons/): where they are, how each is read and
// validated (zod, errors naming the file and the field), and the process's cache of them.
//
// Each kind of file is declared once, in the module that uses it, with its schema (its one home):
// `shippedJson('routing.json', routingTableSchema)` gives a getter that reads and validates the file
// on first use. `loadShipped()` (./index.ts) calls every getter at start-up, so a broken file stops
// the process before it serves anything; after that every getter answers from memory.
// Nothing else in core/, api/, workers/ or bin/ reads lexicons/ (./store.test.ts checks).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';

/** The lexicons/ folder of this checkout. */
export const DEFAULT_LEXICON_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../lexicons');

let lexiconDir = DEFAULT_LEXICON_DIR;

/** A shipped file that is missing or does not validate: the message names the file and the field. */
export class ShippedFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string | null,
    readonly reason: string,
  ) {
    super(`${displayName(file)}: ${field ? `${field}: ` : ''}${reason}`);
    this.name = 'ShippedFileError';
  }
}

/** lexicons/routing.json for the shipped folder, the full path for any other. */
export function displayName(file: string): string {
  const rel = path.relative(DEFAULT_LEXICON_DIR, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? `lexicons/${rel.split(path.sep).join('/')}` : file;
}

/** A file or folder in the shipped folder in use (lexicons/ unless configured otherwise). */
export function shippedPath(...parts: string[]): string {
  return path.join(lexiconDir, ...parts);
}

export function currentLexiconDir(): string {
  return lexiconDir;
}

/** A digest of the shipped folder in use (every file's path and bytes, but those `skip` names), for
 * caches of results computed from it (e.g. `eval topics --nlp-cache`). */
export function shippedDigest(skip: (name: string) => boolean = () => false): string {
  const h = createHash('sha1');
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !skip(e.name)) h.update(path.relative(lexiconDir, p)).update(readFileSync(p));
    }
  };
  if (existsSync(lexiconDir)) walk(lexiconDir);
  return h.digest('hex');
}

interface Kind {
  name: string;
  load(): void;
  reset(): void;
}
const kinds: Kind[] = [];

/** Registers a shipped kind (for loadShipped and for a change of folder). */
export function registerShipped(kind: Kind): void {
  kinds.push(kind);
}

/** Reads every registered kind now (start-up); the first failure throws. */
export function loadRegistered(): string[] {
  for (const k of kinds) k.load();
  return kinds.map((k) => k.name);
}

/** Reads the shipped files from another folder from now on (start-up, before anything is read). */
export function useLexiconDir(dir: string): void {
  const resolved = path.resolve(dir);
  if (resolved === lexiconDir) return;
  lexiconDir = resolved;
  for (const k of kinds) k.reset();
}

function readText(file: string): string {
  if (!existsSync(file)) throw new ShippedFileError(file, null, 'file is missing');
  return readFileSync(file, 'utf8');
}

/** The first problem zod found, as a ShippedFileError naming the field. */
export function zodFileError(file: string, error: z.ZodError): ShippedFileError {
  const first = error.issues[0];
  return new ShippedFileError(file, first?.path.join('.') || '(root)', first?.message ?? 'invalid');
}

/** Reads and validates one JSON file (any path: tests and commands pass their own). */
export function readJsonFile<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  const text = readText(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ShippedFileError(file, null, `not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw zodFileError(file, parsed.error);
  return parsed.data;
}

/** Lines of a word list, blank lines and # comments left out; [] when the file is optional and absent. */
export function readListFile(file: string, opts: { optional?: boolean } = {}): string[] {
  if (opts.optional && !existsSync(file)) return [];
  return readText(file)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** The files of a folder whose names match, with their text, sorted by name (calendar years). */
export function readFolder(dir: string, name: RegExp): { name: string; file: string; text: string }[] {
  if (!existsSync(dir)) throw new ShippedFileError(dir, null, 'folder is missing');
  return readdirSync(dir)
    .filter((f) => name.test(f))
    .sort()
    .map((f) => ({ name: f, file: path.join(dir, f), text: readFileSync(path.join(dir, f), 'utf8') }));
}

/** A shipped kind read by `read` from the folder in use on first use, then kept. */
export function shippedKind<T>(name: string, read: (dir: string) => T): () => T {
  let value: { v: T } | undefined;
  registerShipped({ name, load: () => void get(), reset: () => (value = undefined) });
  function get(): T {
    value ??= { v: read(lexiconDir) };
    return value.v;
  }
  return get;
}

/** A shipped JSON file validated by its schema, read on first use (or at start-up) and kept. */
export function shippedJson<S extends z.ZodType>(rel: string, schema: S): () => z.output<S> {
  return shippedKind(rel, (dir) => readJsonFile(path.join(dir, rel), schema));
}

/** A shipped word list (lines, no comments). */
export function shippedList(rel: string, opts: { optional?: boolean } = {}): () => string[] {
  return shippedKind(rel, (dir) => readListFile(path.join(dir, rel), opts));
}
