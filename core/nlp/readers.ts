// Training the trainable readers — request type, urgency, sentiment — from labelled messages
// (columns text, type, urgency, sentiment; a blank cell leaves that row out of that reader), as
// `eval analyze --train/--cv` and `train readers` do. Each reader's settings (how much the request
// type cues count, the urgency threshold) and its confidence calibration are fitted on held-out
// folds of the training rows alone, so the confidence a reader gives means what it says.
import { fitPlatt } from './calibration';
import { applyOffsets, blendRequestType, gateThanksBy, requestTypeStackFeatures, ruleProbabilities, setRequestTypeModel, stackProbabilities, thanksPlausible } from './request-type';
import { lexiconSentiment, analyzeSentiment, setSentimentModel, trainSentimentModel, toSentimentLabel, type SentimentModel } from './sentiment';
import { crossValidatedProbabilities, stratifiedFolds, trainTextClassifier, withMeta, type TextClassifier, type TrainOptions } from './text-classifier';
import { REQUEST_TYPES } from './types';
import { trainLogistic } from './linear/logistic';
import { classifyUrgency, setUrgencyReader, URGENCY_FEATURES, URGENCY_LONG_CHARS, urgencyFeatures, urgencyProbability, urgencySideConfidence, urgencyThreshold, type UrgencyReader } from './urgency';

export interface LabelledMessage {
  text: string;
  type?: string;
  urgency?: string;
  sentiment?: string;
  /** false: train on the row but fit no setting or calibration on it (e.g. our own seed corpus
   * beside real messages — settings are fitted on the messages the reader is for) */
  fit?: boolean;
}

export interface Readers {
  requestType: TextClassifier | null;
  urgency: UrgencyReader | null;
  sentiment: SentimentModel | null;
}

export interface ReaderTrainOptions {
  /** inner folds for the settings and the calibration */
  folds?: number;
  seed?: number;
  log?: (message: string) => void;
  /** messages without a request type (the city's other messages): the request type's n-gram
   * classifier is self-trained on the ones it reads most surely, PSEUDO_PER_TYPE per type */
  unlabelled?: readonly string[];
  /** messages labelled by distant supervision (requestTypeFromReply on the official reply): they
   * join the request type's n-gram classifier's training only (every inner fold, never held out),
   * no setting, stack or calibration is fitted on them */
  distant?: readonly { text: string; type: string }[];
}

/** Request type classifier settings, chosen by cross-validation on the annotated real messages.
 * keepFeatures: the 80,000 n-grams of largest weight of about 157,000 (min-df 3), refitted, so the
 * model file stays under 2 MB (1.9 MB; 3.7 MB with all); the same cross-validated figures. */
export const REQUEST_TYPE_TRAIN: TrainOptions = { balanced: true, C: 0.5, keepFeatures: 80000, features: { prefixChars: 40 } };
/** Urgency reader's classifier settings. */
export const URGENCY_TRAIN: TrainOptions = { balanced: true, C: 1 };
/** L2 penalty of the urgency regression */
export const URGENCY_L2 = 3;
/** weight of rows marked fit: false in the urgency regression (our short texts beside real messages) */
export const URGENCY_EXTRA_WEIGHT = 1;
/** weight of the rows settings are fitted on (the real messages the reader is for, e.g. the gold
 * rows of --fit-on) in the urgency regression for long texts, when some rows are marked fit: false
 * (2026-12-07: 5, 10 and 20 gave alike real-CV figures, 10 is shipped) */
export const URGENCY_FIT_WEIGHT = 10;
/** the urgency threshold maximises F-beta on held-out rows: beta > 1 favours recall */
export const URGENCY_BETA = 2;
/** fewest urgent long rows (URGENCY_LONG_CHARS+ characters) for a long-text threshold of its own */
export const URGENCY_LONG_MIN_URGENT = 10;

