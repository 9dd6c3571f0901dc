// 紧急 or not: present danger to life, health or safety, or a basic utility out now. A hazard
// word alone is not enough — "上周停过水", "明天计划停电", "万一着火", "没有被困" are normal —
// so each mention is read with its clause for past, planned, hypothetical, negated, resolved
// and long-standing cues (patterns in lexicons/urgency.json).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Urgency } from './types';
import { shippedJson } from '../shipped/store';
import { calibrate, plattSchema, type Platt } from './calibration';
import { MODEL_FILES, shippedModel } from './models';
import { textClassifierFromJSON, type TextClassifier } from './text-classifier';
import { openingUnits, UnitPresence } from './opening-units';

// An optional add-on classifier for the patterns alone (tests, experiments): it catches dangers the
// patterns have no words for and only adds — when the patterns saw a hazard word and set it aside
// (past, planned, hypothetical, negated, resolved…), the patterns' reading stands.
let addOn: TextClassifier | null = null;
export function setUrgencyModel(m: TextClassifier | null): void {
  addOn = m;
}

const configSchema = z.object({
  hazards: z.array(z.tuple([z.string(), z.string()])),
  outages: z.array(z.tuple([z.string(), z.string()])),
  nowCues: z.string(),
  pastCues: z.string(),
  plannedCues: z.string(),
  hypotheticalCues: z.string(),
  negationCues: z.string(),
  chronicCues: z.string(),
  mitigatedCues: z.string(),
  consultOpening: z.string(),
  resolvedCues: z.string(),
  householdOnlyCues: z.string(),
});

interface Compiled {
  hazards: [RegExp, string][];
  outages: [RegExp, string][];
  /** hazards then outages, each with the code units its match opens with (null: always scanned) */
  patterns: { re: RegExp; why: string; kind: 'hazard' | 'outage'; first: number[] | null }[];
  now: RegExp;
  past: RegExp;
  planned: RegExp;
  hypothetical: RegExp;
  negation: RegExp;
  chronic: RegExp;
  mitigated: RegExp;
  consult: RegExp;
  resolved: RegExp;
  householdOnly: RegExp;
}

const shippedConfig = shippedJson('urgency.json', configSchema);
let compiled: Compiled | null = null;
function config(): Compiled {
  if (compiled) return compiled;
  const c = shippedConfig();
  const hazards = c.hazards.map(([re, why]): [RegExp, string] => [new RegExp(re, 'g'), why]);
  const outages = c.outages.map(([re, why]): [RegExp, string] => [new RegExp(re, 'g'), why]);
  const patterns: Compiled['patterns'] = [];
  for (const [list, kind] of [[hazards, 'hazard'], [outages, 'outage']] as const) for (const [re, why] of list) patterns.push({ re, why, kind, first: openingUnits(re.source) });
  compiled = {
    hazards,
    outages,
    patterns,
    now: new RegExp(c.nowCues),
    past: new RegExp(c.pastCues),
    planned: new RegExp(c.plannedCues),
    hypothetical: new RegExp(c.hypotheticalCues),
    negation: new RegExp(c.negationCues),
    chronic: new RegExp(c.chronicCues),
    mitigated: new RegExp(c.mitigatedCues),
    consult: new RegExp(c.consultOpening),
    resolved: new RegExp(c.resolvedCues),
    householdOnly: new RegExp(c.householdOnlyCues),
  };
  return compiled;
}

export interface UrgencyResult {
  label: Urgency;
  confidence: number;
  /** why: the hazards found, and for a normal message with hazard words why each was set aside */
  reasons: string[];
}

interface Mention {
  kind: 'hazard' | 'outage';
  why: string;
  clause: number;
  start: number;
}

const CLAUSE = /[^，。！？；,.!?;\n]+[，。！？；,.!?;\n]*/g;

