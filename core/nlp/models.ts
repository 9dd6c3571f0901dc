// Every shipped model file of the readers is named here (lexicons/models/) and read through the
// shipped-file loader (core/shipped): once, at start-up in the services (loadShipped) or on first use
// elsewhere. A missing or broken file is a deployment error: it is logged once with the file's path
// and every use throws an error naming the file, never a silent fallback.
// Tests and evaluations may put another model in place (or none, where a reader allows it).
import { existsSync } from 'node:fs';
import { ZodError } from 'zod';
import { registerShipped, shippedPath } from '../shipped/store';

/** The model files in the shipped folder in use (lexicons/models/ unless configured otherwise). */
export const MODEL_FILES = {
  get category() {
    return shippedPath('models', 'category.json');
  },
  get requestType() {
    return shippedPath('models', 'request-type.json');
  },
  get urgency() {
    return shippedPath('models', 'urgency.json');
  },
  get sentiment() {
    return shippedPath('models', 'sentiment.json');
  },
};

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

/** A model read by `load` from `file` on first use. A file given as a function is a shipped model:
 * its path is taken when it is read (the shipped folder in use) and loadShipped reads it at start-up. */
export function shippedModel<T>(file: string | (() => string), load: (file: string) => T): ShippedModel<T> {
  let model: T | null | undefined;
  let failure: ModelFileError | undefined;
  const fileNow = () => (typeof file === 'string' ? file : file());
  const holder: ShippedModel<T> = {
    get file() {
      return fileNow();
    },
    get() {
      if (model !== undefined) return model;
      if (failure) throw failure;
      const f = fileNow();
      try {
        if (!existsSync(f)) throw new Error('file is missing');
        model = load(f);
        return model;
      } catch (err) {
        const first = err instanceof ZodError ? err.issues[0] : undefined;
        failure = new ModelFileError(f, first ? `${first.path.join('.') || '(root)'}: ${first.message}` : err instanceof Error ? err.message : String(err));
        console.error(`[minsheng nlp] ${failure.message}`);
        throw failure;
      }
    },
    set(m) {
      model = m;
      failure = undefined;
    },
  };
  if (typeof file === 'function') {
    let overridden = false;
    const set = holder.set;
    holder.set = (m) => {
      overridden = m !== undefined;
      set(m);
    };
    registerShipped({
      name: 'model',
      load: () => void (overridden ? null : holder.get()),
      reset: () => {
        if (!overridden) set(undefined);
      },
    });
  }
  return holder;
}
