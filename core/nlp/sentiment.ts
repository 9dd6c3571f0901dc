// Sentiment of a message: a lexicon reader (our own word lists in lexicons/sentiment/) with
// negation, degree adverbs and clause-level rules, and an optional trained model
// (lexicons/models/sentiment.json, made by `eval sentiment --train … --save`) blended in.
//
// Words are found by forward maximum matching against every list at once (sentiment words,
// negations, degree adverbs, markers and an ignore list), not by jieba: this keeps fused forms
// like 不错 / 不好意思 / 差不多 whole without depending on the segmenter's dictionary.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { SentimentLabel } from './types';
import { shippedJson, shippedList } from '../shipped/store';
import { calibrate, plattSchema, type Platt } from './calibration';
import { MODEL_FILES, shippedModel } from './models';
import { crossValidatedProbabilities, stratifiedFolds, textClassifierFromJSON, trainTextClassifier, type TextClassifier, type TrainOptions } from './text-classifier';

export interface SentimentHit {
  word: string;
  /** signed contribution after negation, degree and clause rules */
  weight: number;
}

export interface SentimentResult {
  label: SentimentLabel;
  confidence: number;
  /** in [-1, 1]; negative below 0 */
  score: number;
  hits: SentimentHit[];
}

const rulesSchema = z.object({
  contrast: z.array(z.string()),
  contrastBoost: z.number(),
  contrastDiscountBefore: z.number(),
  concession: z.array(z.string()),
  concessionFactor: z.number(),
  summary: z.array(z.string()),
  summaryBoost: z.number(),
  irrealis: z.array(z.string()),
  irrealisPositive: z.number(),
  irrealisNegative: z.number(),
  questionFactor: z.number(),
  rhetorical: z.array(z.string()),
  rhetoricalScore: z.number(),
  exclamationBoost: z.number(),
  /** "…后来恢复了": a problem already over weighs less */
  resolved: z.array(z.string()).default([]),
  resolvedDiscountBefore: z.number().default(1),
  /** "不脏" is good but "没有停水" is merely fine: a negated negative word keeps this share */
  negatedNegativeFactor: z.number().default(1),
  /** "请问…停水…？": a consultation names problems without complaining of them; negative words
   * from the marker to the end of its sentence keep this share */
  consult: z.array(z.string()).default([]),
  consultFactor: z.number().default(1),
  /** a closing "谢谢" after a request or complaint is politeness, not praise: it keeps this share */
  courtesy: z.array(z.string()).default([]),
  courtesyFactor: z.number().default(1),
  /** praise in scare quotes (服务真是"周到") is sarcasm: its sign flips, times this */
  scareQuoteFactor: z.number().default(0),
  negationWindow: z.number().int().min(0),
  scoreScale: z.number().positive(),
  neutralBand: z.number().min(0).max(1),
});
export type SentimentRules = z.infer<typeof rulesSchema>;

type Entry =
  | { kind: 'word'; weight: number }
  | { kind: 'neg'; mult: number }
  | { kind: 'deg'; mult: number }
  | { kind: 'ignore' }
  | { kind: 'marker'; marker: MarkerName };

type MarkerName = 'contrast' | 'concession' | 'summary' | 'irrealis' | 'rhetorical' | 'resolved' | 'consult';

export interface SentimentLexicon {
  entries: Map<string, Entry>;
  maxLen: number;
  rules: SentimentRules;
}

function weighted(lines: string[]): [string, number][] {
  const out: [string, number][] = [];
  for (const line of lines) {
    const [word, w] = line.split(/[\s,]+/);
    const n = w === undefined ? 1 : Number(w);
    if (word && Number.isFinite(n)) out.push([word, n]);
  }
  return out;
}

export interface LexiconSources {
  positive?: [string, number][];
  negative?: [string, number][];
  /** signed scores (e.g. a word,score CSV), used as they are */
  scored?: [string, number][];
  negation?: [string, number][];
  degree?: [string, number][];
  ignore?: string[];
  rules?: SentimentRules;
}

