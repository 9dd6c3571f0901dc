// A generic trainable text classifier (category, sentiment, request type…): character n-grams
// (+ optional jieba words) → sublinear TF-IDF → L2 norm → one-vs-rest linear SVM trained by dual
// coordinate descent; confidence is a softmax over the margins with a temperature fitted on
// held-out folds of the training data, so it behaves like a probability.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Prediction } from './types';
import { decodeF32, decodeF64, decodeQ8, encodeF32, encodeF64, encodeQ8 } from './linear/codec';
import { DEFAULT_FEATURES, type FeatureConfig, extractKeys, hasContent, truncate } from './linear/features';
import { KeyTable } from './linear/key-table';
import type { Csr } from './linear/sparse';
import { seededRandom } from '../util/seeded-random';
import { type SvmOptions, trainOneVsRest } from './linear/svm';
import { sharedCut, sharedSegment } from './segment';

export const UNKNOWN_LABEL = 'unknown';

/** Content words for topics; every token (punctuation kept as clause breaks) when stop words count. */
function wordSegmenter(f: FeatureConfig): ((text: string) => readonly string[]) | undefined {
  // the shared segmentation of the text (segment.ts): one jieba call per message for every reader
  return f.words ? (f.wordStopWords ? sharedCut : sharedSegment) : undefined;
}

export interface TrainOptions {
  features?: Partial<FeatureConfig>;
  /** SVM regularisation: larger fits the training data harder */
  C?: number;
  /** features seen in fewer training texts are dropped; 'auto' is 3 from 2,000 texts up,
   * 2 from 200, else 1 (small hand-written corpora cannot spare their rare words) */
  minDf?: number | 'auto';
  /** scale C per class by n / (k · n_class), which helps macro-F1 on rare classes */
  balanced?: boolean;
  eps?: number;
  maxIter?: number;
  seed?: number;
  /** folds used to fit the confidence temperature; 0 or 1 keeps `temperature` */
  calibrationFolds?: number;
  temperature?: number;
  /** NB-SVM log-count-ratio feature scaling with this smoothing (0 = plain SVM) */
  nbAlpha?: number;
  /** after training, keep only this many features, those with the largest weight magnitude (over
   * the classes, times the feature's idf), and refit the weights on them: a smaller model file.
   * Unset: every feature kept. */
  keepFeatures?: number;
  log?: (message: string) => void;
}

const DEFAULT_TRAIN = {
  C: 2,
  minDf: 'auto' as number | 'auto',
  balanced: false,
  eps: 0.1,
  maxIter: 200,
  seed: 1,
  calibrationFolds: 3,
  temperature: 0.3,
  nbAlpha: 0.1,
};

export interface TextClassifier {
  readonly labels: readonly string[];
  predict(text: string): Prediction;
  predictBatch(texts: readonly string[]): Prediction[];
  /** probability of every label (all 0 for text with nothing to read) */
  probabilities(text: string): Record<string, number>;
  /** raw margins per text, in `labels` order (all 0 for text with nothing to read) */
  rawMargins(texts: readonly string[]): Float64Array[];
  toJSON(options?: { quantize?: boolean }): TextClassifierJson;
  /** what training recorded (examples, label counts…) and what readers keep with the model */
  readonly meta: Record<string, unknown>;
}

const featureSchema = z.object({
  minN: z.number().int().min(1).max(8),
  maxN: z.number().int().min(1).max(8),
  prefixChars: z.number().int().min(0),
  prefixMaxN: z.number().int().min(0).max(8),
  suffixChars: z.number().int().min(0).default(0),
  foldDigits: z.boolean(),
  punctBreaks: z.boolean(),
  maxChars: z.number().int().min(1),
  words: z.boolean(),
  wordMaxN: z.number().int().min(1).max(3).default(1),
  wordStopWords: z.boolean().default(false),
  negationScope: z.number().int().min(0).max(8).default(0),
});