export function classifyUrgency(text: string): UrgencyResult {
  if (typeof text !== 'string' || !/[\p{L}\p{N}]/u.test(text)) return { label: 'normal', confidence: 0, reasons: [] };
  const c = config();
  const { clauses, found } = scanClauses(text);
  const mentions: Mention[] = [];
  for (const f of found) {
    if (!mentions.some((x) => x.clause === f.clause && x.why === f.why)) mentions.push({ kind: f.kind, why: f.why, clause: f.clause, start: f.start });
  }
  if (!mentions.length) return modelReading(text) ?? { label: 'normal', confidence: 0.95, reasons: [] };

  const consult = c.consult.test(text.trim());
  const anyNow = c.now.test(text);
  const reasons: string[] = [];
  const setAside: string[] = [];
  for (const m of mentions) {
    const cl = clauses[m.clause];
    const before = cl.slice(0, m.start);
    // the clause itself, plus the clause before for time words that open a sentence ("上周…，停了水")
    const ctx = (m.clause > 0 ? clauses[m.clause - 1] : '') + cl;
    // "是不是着火了", "有没有人管" ask; they do not deny
    if (c.negation.test(before) && !/(是不是|有没有|会不会|能不能|要不要)$/.test(before)) { setAside.push(`${m.why}:否定`); continue; }
    if (c.hypothetical.test(cl)) { setAside.push(`${m.why}:假设`); continue; }
    if (c.planned.test(cl) || (c.planned.test(ctx) && !c.now.test(cl))) { setAside.push(`${m.why}:计划`); continue; }
    if (c.past.test(cl) && !c.now.test(cl)) { setAside.push(`${m.why}:已过去`); continue; }
    // "…塌陷的地方现在已经填好了", "…半小时后就来电了": over by the time of writing
    const rest = cl.slice(m.start) + clauses.slice(m.clause + 1, m.clause + 3).join('');
    if (c.resolved.test(rest)) { setAside.push(`${m.why}:已恢复`); continue; }
    if (m.kind === 'outage' && c.householdOnly.test(text)) { setAside.push(`${m.why}:仅本户`); continue; }
    if (c.mitigated.test(text) && m.why === '井盖缺失') { setAside.push(`${m.why}:已防护`); continue; }
    if (m.kind === 'outage') {
      // an outage is urgent only when it is happening now
      if (c.chronic.test(ctx) || !anyNow) { setAside.push(`${m.why}:非当前`); continue; }
    } else if (c.chronic.test(cl) && !c.now.test(cl)) { setAside.push(`${m.why}:长期`); continue; }
    reasons.push(m.why);
  }
  if (reasons.length && consult && !anyNow) {
    return { label: 'normal', confidence: 0.6, reasons: reasons.map((r) => `${r}:咨询`) };
  }
  if (reasons.length) {
    const hazard = mentions.some((m) => m.kind === 'hazard' && reasons.includes(m.why));
    const confidence = Math.min(0.97, (hazard ? 0.8 : 0.7) + 0.05 * (reasons.length - 1) + (anyNow ? 0.1 : 0));
    return { label: 'urgent', confidence, reasons: [...new Set(reasons)] };
  }
  // hazard words that were all set aside: normal, but not as sure as a message without any
  return { label: 'normal', confidence: 0.7, reasons: setAside };
}

/** Every hazard or outage word in the text, set aside or not: kind, why, clause and position. */
export function hazardMentions(text: string): { kind: 'hazard' | 'outage'; why: string; clause: number; index: number }[] {
  return scanClauses(text).found.map((f) => ({ kind: f.kind, why: f.why, clause: f.clause, index: f.index }));
}

/** Each clause of the text and, clause by clause, the first match of every hazard then outage
 * pattern in it (start within the clause, index within the text). A pattern none of whose
 * opening units is in the clause is not run there. The last text's scan is kept: the patterns'
 * reading and the reader's features both ask for it. */