export function buildSentimentLexicon(src: LexiconSources, base: SentimentRules = loadRules()): SentimentLexicon {
  const entries = new Map<string, Entry>();
  const rules = src.rules ?? base;
  // Later sets win; sentiment words go last so an entry in both lists keeps its polarity.
  const markers: [MarkerName][] = [
    ['irrealis'], ['concession'], ['contrast'], ['summary'], ['rhetorical'], ['resolved'], ['consult'],
  ];
  for (const [m] of markers) for (const w of rules[m]) entries.set(w, { kind: 'marker', marker: m });
  for (const [w, mult] of src.degree ?? []) entries.set(w, { kind: 'deg', mult });
  for (const [w, mult] of src.negation ?? []) entries.set(w, { kind: 'neg', mult });
  for (const w of src.ignore ?? []) entries.set(w, { kind: 'ignore' });
  for (const [w, s] of src.scored ?? []) if (!entries.has(w) || entries.get(w)!.kind === 'ignore') entries.set(w, { kind: 'word', weight: s });
  for (const [w, s] of src.positive ?? []) entries.set(w, { kind: 'word', weight: Math.abs(s) });
  for (const [w, s] of src.negative ?? []) entries.set(w, { kind: 'word', weight: -Math.abs(s) });
  let maxLen = 1;
  for (const w of entries.keys()) maxLen = Math.max(maxLen, w.length);
  return { entries, maxLen, rules };
}

// lexicons/sentiment/: the word lists ("word [weight]" a line) and rules.json, read by the shipped-file loader
const loadRules = shippedJson('sentiment/rules.json', rulesSchema);
const SHIPPED_LISTS = {
  positive: shippedList('sentiment/positive.txt', { optional: true }),
  negative: shippedList('sentiment/negative.txt', { optional: true }),
  negation: shippedList('sentiment/negation.txt', { optional: true }),
  degree: shippedList('sentiment/degree.txt', { optional: true }),
  ignore: shippedList('sentiment/ignore.txt', { optional: true }),
};

export function loadSentimentLexicon(): SentimentLexicon {
  return buildSentimentLexicon(
    {
      positive: weighted(SHIPPED_LISTS.positive()),
      negative: weighted(SHIPPED_LISTS.negative()),
      negation: weighted(SHIPPED_LISTS.negation()),
      degree: weighted(SHIPPED_LISTS.degree()),
      ignore: weighted(SHIPPED_LISTS.ignore()).map(([w]) => w),
    },
    loadRules(),
  );
}

let defaultLexicon: SentimentLexicon | null = null;
export function getSentimentLexicon(): SentimentLexicon {
  return (defaultLexicon ??= loadSentimentLexicon());
}

const CLAUSE_SPLIT = /([，。！？；,.!?;\n…~～]+)/;

interface Token {
  entry: Entry;
  word: string;
  start: number;
  end: number;
}

// Per lexicon, the lengths of its entries by their first UTF-16 unit (longest first), so forward
// maximum matching tries only lengths some entry has instead of every length up to maxLen.
const lengthIndex = new WeakMap<SentimentLexicon, Map<number, number[]>>();
function lengthsByFirst(lex: SentimentLexicon): Map<number, number[]> {
  let idx = lengthIndex.get(lex);
  if (idx && lex.entries.size === (idx as Map<number, number[]> & { entryCount?: number }).entryCount) return idx;
  idx = new Map();
  for (const w of lex.entries.keys()) {
    if (!w) continue;
    const c = w.charCodeAt(0);
    const list = idx.get(c) ?? [];
    if (!list.includes(w.length)) list.push(w.length);
    idx.set(c, list);
  }
  for (const list of idx.values()) list.sort((a, b) => b - a);
  (idx as Map<number, number[]> & { entryCount?: number }).entryCount = lex.entries.size;
  lengthIndex.set(lex, idx);
  return idx;
}

function tokenize(clause: string, lex: SentimentLexicon): Token[] {
  const out: Token[] = [];
  const idx = lengthsByFirst(lex);
  let i = 0;
  while (i < clause.length) {
    let found = false;
    const lengths = idx.get(clause.charCodeAt(i));
    if (lengths) {
      const room = Math.min(lex.maxLen, clause.length - i);
      for (const len of lengths) {
        if (len > room) continue;
        const w = clause.substr(i, len);
        const e = lex.entries.get(w);
        if (e) {
          out.push({ entry: e, word: w, start: i, end: i + len });
          i += len;
          found = true;
          break;
        }
      }
    }
    if (!found) i++;
  }
  return out;
}