const RULE_WEIGHTS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
/** L2 penalties tried for the stacked request type reader (chosen on held-out folds) */
const STACK_L2 = [0.3, 1, 3];
/** weight of rows marked fit: false in the stacked request type reader */
export const STACK_EXTRA_WEIGHT = 0.2;
/** self-training: per type, the unlabelled messages read as that type with the widest margin
 * over the next type join the n-gram classifier's training with that label (balanced per type, so
 * the big class 投诉 does not swamp the rest; 感谢 never, real thanks are too rare to trust) */
export const PSEUDO_PER_TYPE = 800;
const OFFSET_GRID = [-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.5];

function macroF1(gold: readonly string[], pred: readonly string[]): number {
  const labels = [...new Set([...gold, ...pred])];
  let sum = 0;
  for (const l of labels) {
    let tp = 0, fp = 0, fn = 0;
    gold.forEach((g, i) => {
      if (g === l && pred[i] === l) tp++;
      else if (pred[i] === l) fp++;
      else if (g === l) fn++;
    });
    sum += tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
  }
  return labels.length ? sum / labels.length : 0;
}

/** The rows settings and calibration are fitted on: all unless some are marked fit: false (and then at least those not marked). */
function fitIndices(rows: readonly LabelledMessage[]): number[] {
  const idx = rows.map((_, i) => i).filter((i) => rows[i].fit !== false);
  return idx.length ? idx : rows.map((_, i) => i);
}

const argmax = (xs: readonly number[]) => xs.reduce((b, x, i) => (x > xs[b] ? i : b), 0);

export function trainRequestTypeReader(rows: readonly LabelledMessage[], o: ReaderTrainOptions = {}): TextClassifier {
  return fitRequestTypeReader(requestTypeNgrams(rows, o), o);
}

/** The request type reader's n-gram part: its rows, inner folds, the n-gram classifier's held-out
 * probabilities on them and the classifier trained on all of them. It is the costly part of
 * training; fitRequestTypeReader fits the cue weight, stack, offsets and calibration on it, so an
 * experiment on those can keep one n-gram part per fold and refit only the rest. */
export interface RequestTypeNgrams {
  keep: LabelledMessage[];
  texts: string[];
  labels: string[];
  folds: Int32Array;
  k: number;
  cv: { probabilities: Record<string, number>[]; temperature: number };
  model: TextClassifier;
  /** self-labelled rows, then rows labelled by their official reply, that joined the n-gram training */
  nSelf: number;
  nPseudo: number;
}

export function requestTypeNgrams(rows: readonly LabelledMessage[], o: ReaderTrainOptions = {}): RequestTypeNgrams {
  const keep = rows.filter((r) => r.text && (REQUEST_TYPES as readonly string[]).includes(r.type?.trim() ?? ''));
  const texts = keep.map((r) => r.text);
  const labels = keep.map((r) => r.type!.trim());
  const k = o.folds ?? 5;
  const folds = stratifiedFolds(labels, k, (o.seed ?? 1) + 31);
  const pseudo = o.unlabelled?.length ? pseudoLabel(texts, labels, o.unlabelled) : { texts: [], labels: [] };
  if (pseudo.texts.length) o.log?.(`request type: ${pseudo.texts.length} of ${o.unlabelled!.length} unlabelled messages self-labelled`);
  const nSelf = pseudo.texts.length;
  const known = new Set(texts);
  for (const d of o.distant ?? []) {
    if (!d.text || known.has(d.text) || !(REQUEST_TYPES as readonly string[]).includes(d.type)) continue;
    pseudo.texts.push(d.text);
    pseudo.labels.push(d.type);
  }
  if (o.distant?.length) o.log?.(`request type: ${o.distant.length} messages labelled by their official reply join the n-gram training`);
  // the self-labelled rows train every inner fold (fold k: never held out) and join no setting or calibration
  const cvAll = crossValidatedProbabilities([...texts, ...pseudo.texts], [...labels, ...pseudo.labels], Int32Array.from([...folds, ...pseudo.texts.map(() => k)]), k, REQUEST_TYPE_TRAIN);
  const cv = { probabilities: cvAll.probabilities.slice(0, texts.length), temperature: cvAll.temperature };
  const model = trainTextClassifier([...texts, ...pseudo.texts], [...labels, ...pseudo.labels], { ...REQUEST_TYPE_TRAIN, calibrationFolds: 0, temperature: cv.temperature });
  return { keep, texts, labels, folds, k, cv, model, nSelf, nPseudo: pseudo.texts.length };
}