interface ClauseScan {
  text: string;
  clauses: string[];
  found: { kind: 'hazard' | 'outage'; why: string; clause: number; start: number; index: number }[];
}
let lastScan: ClauseScan | null = null;
const present = new UnitPresence();
function scanClauses(text: string): ClauseScan {
  if (lastScan?.text === text) return lastScan;
  const c = config();
  const clauses = text.match(CLAUSE) ?? [text];
  const found: ClauseScan['found'] = [];
  let at = 0;
  clauses.forEach((cl, i) => {
    present.mark(cl);
    for (const p of c.patterns) {
      if (!present.mayOpen(p.first)) continue;
      p.re.lastIndex = 0;
      const m = p.re.exec(cl);
      if (m) found.push({ kind: p.kind, why: p.why, clause: i, start: m.index, index: at + m.index });
    }
    at += cl.length;
  });
  lastScan = { text, clauses, found };
  return lastScan;
}

/** The trained model's reading when it calls a message urgent that no pattern matched. */
function modelReading(text: string): UrgencyResult | null {
  const m = addOn;
  if (!m) return null;
  const p = m.probabilities(text).urgent ?? 0;
  if (p < 0.5) return null;
  return { label: 'urgent', confidence: Math.min(0.9, p), reasons: ['模型判断'] };
}

// ---------------------------------------------------------------------------------------------
// The shipped reader (lexicons/models/urgency.json). A hazard word is not an emergency: the
// patterns' verdict, what they set aside (past, planned, feared, negated, resolved, chronic), the
// length of the message, a few signs of a danger present now (an outage still on after days, a
// building cracking, a past year named) and a character n-gram classifier's P(urgent) are weighed
// by a small logistic regression trained on labelled real messages plus our own short ones. A
// fire years ago inside a long petition then reads as normal, while the short hotline texts the
// patterns were written for keep their reading.

export const URGENCY_FEATURES = [
  'ngram', 'rule', 'ruleHazard', 'ruleOutage', 'ruleLong', 'rulePetition',
  'lenMedium', 'lenLong', 'lenPetition',
  'asidePast', 'asidePlanned', 'asideFeared', 'asideNegated', 'asideResolved', 'asideChronic', 'asideConsult', 'asideHousehold',
  'outageOngoing', 'structural', 'lifeSafety', 'pastYear', 'hazards',
  'hazardOpening', 'outageOpening', 'structuralOpening', 'firstMention', 'mentionDensity',
  'chronicOutage', 'questionOpening', 'roadHole', 'waterQuality', 'lifeNow', 'presentDanger', 'outageNow',
  'nowNearLong', 'firstSentenceLong',
] as const;

/** Where the title usually sits: what a message opens with is what it is about. */
const OPENING = 40;
/** the n-gram P(urgent) enters as its log-odds divided by this: with a few dozen urgent rows it overfits fast, so it is kept small against the L2 penalty */
const NGRAM_SCALE = 3;