// Opening → closing quote marks; straight quotes close themselves.
const QUOTES: Record<string, string> = { '“': '”', '‘': '’', '「': '」', '『': '』', '"': '"', "'": "'", '＂': '＂' };

/** Character ranges [start, end) of short quoted spans (up to 8 characters) in a clause. */
const ANY_QUOTE = /[“‘「『"'＂]/;
function quotedSpans(clause: string): [number, number][] {
  const out: [number, number][] = [];
  if (!ANY_QUOTE.test(clause)) return out;
  for (let i = 0; i < clause.length; i++) {
    const close = QUOTES[clause[i]];
    if (!close) continue;
    const j = clause.indexOf(close, i + 1);
    if (j > i + 1 && j - i - 1 <= 8) { out.push([i + 1, j]); i = j; }
  }
  return out;
}

const SENTENCE_END = /[。！？!?\n]/;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

// the message reader and the request type's cues both read the lexicon score of the same text
let lastLexicon: { text: string; lex: SentimentLexicon; entryCount: number; result: SentimentResult } | null = null;

/** Lexicon reading of one text (already normalised or not: it copes with both). */
export function lexiconSentiment(text: string, lex: SentimentLexicon = getSentimentLexicon()): SentimentResult {
  const m = lastLexicon;
  if (m !== null && m.text === text && m.lex === lex && m.entryCount === lex.entries.size) return { ...m.result, hits: m.result.hits.slice() };
  const result = readLexicon(text, lex);
  if (typeof text === 'string') lastLexicon = { text, lex, entryCount: lex.entries.size, result: { ...result, hits: result.hits.slice() } };
  return result;
}

function readLexicon(text: string, lex: SentimentLexicon): SentimentResult {
  const r = lex.rules;
  const hits: SentimentHit[] = [];
  if (typeof text !== 'string' || !text.trim()) return { label: 'neutral', confidence: 0, score: 0, hits };
  const parts = text.split(CLAUSE_SPLIT);
  const clauseScores: number[] = [];
  const clauseHits: SentimentHit[][] = [];
  let summaryOn = false;
  let consultOn = false;
  const courtesy = new Set(r.courtesy);
  const resolvedWords = new Set(r.resolved);
  // the last clause with content: no clause after p holds any ⇔ p >= lastContent
  let lastContent = -1;
  for (let p = 0; p < parts.length; p += 2) if (parts[p].trim()) lastContent = p;
  for (let p = 0; p < parts.length; p += 2) {
    const clause = parts[p];
    const punct = parts[p + 1] ?? '';
    if (!clause.trim()) continue;
    // politeness closing a message that complained or asked so far ("…麻烦看一下，谢谢")
    if (clauseScores.length > 0 && courtesy.has(clause.trim()) && p >= lastContent && clauseScores.reduce((a, b) => a + b, 0) <= 0) {
      const tokensC = tokenize(clause, lex);
      let w = 0;
      for (const t of tokensC) if (t.entry.kind === 'word') w += t.entry.weight;
      w *= r.courtesyFactor;
      clauseScores.push(w);
      clauseHits.push(w ? [{ word: clause.trim(), weight: w }] : []);
      continue;
    }
    const tokens = tokenize(clause, lex);
    const quoted = r.scareQuoteFactor ? quotedSpans(clause) : [];
    // 解决了 / 修好了 are also praise words, so a resolution is found by its word, not its entry kind
    const resolvedAt = tokens.find((t) => resolvedWords.has(t.word))?.start ?? -1;
    let resolved = resolvedAt >= 0;
    let score = 0;
    let irrealis = false;
    let contrast = false;
    let concession = false;
    let rhetorical = false;
    const mine: SentimentHit[] = [];
    let mods: Token[] = [];
    for (const t of tokens) {
      const e = t.entry;
      if (e.kind === 'marker') {
        if (e.marker === 'irrealis') irrealis = true;
        else if (e.marker === 'contrast') contrast = true;
        else if (e.marker === 'concession') concession = true;
        else if (e.marker === 'summary') summaryOn = true;
        else if (e.marker === 'rhetorical') rhetorical = true;
        else if (e.marker === 'resolved') resolved = true;
        else if (e.marker === 'consult') { consultOn = true; irrealis = true; } // 请问 holds 请
        continue;
      }
      if (e.kind === 'ignore') { mods = []; continue; }
      if (e.kind === 'neg' || e.kind === 'deg') { mods.push(t); continue; }
      // a sentiment word: apply the modifiers close enough before it
      let mult = 1;
      let prevNeg = false;
      for (const m of mods) {
        if (t.start - m.end > r.negationWindow) continue;
        const me = m.entry as { kind: 'neg' | 'deg'; mult: number };
        if (me.kind === 'neg') { mult *= me.mult; prevNeg = me.mult < 0; }
        else { mult *= prevNeg && me.mult > 1 ? 0.5 : me.mult; prevNeg = false; }
      }
      mods = [];
      let w = e.weight * mult;
      if (e.weight < 0 && mult < 0) w *= r.negatedNegativeFactor;
      // praise in scare quotes is sarcasm: 服务真是"周到"
      if (w > 0 && quoted.some(([a, b]) => t.start >= a && t.end <= b)) w = -w * r.scareQuoteFactor;
      // "停水的问题已经解决了": a problem named before its resolution in the same clause is over
      if (w < 0 && resolvedAt > t.start) w *= r.resolvedDiscountBefore;
      if (w < 0 && consultOn) w *= r.consultFactor;
      if (irrealis) w *= w > 0 ? r.irrealisPositive : r.irrealisNegative;
      score += w;
      mine.push({ word: t.word, weight: w });
    }
    // a message often ends on its question without the mark ("…这叫什么服务")
    const last = p >= lastContent;
    const isQuestion = /[？?]/.test(punct) || /[吗呢]$/.test(clause.trim()) || (last && rhetorical && !punct.trim());
    if (rhetorical && (isQuestion || /[！!]/.test(punct))) {
      score += r.rhetoricalScore;
      mine.push({ word: '(rhetorical)', weight: r.rhetoricalScore });
    } else if (isQuestion) score *= r.questionFactor;
    if (/[！!]/.test(punct)) score *= r.exclamationBoost;
    if (concession) score *= r.concessionFactor;
    if (contrast) {
      for (let k = 0; k < clauseScores.length; k++) clauseScores[k] *= r.contrastDiscountBefore;
      score *= r.contrastBoost;
    }
    if (summaryOn) score *= r.summaryBoost;
    if (resolved) for (let k = 0; k < clauseScores.length; k++) if (clauseScores[k] < 0) clauseScores[k] *= r.resolvedDiscountBefore;
    clauseScores.push(score);
    clauseHits.push(mine);
    if (SENTENCE_END.test(punct)) consultOn = false;
  }
  const raw = clauseScores.reduce((a, b) => a + b, 0);
  for (const h of clauseHits) hits.push(...h);
  const score = Math.tanh(raw / r.scoreScale);
  return { ...labelFromScore(score, r.neutralBand, hits.length > 0), hits };
}

function labelFromScore(score: number, band: number, anyHit: boolean): { label: SentimentLabel; confidence: number; score: number } {
  const a = Math.abs(score);
  if (a < band) {
    // no sentiment words at all is a confident neutral; weak mixed evidence is not
    return { label: 'neutral', score, confidence: anyHit ? clamp(0.5 + 0.3 * (1 - a / Math.max(band, 1e-9)), 0, 1) * 0.9 : 0.75 };
  }
  return { label: score > 0 ? 'positive' : 'negative', score, confidence: clamp(0.55 + 0.45 * ((a - band) / Math.max(1 - band, 1e-9)) * 1.6, 0, 0.98) };
}

// ---------------------------------------------------------------------------------------------
// trained model, blended with the lexicon when one ships

export const SENTIMENT_MODEL_FILE = MODEL_FILES.sentiment;

/** A trained classifier plus how much the lexicon score adds to its P(positive) − P(negative). */
export interface SentimentModel {
  classifier: TextClassifier;
  lexiconWeight: number;
  /** added to the blended score: moves the decision point when the classes are unbalanced */
  offset?: number;
  /** maps the confidence in the label read onto observed accuracy (fitted on held-out folds) */
  calibration?: Platt | null;
}

const modelFileSchema = z.object({
  format: z.literal('minsheng/sentiment-model'),
  version: z.literal(1),
  lexiconWeight: z.number(),
  offset: z.number().default(0),
  calibration: plattSchema.nullable().default(null),
  classifier: z.unknown(),
});

export function saveSentimentModel(m: SentimentModel, file = SENTIMENT_MODEL_FILE): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, JSON.stringify({ format: 'minsheng/sentiment-model', version: 1, lexiconWeight: m.lexiconWeight, offset: m.offset ?? 0, calibration: m.calibration ?? null, classifier: m.classifier.toJSON({ quantize: true }) }) + '\n');
}

