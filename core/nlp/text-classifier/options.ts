// Command-line flags shared by `train`, `eval classify` and `eval cv`, so a setting measured by
// cross-validation is the one that trains the shipped model.
import type { TrainOptions } from '../text-classifier';

export const TRAIN_FLAGS = {
  c: { type: 'string' },
  'min-df': { type: 'string' },
  'max-n': { type: 'string' },
  'min-n': { type: 'string' },
  'prefix-chars': { type: 'string' },
  'calibration-folds': { type: 'string' },
  'keep-features': { type: 'string' },
  balanced: { type: 'boolean' },
  words: { type: 'boolean' },
  'fold-digits': { type: 'boolean' },
} as const;

function num(v: string | undefined, flag: string, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) throw new Error(`--${flag}: not a valid ${integer ? 'whole ' : ''}number: "${v}"`);
  return n;
}

export function trainOptionsFromFlags(v: Record<string, string | boolean | undefined>): TrainOptions {
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const features: TrainOptions['features'] = {};
  const maxN = num(s('max-n'), 'max-n', true);
  const minN = num(s('min-n'), 'min-n', true);
  const prefix = num(s('prefix-chars'), 'prefix-chars', true);
  if (maxN !== undefined) features.maxN = maxN;
  if (minN !== undefined) features.minN = minN;
  if (prefix !== undefined) features.prefixChars = prefix;
  if (v.words) features.words = true;
  if (v['fold-digits']) features.foldDigits = true;
  const opts: TrainOptions = { features };
  const C = num(s('c'), 'c', false);
  const minDf = num(s('min-df'), 'min-df', true);
  const cal = num(s('calibration-folds'), 'calibration-folds', true);
  if (C !== undefined) opts.C = C;
  if (minDf !== undefined) opts.minDf = minDf;
  if (cal !== undefined) opts.calibrationFolds = cal;
  const keep = num(s('keep-features'), 'keep-features', true);
  if (keep !== undefined) opts.keepFeatures = keep;
  if (v.balanced) opts.balanced = true;
  return opts;
}
