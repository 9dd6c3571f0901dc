// `npm run --silent cli -- eval sentiment --test FILE.csv [--train FILE.csv] [--text-col text] [--label-col label]`
//   [--split 0.8 --seed 1]        train on a seeded random share of --test, test on the rest
//   [--lexicon WORDS.csv [--negations NEG.csv]]  measure a peer word,score lexicon instead of ours
//   [--save MODEL.json]           keep the model trained with --train/--split
//   [--rows odd|even]             use only every other test row (a dev half and a held-out half)
//   [--errors N]                  print N misread rows to stderr
//   [--reader messages]           without --train: the citizen-message reader (lexicon + the shipped
//                                 in-domain model) instead of the domain-general lexicon reader
// Prints one JSON object on stdout: {"accuracy","balancedAccuracy","macroF1","n",…}.
//
// Binary gold labels (1/0): our three-way reader's "neutral" is mapped by the sign of its score,
// with a score of exactly 0 (no sentiment words found) counted as positive — see `binaryLabel`.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { readCsvFile } from '../../../core/util/csv';
import {
  analyzeSentiment,
  messageSentiment,
  saveSentimentModel,
  toSentimentLabel,
  trainSentimentModel,
  type SentimentResult,
} from '../../../core/nlp/sentiment';
import { evaluate } from '../../../core/nlp/text-classifier/metrics';
import { parseCsv } from '../../../core/util/csv';
import { seededRandom } from '../../../core/util/seeded-random';

/** Mean of per-class recall over the gold classes. */
export function balancedAccuracy(gold: readonly string[], pred: readonly string[]): number {
  const classes = [...new Set(gold)];
  if (!classes.length) return 0;
  let sum = 0;
  for (const c of classes) {
    let n = 0, hit = 0;
    gold.forEach((g, i) => { if (g === c) { n++; if (pred[i] === c) hit++; } });
    sum += hit / n;
  }
  return Math.round((sum / classes.length) * 10000) / 10000;
}

/** A three-way reading on a binary task: neutral goes by the sign of the score, 0 → positive. */
export function binaryLabel(r: { label: string; score: number }): 'positive' | 'negative' {
  if (r.label === 'positive' || r.label === 'negative') return r.label;
  return r.score < 0 ? 'negative' : 'positive';
}

function loadRows(file: string, textCol: string, labelCol: string): { texts: string[]; labels: string[] } {
  const { header, rows } = readCsvFile(file);
  for (const c of [textCol, labelCol]) if (!header.includes(c)) throw new Error(`${file}: no column "${c}" (columns: ${header.join(', ')})`);
  const texts: string[] = [];
  const labels: string[] = [];
  for (const r of rows) {
    const l = toSentimentLabel(r[labelCol]);
    if (!l) continue; // empty or unknown label: not part of the figures
    texts.push(r[textCol] ?? '');
    labels.push(l);
  }
  return { texts, labels };
}