export function loadSentimentModel(file = SENTIMENT_MODEL_FILE): SentimentModel {
  const j = modelFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  return { classifier: textClassifierFromJSON(j.classifier), lexiconWeight: j.lexiconWeight, offset: j.offset, calibration: j.calibration };
}

const shipped = shippedModel(() => MODEL_FILES.sentiment, loadSentimentModel);

/** Use a model (or none) instead of the shipped file; for tests and evaluation (undefined: the shipped file). */
export function setSentimentModel(m: SentimentModel | null | undefined): void {
  shipped.set(m);
}

/** Maps dataset labels (1/0, pos/neg, 正面/负面…) onto ours; null for anything else. */
export function toSentimentLabel(raw: string): SentimentLabel | null {
  const s = String(raw ?? '').trim().toLowerCase();
  if (['1', 'positive', 'pos', '正面', '积极', '好评'].includes(s)) return 'positive';
  if (['0', '-1', 'negative', 'neg', '负面', '消极', '差评'].includes(s)) return 'negative';
  if (['neutral', 'neu', '中性', '2'].includes(s)) return 'neutral';
  return null;
}

function blendedScore(m: Pick<SentimentModel, 'lexiconWeight' | 'offset'>, probs: Record<string, number>, lexScore: number): number {
  return clamp((probs.positive ?? 0) - (probs.negative ?? 0) + m.lexiconWeight * lexScore + (m.offset ?? 0), -1, 1);
}

