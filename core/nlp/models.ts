// Every shipped model file of the readers is named and read here, and only here (lexicons/models/).
// A model is read once, on first use. A missing or broken file is a deployment error: it is logged
// once with the file's path and every use throws an error naming the file, never a silent fallback.
// Tests and evaluations may put another model in place (or none, where a reader allows it).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LEXICON_DIR } from './segment';

export const MODEL_DIR = path.join(LEXICON_DIR, 'models');

export const MODEL_FILES = {
  category: path.join(MODEL_DIR, 'category.json'),
  requestType: path.join(MODEL_DIR, 'request-type.json'),
  urgency: path.join(MODEL_DIR, 'urgency.json'),
  sentiment: path.join(MODEL_DIR, 'sentiment.json'),
} as const;

export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`shipped model ${file}: ${reason}`);
    this.name = 'ModelFileError';
  }
}

export interface ShippedModel<T> {
  /** the model in use: the shipped file (read on first use; throws ModelFileError when missing or broken) or one put in place */
  get(): T | null;
  /** put another model in place (null: none); undefined goes back to the shipped file */
  set(m: T | null | undefined): void;
  readonly file: string;
}

/** A shipped model read by `load` from `file` on first use. */
export function shippedModel<T>(file: string, load: (file: string) => T): ShippedModel<T> {
  let model: T | null | undefined;
  let failure: ModelFileError | undefined;
  return {
    file,
    get() {
      if (model !== undefined) return model;
      if (failure) throw failure;
      try {
        if (!existsSync(file)) throw new Error('file is missing');
        model = load(file);
        return model;
      } catch (err) {
        failure = new ModelFileError(file, err instanceof Error ? err.message : String(err));
        console.error(`[minsheng nlp] ${failure.message}`);
        throw failure;
      }
    },
    set(m) {
      model = m;
      failure = undefined;
    },
  };
}
