// Where the data the product ships (lexicons/) lives, resolved once for every loader.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LEXICON_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../lexicons');

/** A file or folder under lexicons/, e.g. lexiconPath('calendar', '2026.json'). */
export function lexiconPath(...parts: string[]): string {
  return path.join(LEXICON_DIR, ...parts);
}