const OUTAGES = new Set(['停水', '停电', '停气', '停暖']);
const ASIDE: Record<string, (typeof URGENCY_FEATURES)[number]> = {
  已过去: 'asidePast', 计划: 'asidePlanned', 假设: 'asideFeared', 否定: 'asideNegated', 已恢复: 'asideResolved',
  长期: 'asideChronic', 非当前: 'asideChronic', 咨询: 'asideConsult', 仅本户: 'asideHousehold', 已防护: 'asideResolved',
};
const NUM = '[0-9０-９一二三四五六七八九十两几]+';
const SIGNS = {
  // an outage still on after days ("停水已经长达三日", "今天依旧停水"); months-long trouble is chronic, not this
  outageOngoing: new RegExp(`(停|断|没(有)?)(了)?(水|电|气)[^，。！？]{0,6}${NUM}(天|日)|(停|断)(水|电|气)(已经|已|达|长达|快)?[^，。！？]{0,3}${NUM}(天|日)|(依旧|依然|仍然|至今|到现在|还是)[^，。！？]{0,4}(停水|停电|没水|没电|停气|没有水|没有电)`),
  // a structure failing now (not 危房改造 subsidies)
  structural: /(墙|楼板|梁|基础|地基|楼|房屋|房子|路面|山体|基坑|堤|桥)[^，。！？]{0,8}(开裂|裂缝|下沉|倾斜|断裂|塌方|坍塌|沉降|垮塌|移位)|成(了|为)?危房|(出现|发生|严重)[^，。！？]{0,4}(开裂|下沉|塌方|坍塌|倾斜)/,
  lifeSafety: /生命(财产)?安全|人身安全|生命危险/,
  pastYear: /(19|20)\d\d年|去年|前年|多年前|当年|那年/,
  chronicOutage: /(经常|频繁|老是|总是|时常|多次|长期|动不动|隔三差五|三天两头|每年|每到)[^。！？]{0,10}(停水|停电|断水|断电|停气|没水|没电|水压)|(停水|停电|断电|断水)[^。！？]{0,4}(频繁|频发|不断|多次|次数)/,
  questionOpening: /^[^。！？]{0,30}(请问|是否|能否|可否|怎么办|如何|吗[？?]|呢[？?])/,
  roadHole: /(大坑|深坑|坑洼|塌了个|到处是坑|路面[^，。]{0,4}(塌|坑|陷))/,
  waterQuality: /(水质|自来水|井水|饮用水)[^。]{0,24}(气味|异味|发黄|浑浊|毒|臭)/,
  lifeNow: /(正在|现在|目前)[^。]{0,8}(抢救|重症|ICU|icu)|(医院|住院)抢救|生命垂危|命悬一线|危在旦夕/,
  // a danger said to be there at the time of writing, in everyday words
  presentDanger: /(现在|目前|正在|这段时间|近一周|近几天|连日|如今|这几天)[^。！？]{0,20}(抢救|昏迷|瘫痪|大坑|坑洼|气味|异味|有毒|漏电|冒烟|塌|裂)/,
  // an outage on at the time of writing ("…而停水了", "停水三天无人过问")
  outageNow: /(而|已经|已|又|突然|被)(停水|停电|断水|断电|停气)了|(停水|停电|断水|断电)[^，。！？]{0,6}(无人过问|没人管|无人管|至今)/,
}

// a hazard said to be there now: a now-word in the hazard's clause or the one before or after
const NOW_NEAR = /现在|目前|正在|刚才|刚刚|今天|今晚|今早|此刻|至今|仍然|依然|还在|一直没|随时/;

const SIGN_LIST = Object.entries(SIGNS).map(([k, re]): [string, RegExp, number[] | null] => [k, re, openingUnits(re.source)]);
const signsPresent = new UnitPresence();

export interface UrgencyReader {
  /** character n-gram classifier on the message text */
  classifier: TextClassifier;
  /** logistic regression over URGENCY_FEATURES */
  weights: number[];
  bias: number;
  /** P(urgent) from which a message is urgent (fitted for recall on held-out folds) */
  threshold: number;
  /** the threshold for a text of URGENCY_LONG_CHARS or more characters (a petition, not a hotline
   * or WeChat text), fitted on the long training rows; null or absent: `threshold` for all */
  longThreshold?: number | null;
  /** the regression for a text of URGENCY_LONG_CHARS or more characters, read against
   * `longThreshold`: fitted with the real messages the settings are fitted on weighing more
   * (URGENCY_FIT_WEIGHT); null or absent: `weights` and `bias` for all */
  longWeights?: number[] | null;
  longBias?: number | null;
  /** maps the confidence in the label read onto observed accuracy */
  calibration: Platt | null;
}

