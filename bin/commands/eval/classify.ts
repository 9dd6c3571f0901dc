// `npm run --silent cli -- eval classify --train TRAIN.csv --test TEST.csv`: trains on one file,
// scores the other; the last stdout line is one JSON object (progress goes to stderr).
// `--model FILE` scores an already trained model (e.g. the shipped one) instead of training.
import { parseArgs } from 'node:util';
import { loadTextClassifier, trainTextClassifier, type TextClassifier } from '../../../core/nlp/text-classifier';
import { evaluate } from '../../../core/nlp/text-classifier/metrics';
import { confusion, reliability, reviewQueue } from '../../../core/nlp/calibration';
import { nlpThresholds } from '../../../core/nlp/analyze';
import { TRAIN_FLAGS, trainOptionsFromFlags } from '../../../core/nlp/text-classifier/options';
import { readLabelledCsv } from '../../../core/util/csv';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      train: { type: 'string' },
      test: { type: 'string' },
      model: { type: 'string' },
      'text-col': { type: 'string', default: 'text' },
      'label-col': { type: 'string', default: 'label' },
      ...TRAIN_FLAGS,
    },
  });
  if (!values.test || !(values.train || values.model)) {
    console.error('usage: npm run --silent cli -- eval classify (--train TRAIN.csv | --model MODEL.json) --test TEST.csv [--text-col text] [--label-col label]');
    return 2;
  }
  const test = readLabelledCsv(values.test, values['text-col'], values['label-col']);
  const result = values.model
    ? score(loadTextClassifier(values.model), test, 0)
    : trainAndScore(readLabelledCsv(values.train!, values['text-col'], values['label-col']), test, trainOptionsFromFlags(values));
  const { predicted: _predicted, confidences: _confidences, ...shown } = result;
  console.log(JSON.stringify(shown));
  return 0;
}

export interface ScoredRun {
  macroF1: number;
  accuracy: number;
  trainMs: number;
  classifyPerSec: number;
  perClass: ReturnType<typeof evaluate>['perClass'];
  /** gold label → predicted label → count */
  confusion: Record<string, Record<string, number>>;
  /** the predicted label of every test text, in order */
  predicted?: string[];
  confidences?: number[];
  ece: number;
  reliability: ReturnType<typeof reliability>['table'];
  review: ReturnType<typeof reviewQueue>;
}

/** Train, then classify the test texts from raw text (featurisation included in the rate). */
export function trainAndScore(
  train: { texts: string[]; labels: string[] },
  test: { texts: string[]; labels: string[] },
  options: Parameters<typeof trainTextClassifier>[2] = {},
): ScoredRun {
  const t0 = performance.now();
  const model = trainTextClassifier(train.texts, train.labels, { ...options, log: (m) => console.error(`  ${m}`) });
  return score(model, test, performance.now() - t0);
}

function score(model: TextClassifier, test: { texts: string[]; labels: string[] }, trainMs: number): ScoredRun {
  const t1 = performance.now();
  const predictions = model.predictBatch(test.texts);
  const t2 = performance.now();
  const predicted = predictions.map((p) => p.label);
  const confidences = predictions.map((p) => p.confidence);
  const correct = predicted.map((p, i) => p === test.labels[i]);
  const cal = reliability(confidences, correct);
  const scores = evaluate(test.labels, predicted);
  return {
    macroF1: scores.macroF1,
    accuracy: scores.accuracy,
    trainMs: Math.round(trainMs),
    classifyPerSec: Math.round(test.texts.length / ((t2 - t1) / 1000)),
    perClass: scores.perClass,
    confusion: confusion(test.labels, predicted),
    ece: cal.ece,
    reliability: cal.table,
    review: reviewQueue(confidences, correct, nlpThresholds().category),
    predicted,
    confidences,
  };
}
