// `npm run --silent cli -- eval cv --data FILE.csv [--folds 5] [--seed 1] [--baseline] [--extra SEED.csv]`: stratified
// k-fold cross-validation of our classifier and, with --baseline, of the Python peer on the very
// same fold files. One line per fold, then one JSON summary as the last stdout line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stratifiedFolds } from '../../../core/nlp/text-classifier';
import { evaluate, meanStd } from '../../../core/nlp/text-classifier/metrics';
import { confusion, reliability, reviewQueue } from '../../../core/nlp/calibration';
import { nlpThresholds } from '../../../core/nlp/analyze';
import { TRAIN_FLAGS, trainOptionsFromFlags } from '../../../core/nlp/text-classifier/options';
import { readLabelledCsv, toCsv } from '../../../core/util/csv';
import { trainAndScore } from './classify';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DEFAULT_BASELINE = path.resolve(repoRoot, '../shared/bench/baseline_classify.py');

export interface FoldScore {
  macroF1: number;
  accuracy: number;
  trainMs: number;
  classifyPerSec: number;
}

function summarise(runs: FoldScore[]) {
  return {
    macroF1: meanStd(runs.map((r) => r.macroF1)),
    accuracy: meanStd(runs.map((r) => r.accuracy)),
    trainMs: meanStd(runs.map((r) => r.trainMs)),
    classifyPerSec: meanStd(runs.map((r) => r.classifyPerSec)),
  };
}

export function runBaseline(python: string, script: string, trainFile: string, testFile: string, textCol: string, labelCol: string): FoldScore {
  const r = spawnSync(python, [script, trainFile, testFile, '--text-col', textCol, '--label-col', labelCol], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`baseline: cannot run ${python}: ${r.error.message}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`baseline failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const j = JSON.parse(last) as FoldScore;
  return { macroF1: j.macroF1, accuracy: j.accuracy, trainMs: j.trainMs, classifyPerSec: j.classifyPerSec };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      folds: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      'text-col': { type: 'string', default: 'text' },
      'label-col': { type: 'string', default: 'label' },
      baseline: { type: 'boolean' },
      'baseline-script': { type: 'string' },
      python: { type: 'string', default: '/usr/bin/python3' },
      // extra labelled rows (e.g. the seed corpus) added to every fold's training, never to its test
      extra: { type: 'string' },
      'extra-label-col': { type: 'string' },
      ...TRAIN_FLAGS,
    },
  });
  const k = Number(values.folds);
  const seed = Number(values.seed);
  if (!values.data || !Number.isInteger(k) || k < 2 || !Number.isInteger(seed)) {
    console.error('usage: npm run --silent cli -- eval cv --data FILE.csv [--folds 5] [--seed 1] [--text-col text] [--label-col label] [--baseline] [--baseline-script PATH]');
    return 2;
  }
  const textCol = values['text-col'];
  const labelCol = values['label-col'];
  const data = readLabelledCsv(values.data, textCol, labelCol);
  // a blank label (e.g. annotators disagreed) leaves the row out
  const keep = data.labels.map((l, i) => (l?.trim() ? i : -1)).filter((i) => i >= 0);
  const texts = keep.map((i) => data.texts[i]);
  const labels = keep.map((i) => data.labels[i].trim());
  const extra = { texts: [] as string[], labels: [] as string[] };
  for (const f of (values.extra ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const e = readLabelledCsv(f, textCol, values['extra-label-col'] ?? labelCol);
    e.labels.forEach((l, i) => {
      if (l?.trim()) {
        extra.texts.push(e.texts[i]);
        extra.labels.push(l.trim());
      }
    });
  }
  const options = trainOptionsFromFlags(values);
  const script = path.resolve(values['baseline-script'] ?? DEFAULT_BASELINE);
  if (values.baseline && !existsSync(script)) {
    console.error(`eval cv: baseline script not found: ${script}`);
    return 1;
  }
  const folds = stratifiedFolds(labels, k, seed);
  const dir = values.baseline ? mkdtempSync(path.join(tmpdir(), 'minsheng-cv-')) : '';
  const ours: FoldScore[] = [];
  const pooledGold: string[] = [];
  const pooledPred: string[] = [];
  const pooledConf: number[] = [];
  const peer: FoldScore[] = [];
  try {
    for (let f = 0; f < k; f++) {
      const pick = (inTest: boolean) => {
        const idx = texts.map((_, i) => i).filter((i) => (folds[i] === f) === inTest);
        return { texts: idx.map((i) => texts[i]), labels: idx.map((i) => labels[i]) };
      };
      const own = pick(false);
      const train = { texts: [...own.texts, ...extra.texts], labels: [...own.labels, ...extra.labels] };
      const test = pick(true);
      console.error(`fold ${f + 1}/${k}: train ${train.texts.length}, test ${test.texts.length}`);
      const { perClass: _perClass, confusion: _confusion, predicted, confidences, ece: _ece, reliability: _rel, review: _review, ...score } = trainAndScore(train, test, options);
      pooledConf.push(...(confidences ?? []));
      ours.push(score);
      pooledGold.push(...test.labels);
      pooledPred.push(...(predicted ?? []));
      let line = `fold ${f + 1}\tours macroF1 ${score.macroF1.toFixed(4)} acc ${score.accuracy.toFixed(4)} train ${score.trainMs} ms ${score.classifyPerSec}/s`;
      if (values.baseline) {
        const asRows = (d: typeof train) => d.texts.map((t, i) => ({ [textCol]: t, [labelCol]: d.labels[i] }));
        const trainFile = path.join(dir, `fold${f + 1}-train.csv`);
        const testFile = path.join(dir, `fold${f + 1}-test.csv`);
        writeFileSync(trainFile, toCsv([textCol, labelCol], asRows(train)));
        writeFileSync(testFile, toCsv([textCol, labelCol], asRows(test)));
        const p = runBaseline(values.python, script, trainFile, testFile, textCol, labelCol);
        peer.push(p);
        line += `\tpeer macroF1 ${p.macroF1.toFixed(4)} acc ${p.accuracy.toFixed(4)} train ${p.trainMs} ms ${p.classifyPerSec}/s`;
      }
      console.log(line);
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  // every text was held out once: per-class figures and the confusion matrix over all of them
  const pooled = evaluate(pooledGold, pooledPred);
  const correct = pooledGold.map((g, i) => g === pooledPred[i]);
  const cal = reliability(pooledConf, correct);
  const summary: Record<string, unknown> = { folds: k, seed, ours: { ...summarise(ours), pooled: { macroF1: pooled.macroF1, accuracy: pooled.accuracy, perClass: pooled.perClass, confusion: confusion(pooledGold, pooledPred), ece: cal.ece, reliability: cal.table, review: reviewQueue(pooledConf, correct, nlpThresholds().category) } } };
  if (values.baseline) {
    summary.peer = summarise(peer);
    summary.macroF1Delta = Math.round((summary.ours as ReturnType<typeof summarise>).macroF1.mean * 10000 - (summary.peer as ReturnType<typeof summarise>).macroF1.mean * 10000) / 10000;
    summary.foldsWon = ours.filter((o, i) => o.macroF1 > peer[i].macroF1).length;
  }
  console.log(JSON.stringify(summary));
  return 0;
}