const readerFileSchema = z.object({
  format: z.literal('minsheng/urgency-reader'),
  version: z.literal(1),
  features: z.array(z.string()),
  weights: z.array(z.number()),
  bias: z.number(),
  threshold: z.number().min(0).max(1),
  longChars: z.number().int().positive().optional(),
  longThreshold: z.number().min(0).max(1).nullable().optional(),
  longWeights: z.array(z.number()).nullable().optional(),
  longBias: z.number().nullable().optional(),
  calibration: plattSchema.nullable(),
  classifier: z.unknown(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

export const URGENCY_MODEL_FILE = MODEL_FILES.urgency;

/** From this many characters a text is a petition, not a hotline or WeChat text: the real board
 * posts the long-text threshold is fitted on are ~480 characters, our own short texts ~40 */
export const URGENCY_LONG_CHARS = 200;

/** The threshold that applies to this text: the long-text one for a petition, when the reader has one. */
export function urgencyThreshold(reader: Pick<UrgencyReader, 'threshold' | 'longThreshold'>, text: string): number {
  return reader.longThreshold != null && text.length >= URGENCY_LONG_CHARS ? reader.longThreshold : reader.threshold;
}

export function loadUrgencyReader(file: string): UrgencyReader {
  const j = readerFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (j.features.join() !== URGENCY_FEATURES.join()) throw new Error(`features ${j.features.join(',')} are not this version's (${URGENCY_FEATURES.join(',')}); retrain it`);
  if ((j.longThreshold != null || j.longWeights != null) && j.longChars !== URGENCY_LONG_CHARS) throw new Error(`its long-text threshold is for texts of ${j.longChars ?? '?'}+ characters, this version's for ${URGENCY_LONG_CHARS}+; retrain it`);
  for (const w of [j.weights, j.longWeights ?? j.weights]) if (w.length !== URGENCY_FEATURES.length) throw new Error(`${w.length} weights for ${URGENCY_FEATURES.length} features; retrain it`);
  if (j.longWeights != null && j.longBias == null) throw new Error('long-text weights without their bias; retrain it');
  return { classifier: textClassifierFromJSON(j.classifier), weights: j.weights, bias: j.bias, threshold: j.threshold, longThreshold: j.longThreshold ?? null, longWeights: j.longWeights ?? null, longBias: j.longBias ?? null, calibration: j.calibration };
}

export function saveUrgencyReader(r: UrgencyReader, file: string, meta?: Record<string, unknown>): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const j = { format: 'minsheng/urgency-reader', version: 1, features: URGENCY_FEATURES, weights: r.weights, bias: r.bias, threshold: r.threshold, ...(r.longThreshold != null || r.longWeights != null ? { longChars: URGENCY_LONG_CHARS, longThreshold: r.longThreshold ?? null } : {}), ...(r.longWeights != null ? { longWeights: r.longWeights, longBias: r.longBias ?? 0 } : {}), calibration: r.calibration, classifier: r.classifier.toJSON({ quantize: true }), ...(meta ? { meta } : {}) };
  writeFileSync(file, JSON.stringify(j) + '\n');
}

const shippedReader = shippedModel(() => MODEL_FILES.urgency, loadUrgencyReader);
/** Put another reader in place (null: the patterns alone; undefined: the shipped file). */
export function setUrgencyReader(r: UrgencyReader | null | undefined): void {
  shippedReader.set(r);
}

/** The reader's features of one message, given the patterns' reading and the n-gram P(urgent). */
export function urgencyFeatures(text: string, rules: UrgencyResult, ngramP: number): number[] {
  const f: Record<string, number> = Object.fromEntries(URGENCY_FEATURES.map((n) => [n, 0]));
  const q = Math.min(1 - 1e-3, Math.max(1e-3, ngramP));
  f.ngram = Math.log(q / (1 - q)) / NGRAM_SCALE;
  const n = text.length;
  const long = n >= 150, petition = n >= 400;
  f.lenMedium = n >= 60 && !long ? 1 : 0;
  f.lenLong = long && !petition ? 1 : 0;
  f.lenPetition = petition ? 1 : 0;
  if (rules.label === 'urgent') {
    f.rule = 1;
    f.ruleHazard = rules.reasons.some((r) => !OUTAGES.has(r)) ? 1 : 0;
    f.ruleOutage = rules.reasons.some((r) => OUTAGES.has(r)) ? 1 : 0;
    f.ruleLong = long ? 1 : 0;
    f.rulePetition = petition ? 1 : 0;
    f.hazards = Math.min(3, rules.reasons.length) / 3;
  } else {
    for (const r of rules.reasons) {
      const kind = ASIDE[r.split(':')[1] ?? ''];
      if (kind) f[kind] = Math.min(3, f[kind] + 1);
    }
    for (const k of Object.values(ASIDE)) f[k] /= 3;
  }
  signsPresent.mark(text);
  for (const [k, re, first] of SIGN_LIST) f[k] = signsPresent.mayOpen(first) && re.test(text) ? 1 : 0;
  if (f.outageOngoing) f.chronicOutage = 0;
  const m = hazardMentions(text);
  const opening = m.filter((x) => x.index < OPENING);
  f.hazardOpening = opening.some((x) => x.kind === 'hazard') ? 1 : 0;
  f.outageOpening = opening.some((x) => x.kind === 'outage') ? 1 : 0;
  f.structuralOpening = SIGNS.structural.test(text.slice(0, OPENING)) ? 1 : 0;
  f.firstMention = m.length ? 1 - Math.min(...m.map((x) => x.index)) / Math.max(n, 1) : 0;
  const clauses = Math.max(1, scanClauses(text).clauses.length);
  f.mentionDensity = Math.min(1, new Set(m.map((x) => x.clause)).size / clauses * 3);
  // "present now" (2026-12-07), for a petition (URGENCY_LONG_CHARS+) only — the short texts read as
  // before: a now-word beside a hazard word, and a hazard in the first sentence (the title), what it is about
  if (n >= URGENCY_LONG_CHARS) {
    const cl = scanClauses(text).clauses;
    f.nowNearLong = m.some((x) => NOW_NEAR.test((cl[x.clause - 1] ?? '') + cl[x.clause] + (cl[x.clause + 1] ?? ''))) ? 1 : 0;
    const end = text.search(/[。！？!?]/);
    f.firstSentenceLong = m.some((x) => x.index <= (end < 0 ? n : end)) ? 1 : 0;
  }
  return URGENCY_FEATURES.map((k) => f[k]);
}

export function urgencyProbability(reader: Pick<UrgencyReader, 'weights' | 'bias'>, x: readonly number[]): number {
  let z = reader.bias;
  for (let j = 0; j < x.length; j++) z += reader.weights[j] * x[j];
  return 1 / (1 + Math.exp(-z));
}

/** The regression that reads this text: the long-text one for a petition, when the reader has one. */
export function urgencyRegression(reader: Pick<UrgencyReader, 'weights' | 'bias' | 'longWeights' | 'longBias'>, text: string): Pick<UrgencyReader, 'weights' | 'bias'> {
  return reader.longWeights != null && text.length >= URGENCY_LONG_CHARS ? { weights: reader.longWeights, bias: reader.longBias ?? 0 } : reader;
}

/** Confidence in the label read, from how far P(urgent) is past the threshold on its side (before calibration). */
export function urgencySideConfidence(p: number, t: number): number {
  const s = p >= t ? 0.5 + 0.5 * ((p - t) / Math.max(1 - t, 1e-9)) : 0.5 + 0.5 * ((t - p) / Math.max(t, 1e-9));
  return Math.min(0.999, Math.max(0.5, s));
}

/** Urgency as the service reads it: the patterns, weighed by the shipped reader when one is in place. */
export function readUrgency(text: string, reader: UrgencyReader | null = shippedReader.get()): UrgencyResult {
  const rules = classifyUrgency(text);
  if (!reader || rules.confidence === 0) return rules;
  const ngram = reader.classifier.probabilities(text).urgent ?? 0;
  const p = urgencyProbability(urgencyRegression(reader, text), urgencyFeatures(text, rules, ngram));
  const t = urgencyThreshold(reader, text);
  const urgent = p >= t;
  const confidence = Math.round(calibrate(urgencySideConfidence(p, t), reader.calibration) * 1000) / 1000;
  if (urgent) {
    const hazards = rules.label === 'urgent' ? rules.reasons : [];
    return { label: 'urgent', confidence, reasons: hazards.length ? hazards : ['模型判断'] };
  }
  const reasons = rules.label === 'urgent' ? rules.reasons.map((r) => `${r}:非当前紧急`) : rules.reasons;
  return { label: 'normal', confidence, reasons };
}