/** The rest of the request type reader on its n-gram part: the cue weight, the stack, the offsets
 * and the calibration, all fitted on the inner folds' held-out probabilities. */
export function fitRequestTypeReader(ng: RequestTypeNgrams, o: ReaderTrainOptions = {}): TextClassifier {
  const { keep, texts, labels, folds, k, cv, model, nSelf } = ng;
  const rules = texts.map((t) => ruleProbabilities(t, lexiconSentiment(t).score, classifyUrgency(t).label === 'urgent'));
  const fitRows = fitIndices(keep);
  const fitLabels = fitRows.map((i) => labels[i]);
  let best = { w: 0, f1: -1, conf: [] as number[], correct: [] as boolean[] };
  for (const w of RULE_WEIGHTS) {
    const conf: number[] = [];
    const pred = texts.map((_, i) => {
      const p = blendRequestType(rules[i], cv.probabilities[i], w);
      const b = argmax(p);
      conf.push(p[b]);
      return REQUEST_TYPES[b];
    });
    const f1 = macroF1(fitLabels, fitRows.map((i) => pred[i]));
    if (f1 > best.f1 + 1e-9) best = { w, f1, conf, correct: pred.map((p, i) => p === labels[i]) };
  }
  // the stacked reader: a one-vs-rest logistic regression per type over the n-gram model's
  // held-out probabilities and the cue scores of the whole text, its title and its closing
  // sentences, fitted (class-balanced) on the real rows only; its own held-out reading, by the
  // same folds, decides whether it replaces the fixed blend
  const sentiments = texts.map((t) => lexiconSentiment(t).score);
  const urgentFlags = texts.map((t) => classifyUrgency(t).label === 'urgent');
  const X = texts.map((t, i) => requestTypeStackFeatures(t, cv.probabilities[i], sentiments[i], urgentFlags[i]));
  const fitStack = (idx: readonly number[], l2: number) => {
    const counts = new Map<string, number>();
    for (const i of idx) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
    const sw = idx.map((i) => (idx.length / (counts.size * counts.get(labels[i])!)) * (keep[i].fit === false ? STACK_EXTRA_WEIGHT : 1));
    const weights: number[][] = [];
    const bias: number[] = [];
    for (const t of REQUEST_TYPES) {
      if (!counts.has(t)) { weights.push(X[0].map(() => 0)); bias.push(-10); continue; }
      const lr = trainLogistic(idx.map((i) => X[i]), idx.map((i) => (labels[i] === t ? 1 : 0)), { l2, sampleWeights: sw, iterations: 25 });
      weights.push(lr.weights);
      bias.push(lr.bias);
    }
    return { weights, bias };
  };
  // our own rows (fit: false) join the stack's training at a small weight, so a type the real rows
  // barely hold (感谢) is still known to it; it is judged on the real rows alone
  const stackRows = STACK_EXTRA_WEIGHT > 0 ? texts.map((_, i) => i) : fitRows;
  let stackBest: { l2: number; f1: number; probs: number[][] } = { l2: 0, f1: -1, probs: [] };
  for (const l2 of STACK_L2) {
    const probs: number[][] = texts.map(() => []);
    for (let f = 0; f < k; f++) {
      const tr = stackRows.filter((i) => folds[i] !== f);
      const te = fitRows.filter((i) => folds[i] === f);
      if (!tr.length || !te.length) continue;
      const st = fitStack(tr, l2);
      for (const i of te) probs[i] = stackProbabilities(st, X[i]);
    }
    const f = macroF1(fitLabels, fitRows.map((i) => REQUEST_TYPES[argmax(probs[i].length ? probs[i] : [1])]));
    if (f > stackBest.f1 + 1e-9) stackBest = { l2, f1: f, probs };
  }
  const useStack = stackBest.f1 > best.f1 + 1e-9;
  // per-type offsets on the log-probabilities, by coordinate ascent on held-out macro-F1: the
  // linear model leans to the big class (投诉); what the writer mainly wants is often a smaller
  // one. A type no fitted row has keeps offset 0 (nothing to fit it on).
  const blended = texts.map((_, i) => (useStack && stackBest.probs[i].length ? stackBest.probs[i] : blendRequestType(rules[i], cv.probabilities[i], best.w)));
  const offsets = REQUEST_TYPES.map(() => 0);
  const thanks = new Map(fitRows.map((i) => [i, thanksPlausible(texts[i])]));
  const predictWith = (off: number[]) => fitRows.map((i) => REQUEST_TYPES[argmax(gateThanksBy(thanks.get(i)!, applyOffsets(blended[i], off)))]);
  let f1 = macroF1(fitLabels, predictWith(offsets));
  const present = new Set(fitLabels);
  for (let round = 0; round < 3; round++) {
    for (let c = 0; c < REQUEST_TYPES.length; c++) {
      if (!present.has(REQUEST_TYPES[c])) continue;
      for (const d of OFFSET_GRID) {
        const trial = offsets.map((x, j) => (j === c ? d : x));
        const f = macroF1(fitLabels, predictWith(trial));
        if (f > f1 + 1e-9) { f1 = f; offsets[c] = d; }
      }
    }
  }
  const stack = useStack ? fitStack(stackRows, stackBest.l2) : null;
  const conf: number[] = [];
  const correct: boolean[] = [];
  fitRows.forEach((i) => {
    const q = gateThanksBy(thanks.get(i)!, applyOffsets(blended[i], offsets));
    const b = argmax(q);
    conf.push(q[b]);
    correct.push(REQUEST_TYPES[b] === labels[i]);
  });
  const calibration = fitPlatt(conf, correct);
  o.log?.(`request type: ${texts.length} rows, cue weight ${best.w} (held-out macro-F1 ${best.f1.toFixed(4)}), stacked l2 ${stackBest.l2} (${stackBest.f1.toFixed(4)})${useStack ? ' used' : ' not used'}, ${f1.toFixed(4)} with offsets ${offsets.join(' ')}, calibration a=${calibration.a} b=${calibration.b}`);
  return withMeta(model, { ruleWeight: best.w, classOffsets: offsets, calibration, stack, trainedOn: texts.length, selfTrained: nSelf, replyLabelled: ng.nPseudo - nSelf });
}