function blendedLabel(probs: Record<string, number>, score: number, band: number): SentimentLabel {
  // A model with a neutral class decides neutrality itself; a binary one leaves it to the band.
  if ('neutral' in probs) {
    const pn = probs.neutral;
    if (pn >= (probs.positive ?? 0) && pn >= (probs.negative ?? 0)) return 'neutral';
    return score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral';
  }
  return Math.abs(score) < band ? 'neutral' : score > 0 ? 'positive' : 'negative';
}

const LEXICON_WEIGHTS = [0, 0.25, 0.5, 0.75, 1];
const OFFSETS = [-0.15, -0.1, -0.05, 0, 0.05, 0.1, 0.15];

/**
 * Feature views the trainer chooses between by cross-validation on the training data. Words keep
 * their stop words (不, 很, 太 carry sentiment) and a NOT_ twin after a negation; character
 * 1–4-grams alone catch 3–4 character phrases (不太干净, 物超所值) without the segmenter.
 */
export const SENTIMENT_CANDIDATES: { name: string; options: TrainOptions }[] = [
  { name: 'char1-4', options: { C: 2, nbAlpha: 0.1, features: { maxN: 4 } } },
  { name: 'char1-3+words1-2+not C0.5', options: { C: 0.5, nbAlpha: 0, features: { maxN: 3, words: true, wordMaxN: 2, wordStopWords: true, negationScope: 3 } } },
  { name: 'char1-3+words1-2+not C1', options: { C: 1, nbAlpha: 0, features: { maxN: 3, words: true, wordMaxN: 2, wordStopWords: true, negationScope: 3 } } },
];

/**
 * Trains the classifier, choosing its feature view and C, the lexicon weight and the offset by
 * k-fold cross-validation on the training data alone (never on the test set). Options given by
 * the caller (features or C) replace the candidate list with that one setting.
 */