const modelSchema = z.object({
  format: z.literal('minsheng/text-classifier'),
  version: z.literal(1),
  labels: z.array(z.string()).min(1),
  features: featureSchema,
  temperature: z.number().positive(),
  bias: z.number(),
  nFeatures: z.number().int().min(0),
  keys: z.string(),
  idf: z.string(),
  weights: z.union([z.string(), z.object({ scales: z.array(z.number()), data: z.string() })]),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type TextClassifierJson = z.infer<typeof modelSchema>;

interface ModelParts {
  labels: string[];
  features: FeatureConfig;
  temperature: number;
  bias: number;
  keys: Float64Array; // feature index → n-gram key
  idf: Float32Array;
  weights: Float32Array; // (nFeatures + 1) × nLabels, feature-major; last row is the bias
  meta?: Record<string, unknown>;
}

// the last text's feature keys, for the next model with the same feature settings
let lastKeys: { text: string; signature: string; keys: Float64Array; k: number } | null = null;

class LinearTextClassifier implements TextClassifier {
  readonly labels: readonly string[];
  private readonly table: KeyTable;
  private readonly nF: number;
  private readonly nC: number;
  // scratch space reused across calls (classification is synchronous)
  private keyBuf: Float64Array = new Float64Array(4096);
  private counts: Int32Array;
  private touched = new Int32Array(4096);
  private scores: Float64Array;

  get meta(): Record<string, unknown> {
    return this.m.meta ?? {};
  }

  constructor(private readonly m: ModelParts) {
    this.labels = m.labels;
    this.nF = m.keys.length;
    this.nC = m.labels.length;
    this.table = new KeyTable(this.nF);
    for (let f = 0; f < this.nF; f++) this.table.set(m.keys[f], f);
    this.counts = new Int32Array(this.nF);
    this.scores = new Float64Array(this.nC);
    const f = m.features as unknown as Record<string, unknown>;
    this.featureSignature = JSON.stringify(Object.keys(DEFAULT_FEATURES).map((key) => f[key] ?? (DEFAULT_FEATURES as unknown as Record<string, unknown>)[key]));
  }

  private readonly featureSignature: string;

  /** The feature keys of a text into this.keyBuf; models with the same feature settings (the
   * category and urgency models) reading the same message share one extraction. */
  private keysOf(t: string): [Float64Array, number] {
    const last = lastKeys;
    if (last !== null && last.text === t && last.signature === this.featureSignature) {
      if (this.keyBuf.length < last.k) this.keyBuf = new Float64Array(last.k * 2);
      this.keyBuf.set(last.keys.subarray(0, last.k));
      return [this.keyBuf, last.k];
    }
    const [buf, k] = extractKeys(t, this.m.features, this.keyBuf, wordSegmenter(this.m.features));
    this.keyBuf = buf;
    if (!lastKeys || lastKeys.keys.length < k) lastKeys = { text: t, signature: this.featureSignature, keys: new Float64Array(Math.max(k * 2, 4096)), k };
    lastKeys.keys.set(buf.subarray(0, k));
    lastKeys.text = t;
    lastKeys.signature = this.featureSignature;
    lastKeys.k = k;
    return [buf, k];
  }

  /** Raw margins into this.scores; false when the text has nothing to read (no letter or digit,
   * or no feature the model knows). */
  private margins(text: unknown): boolean {
    if (typeof text !== 'string' || !hasContent(text)) return false;
    const { features, idf, weights, bias } = this.m;
    const t = truncate(text, features.maxChars);
    const [buf, k] = this.keysOf(t);
    if (this.touched.length < k) this.touched = new Int32Array(k * 2);
    const { counts, touched, table } = this;
    let nnz = 0;
    for (let j = 0; j < k; j++) {
      const f = table.get(buf[j]);
      if (f < 0) continue;
      if (counts[f]++ === 0) touched[nnz++] = f;
    }
    if (nnz === 0) return false; // nothing the model has seen: a bias-only guess would mislead
    const nC = this.nC;
    const s = this.scores;
    const biasRow = this.nF * nC;
    for (let c = 0; c < nC; c++) s[c] = 0;
    let norm = 0;
    for (let j = 0; j < nnz; j++) {
      const f = touched[j];
      const n = counts[f];
      const v = (n === 1 ? 1 : 1 + Math.log(n)) * idf[f]; // log(1) = 0: skip the call for the usual single count
      counts[f] = 0;
      norm += v * v;
      const base = f * nC;
      for (let c = 0; c < nC; c++) s[c] += v * weights[base + c];
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let c = 0; c < nC; c++) s[c] = s[c] * inv + bias * weights[biasRow + c];
    return true;
  }

  private softmaxInPlace(): number {
    const s = this.scores;
    let best = 0;
    for (let c = 1; c < this.nC; c++) if (s[c] > s[best]) best = c;
    const top = s[best];
    let sum = 0;
    for (let c = 0; c < this.nC; c++) sum += (s[c] = Math.exp((s[c] - top) / this.m.temperature));
    for (let c = 0; c < this.nC; c++) s[c] /= sum;
    return best;
  }

  predict(text: string): Prediction {
    if (!this.margins(text)) return { label: UNKNOWN_LABEL, confidence: 0 };
    const best = this.softmaxInPlace();
    const confidence = this.scores[best];
    return { label: this.labels[best], confidence: Number.isFinite(confidence) ? confidence : 0 };
  }

  predictBatch(texts: readonly string[]): Prediction[] {
    return texts.map((t) => this.predict(t));
  }

  probabilities(text: string): Record<string, number> {
    const out: Record<string, number> = {};
    if (!this.margins(text)) {
      for (const l of this.labels) out[l] = 0;
      return out;
    }
    this.softmaxInPlace();
    this.labels.forEach((l, c) => (out[l] = this.scores[c]));
    return out;
  }

  /** Margins for a batch, label-major per text (used to fit the temperature). */
  rawMargins(texts: readonly string[]): Float64Array[] {
    return texts.map((t) => (this.margins(t) ? Float64Array.from(this.scores) : new Float64Array(this.nC)));
  }

  toJSON(options: { quantize?: boolean } = {}): TextClassifierJson {
    const m = this.m;
    return {
      format: 'minsheng/text-classifier',
      version: 1,
      labels: [...m.labels],
      features: { ...m.features },
      temperature: m.temperature,
      bias: m.bias,
      nFeatures: this.nF,
      keys: encodeF64(m.keys),
      idf: encodeF32(m.idf),
      weights: options.quantize ? encodeQ8(m.weights, this.nC) : encodeF32(m.weights),
      ...(m.meta ? { meta: m.meta } : {}),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// training

export interface Vocabulary {
  keys: Float64Array;
  idf: Float32Array;
  /** each document's feature ids (with repeats), -1 for dropped features */
  docFeatures: Int32Array;
  docStart: Int32Array;
}

function buildVocabulary(texts: readonly string[], features: FeatureConfig, minDf: number): Vocabulary {
  const provisional = new KeyTable(1 << 16);
  let keyOf: Float64Array = new Float64Array(1 << 16);
  let df: Int32Array = new Int32Array(1 << 16);
  let lastDoc: Int32Array = new Int32Array(1 << 16);
  let all = new Int32Array(1 << 20);
  const docStart = new Int32Array(texts.length + 1);
  let total = 0;
  let buf: Float64Array = new Float64Array(4096);
  for (let d = 0; d < texts.length; d++) {
    docStart[d] = total;
    const [b, k] = extractKeys(truncate(texts[d], features.maxChars), features, buf, wordSegmenter(features));
    buf = b;
    if (all.length < total + k) {
      const bigger = new Int32Array((total + k) * 2);
      bigger.set(all.subarray(0, total));
      all = bigger;
    }
    for (let j = 0; j < k; j++) {
      const key = b[j];
      let id = provisional.get(key);
      if (id < 0) {
        id = provisional.size;
        provisional.set(key, id);
        if (id >= keyOf.length) {
          keyOf = grow(keyOf, id * 2) as Float64Array;
          df = grow(df, id * 2) as Int32Array;
          lastDoc = grow(lastDoc, id * 2) as Int32Array;
        }
        keyOf[id] = key;
        lastDoc[id] = -1;
      }
      if (lastDoc[id] !== d) {
        lastDoc[id] = d;
        df[id]++;
      }
      all[total++] = id;
    }
  }
  docStart[texts.length] = total;
  const nProvisional = provisional.size;
  let threshold = minDf;
  const kept = (t: number) => { let n = 0; for (let i = 0; i < nProvisional; i++) if (df[i] >= t) n++; return n; };
  if (threshold > 1 && kept(threshold) === 0) threshold = 1; // tiny corpora
  const finalId = new Int32Array(nProvisional).fill(-1);
  let nF = 0;
  for (let i = 0; i < nProvisional; i++) if (df[i] >= threshold) finalId[i] = nF++;
  const keys = new Float64Array(nF);
  const idf = new Float32Array(nF);
  const n = texts.length;
  for (let i = 0; i < nProvisional; i++) {
    const f = finalId[i];
    if (f < 0) continue;
    keys[f] = keyOf[i];
    idf[f] = Math.log((1 + n) / (1 + df[i])) + 1;
  }
  const docFeatures = all.subarray(0, total);
  for (let j = 0; j < total; j++) docFeatures[j] = finalId[docFeatures[j]];
  return { keys, idf, docFeatures, docStart };
}

function grow(a: Float64Array | Int32Array, size: number): Float64Array | Int32Array {
  const b = a instanceof Float64Array ? new Float64Array(size) : new Int32Array(size);
  b.set(a);
  return b;
}

function buildMatrix(v: Vocabulary, rows: readonly number[]): Csr {
  const nF = v.keys.length;
  const counts = new Int32Array(nF);
  const touched: number[] = [];
  const rowPtr = new Int32Array(rows.length + 1);
  let colIdx = new Int32Array(1 << 20);
  let values = new Float32Array(1 << 20);
  let nnz = 0;
  rows.forEach((d, r) => {
    rowPtr[r] = nnz;
    touched.length = 0;
    for (let p = v.docStart[d]; p < v.docStart[d + 1]; p++) {
      const f = v.docFeatures[p];
      if (f >= 0 && counts[f]++ === 0) touched.push(f);
    }
    touched.sort((a, b) => a - b);
    if (colIdx.length < nnz + touched.length) {
      const size = (nnz + touched.length) * 2;
      const c2 = new Int32Array(size); c2.set(colIdx.subarray(0, nnz)); colIdx = c2;
      const v2 = new Float32Array(size); v2.set(values.subarray(0, nnz)); values = v2;
    }
    let norm = 0;
    const start = nnz;
    for (const f of touched) {
      const x = (1 + Math.log(counts[f])) * v.idf[f];
      counts[f] = 0;
      colIdx[nnz] = f;
      values[nnz++] = x;
      norm += x * x;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let p = start; p < nnz; p++) values[p] *= inv;
  });
  rowPtr[rows.length] = nnz;
  return { rows: rows.length, cols: nF, rowPtr, colIdx: colIdx.subarray(0, nnz), values: values.subarray(0, nnz) };
}

function selectRows(X: Csr, rows: readonly number[]): Csr {
  let nnz = 0;
  for (const r of rows) nnz += X.rowPtr[r + 1] - X.rowPtr[r];
  const rowPtr = new Int32Array(rows.length + 1);
  const colIdx = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let p = 0;
  rows.forEach((r, i) => {
    rowPtr[i] = p;
    const start = X.rowPtr[r];
    const end = X.rowPtr[r + 1];
    colIdx.set(X.colIdx.subarray(start, end), p);
    values.set(X.values.subarray(start, end), p);
    p += end - start;
  });
  rowPtr[rows.length] = p;
  return { rows: rows.length, cols: X.cols, rowPtr, colIdx, values };
}

/** Stratified fold assignment, deterministic for a seed. */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number): Int32Array {
  const rand = seededRandom(seed);
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const list = byLabel.get(l) ?? [];
    list.push(i);
    byLabel.set(l, list);
  });
  const fold = new Int32Array(labels.length);
  let offset = 0;
  for (const l of [...byLabel.keys()].sort()) {
    const idx = byLabel.get(l)!;
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    idx.forEach((d, j) => (fold[d] = (j + offset) % k));
    offset += idx.length; // rotate so small classes do not all start in fold 0
  }
  return fold;
}

/** Temperature minimising the negative log-likelihood of softmax(margins / T). */
/**
 * A confidence temperature fitted on texts the given models did not train on — e.g. one part of a
 * corpus scored by a model trained on another part, so confidence reflects text written apart from
 * the training text rather than cross-validation inside it.
 */
export function fitHeldOutTemperature(pairs: { model: TextClassifier; texts: readonly string[]; labels: readonly string[] }[]): number {
  const margins: Float64Array[] = [];
  const gold: number[] = [];
  for (const { model, texts, labels } of pairs) {
    const m = model.rawMargins(texts);
    labels.forEach((l, i) => {
      const c = model.labels.indexOf(l);
      if (c >= 0) {
        margins.push(m[i]);
        gold.push(c);
      }
    });
  }
  if (!margins.length) throw new Error('no held-out texts with known labels to fit a temperature on');
  return fitTemperature(margins, Int32Array.from(gold));
}

/** The same model with more entries in its meta (a reader's settings kept with its weights). */
export function withMeta(model: TextClassifier, meta: Record<string, unknown>): TextClassifier {
  const j = model.toJSON();
  return textClassifierFromJSON({ ...j, meta: { ...j.meta, ...meta } });
}

/** The same model with another confidence temperature (predictions are unchanged). */
export function withTemperature(model: TextClassifier, temperature: number): TextClassifier {
  return textClassifierFromJSON({ ...model.toJSON(), temperature });
}

function fitTemperature(margins: Float64Array[], gold: Int32Array): number {
  const nll = (T: number) => {
    let total = 0;
    for (let i = 0; i < margins.length; i++) {
      const m = margins[i];
      let top = -Infinity;
      for (const x of m) if (x > top) top = x;
      let sum = 0;
      for (const x of m) sum += Math.exp((x - top) / T);
      total += Math.log(sum) - (m[gold[i]] - top) / T;
    }
    return total;
  };
  let lo = Math.log(0.005);
  let hi = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 60; it++) {
    const a = hi - g * (hi - lo);
    const b = lo + g * (hi - lo);
    if (nll(Math.exp(a)) < nll(Math.exp(b))) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}

interface Prepared {
  docs: string[];
  y: Int32Array;
  labelList: string[];
  vocab: Vocabulary;
  X: Csr;
  svm: SvmOptions;
  parts: Omit<ModelParts, 'weights'>;
  seed: number;
  classCounts: Float64Array;
  t0: number;
}

function prepare(texts: readonly string[], labels: readonly string[], options: TrainOptions): Prepared {
  if (texts.length !== labels.length) throw new Error(`trainTextClassifier: ${texts.length} texts but ${labels.length} labels`);
  const o = { ...DEFAULT_TRAIN, ...options };
  const features: FeatureConfig = { ...DEFAULT_FEATURES, ...options.features };
  const log = options.log ?? (() => {});
  const keep: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    const l = labels[i]?.trim();
    if (l && l !== UNKNOWN_LABEL && typeof texts[i] === 'string' && hasContent(texts[i])) keep.push(i);
  }
  const docs = keep.map((i) => texts[i]);
  const labelList = [...new Set(keep.map((i) => labels[i].trim()))].sort();
  if (labelList.length < 2) throw new Error(`trainTextClassifier: need at least 2 labels with text, got ${labelList.length}`);
  const labelIndex = new Map(labelList.map((l, i) => [l, i]));
  const y = Int32Array.from(keep, (i) => labelIndex.get(labels[i].trim())!);
  const nC = labelList.length;

  const t0 = performance.now();
  const minDf = o.minDf === 'auto' ? (docs.length >= 2000 ? 3 : docs.length >= 200 ? 2 : 1) : o.minDf;
  const vocab = buildVocabulary(docs, features, minDf);
  const X = buildMatrix(vocab, docs.map((_, i) => i));
  log(`features: ${vocab.keys.length} kept, ${X.values.length} non-zeros, ${(performance.now() - t0).toFixed(0)} ms`);

  const classCounts = new Float64Array(nC);
  for (const c of y) classCounts[c]++;
  const svm: SvmOptions = {
    C: o.C,
    eps: o.eps,
    maxIter: o.maxIter,
    seed: o.seed,
    bias: 1,
    nbAlpha: o.nbAlpha,
    classWeights: o.balanced ? Float64Array.from(classCounts, (n) => docs.length / (nC * Math.max(n, 1))) : undefined,
  };
  const parts = {
    labels: labelList,
    features,
    temperature: o.temperature,
    bias: 1,
    keys: vocab.keys,
    idf: vocab.idf,
    meta: { examples: docs.length, labelCounts: Object.fromEntries(labelList.map((l, i) => [l, classCounts[i]])), C: o.C, minDf, nbAlpha: o.nbAlpha, balanced: o.balanced },
  };
  return { docs, y, labelList, vocab, X, svm, parts, seed: o.seed, classCounts, t0 };
}

/** Held-out margins for every document of `p`, from models trained on the other folds. The
 * vocabulary and idf are shared with the full model; only the weights are refitted. */
function foldMargins(p: Prepared, k: number, seed: number, assignment?: Int32Array): Float64Array[] {
  const nC = p.labelList.length;
  const folds = assignment ?? stratifiedFolds(Array.from(p.y, String), k, seed);
  const allRows = p.docs.map((_, i) => i);
  const margins: Float64Array[] = new Array(p.docs.length);
  for (let f = 0; f < k; f++) {
    const trainRows = allRows.filter((i) => folds[i] !== f);
    const testRows = allRows.filter((i) => folds[i] === f);
    if (!testRows.length) continue;
    const Xf = selectRows(p.X, trainRows);
    const Wf = trainOneVsRest(Xf, Int32Array.from(trainRows, (i) => p.y[i]), nC, p.svm);
    const sub = new LinearTextClassifier({ ...p.parts, weights: Wf });
    const m = sub.rawMargins(testRows.map((i) => p.docs[i]));
    testRows.forEach((i, j) => (margins[i] = m[j]));
  }
  return margins;
}

export function trainTextClassifier(texts: readonly string[], labels: readonly string[], options: TrainOptions = {}): TextClassifier {
  const p = prepare(texts, labels, options);
  const log = options.log ?? (() => {});
  const nC = p.labelList.length;
  let weights = trainOneVsRest(p.X, p.y, nC, p.svm);
  log(`trained ${nC} classes on ${p.docs.length} texts, ${(performance.now() - p.t0).toFixed(0)} ms`);
  let parts: ModelParts = { ...p.parts, weights };
  const keep = options.keepFeatures;
  if (keep !== undefined && keep > 0 && keep < p.vocab.keys.length) {
    const v = pruneVocabulary(p.vocab, weights, nC, keep);
    const X = buildMatrix(v, p.docs.map((_, i) => i));
    weights = trainOneVsRest(X, p.y, nC, p.svm);
    parts = { ...p.parts, keys: v.keys, idf: v.idf, weights, meta: { ...p.parts.meta, keptFeatures: v.keys.length, ofFeatures: p.vocab.keys.length } };
    log(`kept ${v.keys.length} of ${p.vocab.keys.length} features by weight, refitted, ${(performance.now() - p.t0).toFixed(0)} ms`);
    // the temperature's folds below read the kept features only, as the model will
    p.X = X;
    p.vocab = v;
    p.parts = { ...p.parts, keys: v.keys, idf: v.idf };
  }
  const k = options.calibrationFolds ?? DEFAULT_TRAIN.calibrationFolds;
  if (k >= 2 && p.docs.length >= k * nC * 2) {
    // Held-out margins: training margins are overconfident, so fit T on what unseen text looks like.
    parts.temperature = fitTemperature(foldMargins(p, k, p.seed + 101), p.y);
    log(`temperature ${parts.temperature.toFixed(4)} from ${k}-fold margins, ${(performance.now() - p.t0).toFixed(0)} ms`);
  }
  return new LinearTextClassifier(parts);
}

/** The vocabulary cut to the `keep` features of largest max over classes of |weight| · idf (what
 * one occurrence adds to a margin before the length norm); the documents' feature ids follow. */
export function pruneVocabulary(v: Vocabulary, weights: Float32Array, nC: number, keep: number): Vocabulary {
  const nF = v.keys.length;
  const score = new Float64Array(nF);
  for (let f = 0; f < nF; f++) {
    let m = 0;
    for (let c = 0; c < nC; c++) m = Math.max(m, Math.abs(weights[f * nC + c]));
    score[f] = m * v.idf[f];
  }
  const order = Array.from({ length: nF }, (_, f) => f).sort((a, b) => score[b] - score[a] || a - b);
  const kept = order.slice(0, Math.min(keep, nF)).sort((a, b) => a - b);
  const newId = new Int32Array(nF).fill(-1);
  kept.forEach((f, i) => (newId[f] = i));
  const docFeatures = Int32Array.from(v.docFeatures, (f) => (f >= 0 ? newId[f] : -1));
  return { keys: Float64Array.from(kept, (f) => v.keys[f]), idf: Float32Array.from(kept, (f) => v.idf[f]), docFeatures, docStart: v.docStart };
}

export interface CrossValidated {
  /** held-out probabilities per input text (all 0 for a text with nothing to read or no label) */
  probabilities: Record<string, number>[];
  /** softmax temperature fitted on the held-out margins: train the full model with it */
  temperature: number;
}

/**
 * Held-out probabilities for every training text under the given options, by k-fold
 * cross-validation with a caller-given fold assignment (same length as `texts`), so that
 * settings can be compared on identical folds. The softmax temperature is fitted on the same
 * held-out margins, so probabilities match a model trained with `{ calibrationFolds: 0, temperature }`.
 */
export function crossValidatedProbabilities(texts: readonly string[], labels: readonly string[], folds: Int32Array, k: number, options: TrainOptions = {}): CrossValidated {
  const kept: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    const l = labels[i]?.trim();
    if (l && l !== UNKNOWN_LABEL && typeof texts[i] === 'string' && hasContent(texts[i])) kept.push(i);
  }
  const p = prepare(texts, labels, { ...options, log: undefined });
  const margins = foldMargins(p, k, 0, Int32Array.from(kept, (i) => folds[i]));
  const T = fitTemperature(margins.filter(Boolean), Int32Array.from(p.y).filter((_, i) => margins[i] !== undefined));
  const probabilities: Record<string, number>[] = texts.map(() => Object.fromEntries(p.labelList.map((l) => [l, 0])));
  kept.forEach((orig, j) => {
    const m = margins[j];
    if (!m || m.every((x) => x === 0)) return;
    let top = -Infinity;
    for (const x of m) if (x > top) top = x;
    let sum = 0;
    const e = Array.from(m, (x) => Math.exp((x - top) / T));
    for (const x of e) sum += x;
    p.labelList.forEach((l, c) => (probabilities[orig][l] = e[c] / sum));
  });
  return { probabilities, temperature: T };
}

// ---------------------------------------------------------------------------------------------
// (de)serialisation

export function textClassifierFromJSON(json: unknown): TextClassifier {
  const r = modelSchema.safeParse(json);
  if (!r.success) throw new Error(`not a text-classifier model: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const j = r.data;
  const nC = j.labels.length;
  const nW = (j.nFeatures + 1) * nC;
  return new LinearTextClassifier({
    labels: j.labels,
    features: j.features,
    temperature: j.temperature,
    bias: j.bias,
    keys: decodeF64(j.keys, j.nFeatures, 'keys'),
    idf: decodeF32(j.idf, j.nFeatures, 'idf'),
    weights: typeof j.weights === 'string' ? decodeF32(j.weights, nW, 'weights') : decodeQ8(j.weights, nW, 'weights'),
    meta: j.meta,
  });
}

/** Alias matching the `toJSON()` naming. */
export const fromJSON = textClassifierFromJSON;

export function saveTextClassifier(model: TextClassifier, file: string, options: { quantize?: boolean } = {}): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, JSON.stringify(model.toJSON(options)) + '\n');
}

export function loadTextClassifier(file: string): TextClassifier {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read model ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return textClassifierFromJSON(json);
}