/** The unlabelled messages a classifier trained on the labelled rows reads most surely, per type
 * (widest margin of that type's probability over the next one), with the type it read. */
function pseudoLabel(texts: readonly string[], labels: readonly string[], pool: readonly string[]): { texts: string[]; labels: string[] } {
  const m = trainTextClassifier(texts, labels, { ...REQUEST_TYPE_TRAIN, calibrationFolds: 0 });
  const known = new Set(texts);
  const read = pool.filter((t) => t && !known.has(t)).map((t) => {
    const p = m.probabilities(t);
    const e = Object.entries(p).sort((a, b) => b[1] - a[1]);
    return { t, label: e[0]?.[0] ?? '', margin: (e[0]?.[1] ?? 0) - (e[1]?.[1] ?? 0) };
  });
  const out = { texts: [] as string[], labels: [] as string[] };
  for (const l of m.labels) {
    if (l === '感谢') continue;
    for (const x of read.filter((r) => r.label === l && r.margin > 0).sort((a, b) => b.margin - a.margin).slice(0, PSEUDO_PER_TYPE)) {
      out.texts.push(x.t);
      out.labels.push(l);
    }
  }
  return out;
}

/** Held-out P(urgent) → the threshold with the best F-beta (URGENCY_BETA). */
function chooseThreshold(p: readonly number[], urgent: readonly boolean[]): number {
  const cands = [...new Set(p.map((x) => Math.round(x * 1000) / 1000))].sort((a, b) => a - b);
  let best = { t: 0.5, f: -1 };
  const pos = urgent.filter(Boolean).length;
  for (const t of cands) {
    let tp = 0, fp = 0;
    p.forEach((x, i) => {
      if (x >= t) {
        if (urgent[i]) tp++;
        else fp++;
      }
    });
    const prec = tp + fp ? tp / (tp + fp) : 0;
    const rec = pos ? tp / pos : 0;
    const b2 = URGENCY_BETA * URGENCY_BETA;
    const f = prec + rec ? ((1 + b2) * prec * rec) / (b2 * prec + rec) : 0;
    if (f > best.f) best = { t, f };
  }
  return best.t;
}