export function trainSentimentModel(texts: readonly string[], labels: readonly string[], options: TrainOptions & { folds?: number; candidates?: { name: string; options: TrainOptions }[] } = {}): SentimentModel {
  const { folds: k = 3, candidates: given, log, ...rest } = options;
  const candidates = given ?? (rest.features || rest.C !== undefined ? [{ name: 'given', options: {} }] : SENTIMENT_CANDIDATES);
  const lexScores = texts.map((t) => lexiconSentiment(t).score);
  const band = getSentimentLexicon().rules.neutralBand;
  const binary = !labels.includes('neutral');
  const grid = LEXICON_WEIGHTS.flatMap((w) => (binary ? OFFSETS : [0]).map((o) => ({ w, o })));
  const fold = stratifiedFolds(labels, k, (rest.seed ?? 1) + 7);
  let best: { cand: number; g: number; correct: number; temperature: number } | null = null;
  candidates.forEach((cand, ci) => {
    const opts: TrainOptions = { ...cand.options, ...rest, features: { ...cand.options.features, ...rest.features } };
    const cv = crossValidatedProbabilities(texts, labels, fold, k, opts);
    const correct = new Array(grid.length).fill(0);
    texts.forEach((_, i) => {
      const probs = cv.probabilities[i];
      grid.forEach(({ w, o }, g) => {
        const sc = blendedScore({ lexiconWeight: w, offset: o }, probs, lexScores[i]);
        const label = binary ? (sc < 0 ? 'negative' : 'positive') : blendedLabel(probs, sc, band);
        if (label === labels[i]) correct[g]++;
      });
    });
    // ties go to the smallest offset (earliest in the grid, nearest the plain model)
    let bg = 0;
    for (let g = 1; g < grid.length; g++) if (correct[g] > correct[bg] || (correct[g] === correct[bg] && Math.abs(grid[g].o) < Math.abs(grid[bg].o))) bg = g;
    log?.(`${cand.name}: cross-validated accuracy ${(correct[bg] / texts.length).toFixed(4)} with lexicon weight ${grid[bg].w}, offset ${grid[bg].o}`);
    if (!best || correct[bg] > best.correct) best = { cand: ci, g: bg, correct: correct[bg], temperature: cv.temperature };
  });
  const b = best!;
  const chosen = candidates[b.cand];
  log?.(`chose ${chosen.name}, lexicon weight ${grid[b.g].w}, offset ${grid[b.g].o}`);
  const opts: TrainOptions = { ...chosen.options, ...rest, features: { ...chosen.options.features, ...rest.features }, calibrationFolds: 0, temperature: b.temperature, log };
  return { classifier: trainTextClassifier(texts, labels, opts), lexiconWeight: grid[b.g].w, offset: grid[b.g].o };
}

/**
 * A sentiment reader: the lexicon, blended with a trained model when one is given. Without a model
 * it is the domain-general reader (any Chinese text); citizen messages use `messageSentiment`.
 */
export function analyzeSentiment(text: string, opts: { lexicon?: SentimentLexicon; model?: SentimentModel | null } = {}): SentimentResult {
  const lex = lexiconSentiment(text, opts.lexicon);
  const m = opts.model ?? null;
  if (!m || typeof text !== 'string' || !text.trim()) return lex;
  const probs = m.classifier.probabilities(text);
  if (Object.values(probs).every((v) => v === 0)) return lex;
  const score = blendedScore(m, probs, lex.score);
  const band = (opts.lexicon ?? getSentimentLexicon()).rules.neutralBand;
  const label = blendedLabel(probs, score, band);
  const p = label in probs ? probs[label] : Math.max(...Object.values(probs));
  return { label, score, confidence: clamp(calibrate(p, m.calibration), 0, 1), hits: lex.hits };
}

/**
 * The citizen-message reader: the lexicon blended with the shipped model trained on citizen
 * messages (lexicons/models/sentiment.json). That model knows this domain — complaints, reports,
 * thanks — and reads other text (product reviews, say) worse than the lexicon alone does.
 */
export function messageSentiment(text: string): SentimentResult {
  return analyzeSentiment(text, { model: shipped.get() });
}
