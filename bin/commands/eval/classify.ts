// `npm run --silent cli -- eval classify --train TRAIN.csv --test TEST.csv`: trains on one file,
// scores the other; the last stdout line is one JSON object (progress goes to stderr).
import { parseArgs } from 'node:util';
import { trainTextClassifier } from '../../../core/nlp/text-classifier';
import { evaluate } from '../../../core/nlp/text-classifier/metrics';
import { TRAIN_FLAGS, trainOptionsFromFlags } from '../../../core/nlp/text-classifier/options';
import { readLabelledCsv } from '../../../core/util/csv';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      train: { type: 'string' },
      test: { type: 'string' },
      'text-col': { type: 'string', default: 'text' },
      'label-col': { type: 'string', default: 'label' },
      ...TRAIN_FLAGS,
    },
  });
  if (!values.train || !values.test) {
    console.error('usage: npm run --silent cli -- eval classify --train TRAIN.csv --test TEST.csv [--text-col text] [--label-col label]');
    return 2;
  }
  const train = readLabelledCsv(values.train, values['text-col'], values['label-col']);
  const test = readLabelledCsv(values.test, values['text-col'], values['label-col']);
  const result = trainAndScore(train, test, trainOptionsFromFlags(values));
  console.log(JSON.stringify(result));
  return 0;
}

export interface ScoredRun {
  macroF1: number;
  accuracy: number;
  trainMs: number;
  classifyPerSec: number;
  perClass: ReturnType<typeof evaluate>['perClass'];
}

/** Train, then classify the test texts from raw text (featurisation included in the rate). */
export function trainAndScore(
  train: { texts: string[]; labels: string[] },
  test: { texts: string[]; labels: string[] },
  options: Parameters<typeof trainTextClassifier>[2] = {},
): ScoredRun {
  const t0 = performance.now();
  const model = trainTextClassifier(train.texts, train.labels, { ...options, log: (m) => console.error(`  ${m}`) });
  const t1 = performance.now();
  const predicted = model.predictBatch(test.texts).map((p) => p.label);
  const t2 = performance.now();
  const scores = evaluate(test.labels, predicted);
  return {
    macroF1: scores.macroF1,
    accuracy: scores.accuracy,
    trainMs: Math.round(t1 - t0),
    classifyPerSec: Math.round(test.texts.length / ((t2 - t1) / 1000)),
    perClass: scores.perClass,
  };
}