export function trainUrgencyReader(rows: readonly LabelledMessage[], o: ReaderTrainOptions = {}): UrgencyReader {
  const keep = rows.filter((r) => r.text && (r.urgency === 'urgent' || r.urgency === 'normal'));
  const texts = keep.map((r) => r.text);
  const labels = keep.map((r) => r.urgency!);
  const y: number[] = labels.map((l) => (l === 'urgent' ? 1 : 0));
  const k = o.folds ?? 5;
  const folds = stratifiedFolds(labels, k, (o.seed ?? 1) + 43);
  // the n-gram classifier's held-out P(urgent) is the stacking feature, so the regression learns how far to trust it
  const cv = crossValidatedProbabilities(texts, labels, folds, k, URGENCY_TRAIN);
  const rules = texts.map((t) => classifyUrgency(t));
  const X = texts.map((t, i) => urgencyFeatures(t, rules[i], cv.probabilities[i].urgent ?? 0));
  const pos = y.reduce((a, b) => a + b, 0);
  // balanced: the few urgent rows weigh as much as all the normal ones
  const sw0 = y.map((v) => (v ? (y.length - pos) / Math.max(pos, 1) : 1));
  // rows marked fit: false (our own short texts) count less than the real messages the reader is for
  const extraW = URGENCY_EXTRA_WEIGHT;
  const sw = sw0.map((w, i) => (keep[i].fit === false ? w * extraW : w));
  // the long-text regression: the same, with the rows settings are fitted on (the real messages
  // the reader is for) weighing URGENCY_FIT_WEIGHT times more — only when some rows are not
  // (with every row fitted it would only rescale the penalty)
  const fitW = keep.some((r) => r.fit === false) ? URGENCY_FIT_WEIGHT : 1;
  const swLong = sw.map((w, i) => (keep[i].fit === false ? w : w * fitW));
  // held-out P(urgent) of a regression, for the threshold and the calibration
  const heldOut = (weights: readonly number[]) => {
    const p = new Array<number>(texts.length).fill(0);
    for (let f = 0; f < k; f++) {
      const tr = texts.map((_, i) => i).filter((i) => folds[i] !== f);
      const lr = trainLogistic(tr.map((i) => X[i]), tr.map((i) => y[i]), { l2: URGENCY_L2, sampleWeights: tr.map((i) => weights[i]) });
      texts.forEach((_, i) => {
        if (folds[i] === f) p[i] = urgencyProbability(lr, X[i]);
      });
    }
    return p;
  };
  const p = heldOut(sw);
  const fitRows = fitIndices(keep);
  const fp = fitRows.map((i) => p[i]);
  const urgent = fitRows.map((i) => y[i] === 1);
  const threshold = chooseThreshold(fp, urgent);
  // long texts (petitions) get a regression and a threshold of their own, the threshold fitted on
  // every long training row: the settings rows and also the real messages others labelled (rows
  // marked fit: false), since our own short texts are almost never that long. Short texts keep the
  // regression and threshold above, so the hotline and WeChat texts read as before.
  const longRows = texts.map((_, i) => i).filter((i) => texts[i].length >= URGENCY_LONG_CHARS);
  const longUrgent = longRows.filter((i) => y[i] === 1).length;
  const hasLong = longUrgent >= URGENCY_LONG_MIN_URGENT;
  const separate = hasLong && fitW !== 1;
  const pLong = separate ? heldOut(swLong) : p;
  const longThreshold = hasLong ? chooseThreshold(longRows.map((i) => pLong[i]), longRows.map((i) => y[i] === 1)) : null;
  const tOf = (i: number) => urgencyThreshold({ threshold, longThreshold }, texts[i]);
  const pOf = (i: number) => (texts[i].length >= URGENCY_LONG_CHARS ? pLong[i] : p[i]);
  const calibration = fitPlatt(fitRows.map((i) => urgencySideConfidence(pOf(i), tOf(i))), fitRows.map((i, j) => pOf(i) >= tOf(i) === urgent[j]));
  const lr = trainLogistic(X, y, { l2: URGENCY_L2, sampleWeights: sw });
  const lrLong = separate ? trainLogistic(X, y, { l2: URGENCY_L2, sampleWeights: swLong }) : null;
  const w = (m: { weights: number[] }) => URGENCY_FEATURES.map((n, j) => `${n}=${m.weights[j].toFixed(2)}`).join(' ');
  o.log?.(`urgency: ${texts.length} rows (${pos} urgent), threshold ${threshold}, for ${URGENCY_LONG_CHARS}+ characters ${longThreshold ?? 'the same'} (${longRows.length} long rows, ${longUrgent} urgent), weights ${w(lr)}${lrLong ? `; for ${URGENCY_LONG_CHARS}+ characters (settings rows weighing ${fitW}) ${w(lrLong)}` : ''}`);
  const classifier = trainTextClassifier(texts, labels, { ...URGENCY_TRAIN, calibrationFolds: 0, temperature: cv.temperature });
  return { classifier, weights: lr.weights, bias: lr.bias, threshold, longThreshold, longWeights: lrLong?.weights ?? null, longBias: lrLong?.bias ?? null, calibration };
}