/** A plain peer reader: jieba words, summed scores, sign flipped after a negation word. */
export function peerReader(lexiconFile: string, negationFile?: string): (text: string) => { label: string; score: number } {
  const scores = new Map<string, number>();
  const rows = parseCsv(readFileSync(lexiconFile, 'utf8'));
  for (const r of rows.slice(1)) {
    const s = Number(r[1]);
    if (r[0] && Number.isFinite(s)) scores.set(r[0].trim(), s);
  }
  const negations = new Set<string>(
    negationFile ? parseCsv(readFileSync(negationFile, 'utf8')).slice(1).map((r) => r[0].trim()) : ['不', '没', '没有', '无', '非', '未', '别', '不是', '并不', '并非', '毫无', '从不', '从未', '绝不'],
  );
  const require = createRequire(import.meta.url);
  const jieba: { cut(t: string, hmm?: boolean): string[] } = require('nodejieba');
  return (text: string) => {
    const toks = jieba.cut(text, true);
    let score = 0;
    toks.forEach((t, i) => {
      const s = scores.get(t);
      if (s === undefined) return;
      let flips = 0;
      for (let j = Math.max(0, i - 2); j < i; j++) if (negations.has(toks[j])) flips++;
      score += flips % 2 ? -s : s;
    });
    return { label: score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral', score };
  };
}

const OPTIONS = Object.fromEntries(
  ['test', 'train', 'text-col', 'label-col', 'split', 'seed', 'lexicon', 'negations', 'save', 'rows', 'errors', 'reader'].map((k) => [k, { type: 'string' as const }]),
);

export async function run(argv: string[]): Promise<number> {
  let a: Record<string, string | undefined>;
  try {
    a = parseArgs({ args: argv, options: OPTIONS }).values as Record<string, string | undefined>;
  } catch (err) {
    console.error(`eval sentiment: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  if (a.reader !== undefined && a.reader !== 'messages' && a.reader !== 'lexicon') {
    console.error(`eval sentiment: --reader is lexicon (default) or messages, not "${a.reader}"`);
    return 2;
  }
  if (!a.test) {
    console.error('usage: eval sentiment --test FILE.csv [--train FILE.csv | --split 0.8 --seed 1] [--text-col text] [--label-col label] [--lexicon WORDS.csv [--negations NEG.csv]] [--save MODEL.json] [--rows odd|even] [--errors N]');
    return 2;
  }
  const textCol = a['text-col'] ?? 'text';
  const labelCol = a['label-col'] ?? 'label';
  let test = loadRows(a.test, textCol, labelCol);
  let train: { texts: string[]; labels: string[] } | null = a.train ? loadRows(a.train, textCol, labelCol) : null;

  if (a.split && !train) {
    const share = Number(a.split);
    if (!(share > 0 && share < 1)) throw new Error(`--split must be between 0 and 1, got ${a.split}`);
    const rand = seededRandom(Number(a.seed ?? 1));
    const idx = test.texts.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [idx[i], idx[j]] = [idx[j], idx[i]]; }
    const cut = Math.round(idx.length * share);
    const pick = (ids: number[]) => ({ texts: ids.map((i) => test.texts[i]), labels: ids.map((i) => test.labels[i]) });
    train = pick(idx.slice(0, cut));
    test = pick(idx.slice(cut));
  }
  if (a.rows === 'odd' || a.rows === 'even') {
    const keep = (_: unknown, i: number) => (i % 2 === 1) === (a.rows === 'odd');
    test = { texts: test.texts.filter(keep), labels: test.labels.filter(keep) };
  }

  const binary = !test.labels.includes('neutral');
  let predict: (text: string) => { label: string; score: number };
  let method: string;
  if (a.lexicon) {
    // the peer is measured on exactly the rows ours is (with --split: the same held-out share)
    predict = peerReader(a.lexicon, a.negations);
    method = `lexicon:${a.lexicon.split('/').pop()}`;
  } else if (train) {
    const t0 = performance.now();
    const model = trainSentimentModel(train.texts, train.labels, { log: (m) => console.error(m) });
    console.error(`trained on ${train.texts.length} rows in ${(performance.now() - t0).toFixed(0)} ms`);
    if (a.save) saveSentimentModel(model, a.save);
    predict = (t) => analyzeSentiment(t, { model });
    method = 'trained';
  } else if (a.reader === 'messages') {
    predict = (t): SentimentResult => messageSentiment(t);
    method = 'messages';
  } else {
    predict = (t): SentimentResult => analyzeSentiment(t);
    method = 'default';
  }

  const gold = test.labels;
  const pred = test.texts.map((t) => {
    const r = predict(t);
    return binary ? binaryLabel(r) : r.label === 'unknown' ? 'neutral' : r.label;
  });
  const ev = evaluate(gold, pred);
  const nErrors = Number(a.errors ?? 0);
  if (nErrors > 0) {
    let shown = 0;
    for (let i = 0; i < gold.length && shown < nErrors; i++) {
      if (gold[i] === pred[i]) continue;
      shown++;
      const r = analyzeSentiment(test.texts[i]);
      console.error(`[${gold[i]}→${pred[i]}] ${r.score.toFixed(2)} ${test.texts[i].slice(0, 160)}\n    ${r.hits.map((h) => `${h.word}${h.weight.toFixed(1)}`).join(' ')}`);
    }
  }
  console.log(
    JSON.stringify({
      accuracy: ev.accuracy,
      balancedAccuracy: balancedAccuracy(gold, pred),
      macroF1: ev.macroF1,
      n: gold.length,
      method,
      ...(binary ? { binary: true } : {}),
    }),
  );
  return 0;
}