export function trainSentimentReader(rows: readonly LabelledMessage[], o: ReaderTrainOptions = {}): SentimentModel {
  const keep = rows.filter((r) => r.text && toSentimentLabel(r.sentiment ?? ''));
  const texts = keep.map((r) => r.text);
  const labels = keep.map((r) => toSentimentLabel(r.sentiment!)!);
  const k = Math.min(o.folds ?? 5, 3);
  const folds = stratifiedFolds(labels, k, (o.seed ?? 1) + 59);
  const conf: number[] = [];
  const correct: boolean[] = [];
  for (let f = 0; f < k; f++) {
    const tr = texts.map((_, i) => i).filter((i) => folds[i] !== f);
    const te = texts.map((_, i) => i).filter((i) => folds[i] === f);
    const m = trainSentimentModel(tr.map((i) => texts[i]), tr.map((i) => labels[i]), { calibrationFolds: 0 });
    for (const i of te) {
      if (keep[i].fit === false) continue;
      const r = analyzeSentiment(texts[i], { model: m });
      conf.push(r.confidence);
      correct.push(r.label === labels[i]);
    }
  }
  const calibration = fitPlatt(conf, correct);
  const model = trainSentimentModel(texts, labels, { log: o.log ? (m) => o.log!(`sentiment: ${m}`) : undefined });
  o.log?.(`sentiment: ${texts.length} rows, calibration a=${calibration.a} b=${calibration.b}`);
  return { ...model, calibration };
}

export function trainReaders(rows: readonly LabelledMessage[], o: ReaderTrainOptions = {}): Readers {
  const has = (f: 'type' | 'urgency' | 'sentiment') => rows.some((r) => r[f]?.trim());
  return {
    requestType: has('type') ? trainRequestTypeReader(rows, o) : null,
    urgency: has('urgency') ? trainUrgencyReader(rows, o) : null,
    sentiment: has('sentiment') ? trainSentimentReader(rows, o) : null,
  };
}

/** Puts readers in place for analyzeMessage (null: that reader's rules/lexicon alone; undefined: the shipped one); returns a function that puts the shipped ones back. */
export function useReaders(r: { [K in keyof Readers]: Readers[K] | undefined }): () => void {
  setRequestTypeModel(r.requestType);
  setUrgencyReader(r.urgency);
  setSentimentModel(r.sentiment);
  return () => {
    setRequestTypeModel(undefined);
    setUrgencyReader(undefined);
    setSentimentModel(undefined);
  };
}
