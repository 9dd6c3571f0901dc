// 诉求类型 (consultation, help, complaint, report, suggestion, thanks) from cue phrases in
// lexicons/request-type.json, the message's sentiment, and a trained model when one ships
// (lexicons/models/request-type.json, trained on labelled messages with `eval analyze --train`).
import { z } from 'zod';
import { REQUEST_TYPES, type Prediction, type RequestType } from './types';
import { shippedJson } from '../shipped/store';
import { calibrate, plattSchema } from './calibration';
import { MODEL_FILES, shippedModel } from './models';
import { loadTextClassifier, type TextClassifier } from './text-classifier';
import { openingUnits, UnitPresence } from './opening-units';

const configSchema = z.object({
  cues: z.record(z.enum(REQUEST_TYPES), z.array(z.tuple([z.string(), z.number()]))),
  openingChars: z.number().int().min(0),
  openingBonus: z.number(),
  courtesyClosing: z.string(),
  sentimentBoost: z.partialRecord(z.enum(REQUEST_TYPES), z.tuple([z.number(), z.number()])),
  /** added when the message is urgent: someone in danger now is asking for help first */
  urgentBoost: z.partialRecord(z.enum(REQUEST_TYPES), z.number()).default({}),
  fallback: z.object({ question: z.enum(REQUEST_TYPES), negative: z.enum(REQUEST_TYPES), positive: z.enum(REQUEST_TYPES), default: z.enum(REQUEST_TYPES) }),
});

interface Compiled {
  /** `first`: the code units one of which a match must open with (null: the pattern was not read, always scanned) */
  cues: { type: RequestType; re: RegExp; weight: number; source: string; first: number[] | null }[];
  openingChars: number;
  openingBonus: number;
  courtesy: RegExp;
  sentimentBoost: Partial<Record<RequestType, [number, number]>>;
  urgentBoost: Partial<Record<RequestType, number>>;
  fallback: z.infer<typeof configSchema>['fallback'];
}

const shippedConfig = shippedJson('request-type.json', configSchema);
let compiled: Compiled | null = null;
function config(): Compiled {
  if (compiled) return compiled;
  const c = shippedConfig();
  const cues: Compiled['cues'] = [];
  for (const type of REQUEST_TYPES) for (const [src, weight] of c.cues[type] ?? []) cues.push({ type, re: new RegExp(src, 'g'), weight, source: src, first: openingUnits(src) });
  compiled = { cues, openingChars: c.openingChars, openingBonus: c.openingBonus, courtesy: new RegExp(c.courtesyClosing), sentimentBoost: c.sentimentBoost, urgentBoost: c.urgentBoost, fallback: c.fallback };
  return compiled;
}

export interface RequestTypeResult extends Prediction {
  label: RequestType | 'unknown';
  scores: Record<RequestType, number>;
  cues: string[];
}

export const REQUEST_TYPE_MODEL_FILE = MODEL_FILES.requestType;
const shipped = shippedModel(() => MODEL_FILES.requestType, loadTextClassifier);
/** Put another model in place (null: cue patterns alone; undefined: the shipped file). */
export function setRequestTypeModel(m: TextClassifier | null | undefined): void {
  shipped.set(m);
}

/** The reader's settings kept in the model's meta: how much the cue patterns count where they
 * spoke (0–1), and the confidence calibration fitted on held-out folds. */
const readerMetaSchema = z.object({
  ruleWeight: z.number().min(0).max(1).default(0.5),
  /** added to each type's log-probability (REQUEST_TYPES order), fitted for macro-F1 on held-out folds */
  classOffsets: z.array(z.number()).length(REQUEST_TYPES.length).nullable().default(null),
  calibration: plattSchema.nullable().default(null),
  /** a one-vs-rest logistic regression per type (REQUEST_TYPES order) over requestTypeStackFeatures,
   * fitted on held-out folds of real messages; when present it replaces the fixed blend */
  stack: z.object({ weights: z.array(z.array(z.number())), bias: z.array(z.number()) }).nullable().default(null),
});

/** Probabilities with per-type log offsets, renormalised. */
export function applyOffsets(p: readonly number[], offsets: readonly number[] | null): number[] {
  if (!offsets) return [...p];
  const q = p.map((x, i) => Math.max(x, 1e-9) * Math.exp(offsets[i] ?? 0));
  const s = q.reduce((a, b) => a + b, 0);
  return q.map((x) => x / s);
}
// parsed once per meta object (the model's settings do not change while it is in use)
const parsedMeta = new WeakMap<object, z.infer<typeof readerMetaSchema>>();
export function requestTypeReaderMeta(m: TextClassifier): z.infer<typeof readerMetaSchema> {
  const raw = m.meta;
  if (raw === null || typeof raw !== 'object') return readerMetaSchema.parse(raw);
  let parsed = parsedMeta.get(raw);
  if (!parsed) parsedMeta.set(raw, (parsed = readerMetaSchema.parse(raw)));
  return parsed;
}

/** The cue patterns' scores of one text before the sentiment and urgency pushes, with the cues
 * that spoke. The reader asks for the same texts several times per message (the rule reading, the
 * stack's features, the thanks gate), so the last few are kept: each text is scanned once. */
const CUE_MEMO = 4;
const present = new UnitPresence();
const cueMemo: { text: string; scores: Record<RequestType, number>; cues: string[] }[] = [];
function cueScores(text: string): { scores: Record<RequestType, number>; cues: string[] } {
  for (const m of cueMemo) if (m.text === text) return m;
  const c = config();
  const scores = Object.fromEntries(REQUEST_TYPES.map((t) => [t, 0])) as Record<RequestType, number>;
  const cues: string[] = [];
  // Drop hotline boilerplate ("来电人反映：") and courtesy closings before reading cues.
  let body = text.replace(/^(来电人|市民|网友|群众)(反映|称|表示|来电|咨询|建议|举报|表扬)?[:：]?/, (m) => {
    const verb = /咨询|建议|举报|表扬/.exec(m)?.[0];
    if (verb) scores[verb === '表扬' ? '感谢' : (verb as RequestType)] += 3;
    return '';
  });
  const stripped = body.replace(c.courtesy, '');
  if (stripped.length >= 10) body = stripped;
  // which code units the body holds (a stamp per unit, no clearing): a cue that cannot open
  // anywhere in it is not scanned
  present.mark(body);
  for (const cue of c.cues) {
    if (!present.mayOpen(cue.first)) continue;
    // the matches String.prototype.matchAll would give: non-overlapping, from the left
    const re = cue.re;
    re.lastIndex = 0;
    let first = -1;
    let n = 0;
    for (let m = re.exec(body); m !== null; m = re.exec(body)) {
      if (first < 0) first = m.index;
      n++;
      if (m[0] === '') re.lastIndex++;
    }
    if (!n) continue;
    // repeated cues add a little; the opening characters (where people say what they want) add more
    let w = cue.weight * (1 + 0.25 * Math.min(n - 1, 2));
    if (first < c.openingChars) w += cue.weight > 1.5 ? c.openingBonus : c.openingBonus / 3;
    scores[cue.type] += w;
    cues.push(`${cue.type}:${cue.source}`);
  }
  const entry = { text, scores, cues };
  cueMemo.unshift(entry);
  if (cueMemo.length > CUE_MEMO) cueMemo.pop();
  return entry;
}

/** Rule scores only: cue weights, opening bonus, sentiment push. */
export function requestTypeScores(text: string, sentimentScore = 0, urgent = false): { scores: Record<RequestType, number>; cues: string[] } {
  const c = config();
  const base = cueScores(text);
  const scores = { ...base.scores };
  const cues = [...base.cues];
  for (const [type, [sign, weight]] of Object.entries(c.sentimentBoost) as [RequestType, [number, number]][]) {
    if (sign * sentimentScore > 0) scores[type] += weight * Math.abs(sentimentScore);
  }
  if (urgent) for (const [type, w] of Object.entries(c.urgentBoost) as [RequestType, number][]) scores[type] += w;
  return { scores, cues };
}

const softmax = (xs: number[], t: number): number[] => {
  const top = Math.max(...xs);
  const e = xs.map((x) => Math.exp((x - top) / t));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

/** The cue patterns' reading as probabilities (softmax of the cue scores) and their total weight (0: no cue spoke). */
export function ruleProbabilities(text: string, sentimentScore = 0, urgent = false): { probs: number[]; total: number; scores: Record<RequestType, number>; cues: string[] } {
  const { scores, cues } = requestTypeScores(text, sentimentScore, urgent);
  const total = REQUEST_TYPES.reduce((a, t) => a + scores[t], 0);
  return { probs: softmax(REQUEST_TYPES.map((t) => scores[t]), 1.2), total, scores, cues };
}

/** Cue probabilities and model probabilities blended as the reader does (in REQUEST_TYPES order). */
export function blendRequestType(rule: { probs: number[]; total: number }, model: Record<string, number> | null, ruleWeight: number): number[] {
  if (!model || !Object.values(model).some((v) => v > 0)) return rule.probs;
  const a = rule.total > 0 ? 1 - ruleWeight : 1;
  return REQUEST_TYPES.map((t, i) => (1 - a) * rule.probs[i] + a * (model[t] ?? 0));
}

/** Where the writer says what they want: the title (the text opens with the subject line) and
 * the closing sentences (after the story) — the annotators decided by what the writer mainly
 * wants, and that is mostly said there rather than in the account of what happened. */
export const STACK_OPENING = 30;
const SENTENCE = /[^。！？!?\n]+[。！？!?\n]*/g;
export const SIGNATURE = /[，。！!\s]*(此致|敬礼|申请人|反映人|举报人|联系人|联系电话|电话)?[^。！？!?\n]{0,24}?((19|20)\d\d(年|[-./])\d{1,2}(月|[-./])\d{1,2}日?|[〇零一二三四五六七八九]{4}年[^。！？]{1,6}日)[。！!\s]*$/;
/** text.replace(SIGNATURE, ''), reading only the text's end. A match ends at the text's end: the
 * run of [。！!\s] there, before it the date (at most 12 characters, ending in a digit or 日, so
 * right where that run starts), at most 24 characters and a word of at most 4 before the date, and
 * before those a run of [，。！!\s]. So every match opens after the last character outside that
 * set that lies more than 40 characters before the closing run: the pattern (no look-behind, no ^)
 * is run from there, and finds the same leftmost match as on the whole text. */
const SIGNATURE_SPAN = 48;
const isClosingRun = (c: number) => c === 0x3002 || c === 0xff01 || c === 0x21 || isRegexSpace(c);
const isSignaturePunct = (c: number) => c === 0xff0c || isClosingRun(c);
function isRegexSpace(c: number): boolean {
  // \s: white space and line terminators
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
export function withoutSignature(text: string): string {
  let end = text.length;
  while (end > 0 && isClosingRun(text.charCodeAt(end - 1))) end--;
  let from = Math.max(0, end - SIGNATURE_SPAN);
  while (from > 0 && isSignaturePunct(text.charCodeAt(from - 1))) from--;
  if (from === 0) return text.replace(SIGNATURE, '');
  const m = SIGNATURE.exec(text.slice(from));
  return m === null ? text : text.slice(0, from + m.index);
}
let closingMemo: { text: string; closing: string } | null = null;
export function closingText(text: string): string {
  if (closingMemo?.text === text) return closingMemo.closing;
  const closing = readClosing(text);
  closingMemo = { text, closing };
  return closing;
}
function readClosing(text: string): string {
  const c = config();
  // a signature, a date or 此致敬礼 after the last sentence says nothing of what is wanted
  const signed = withoutSignature(text);
  const body = signed.replace(c.courtesy, '');
  const t = body.length >= 10 ? body : signed.length >= 10 ? signed : text;
  const sentences = t.match(SENTENCE) ?? [t];
  const last = sentences.slice(-2).join('');
  return last.length > 120 ? last.slice(-120) : last;
}

const STACK_SIGNS: RegExp[] = [
  /[？?]/, // a question in the closing sentences
  /(建议|提议|希望|恳请|呼吁)[^。！？]{0,20}(增设|增加|开通|设置|修建|新建|规划|延长|优化|完善|出台|改为|调整|考虑)/, // a measure proposed
  /(请|恳请|请求|希望)[^。！？]{0,12}(帮|帮助|帮忙|解决|救助|协调)/, // help asked for
  /(查处|严查|依法|调查|取缔|处理|打击)[^。！？]{0,6}/, // an offender to be investigated
  /(违法|违规|非法|无证|私自|偷|骗)/, // wrongdoing named
];

/** Features of the stacked reader for one message: the n-gram model's log-probabilities, the cue
 * scores of the whole text, of its opening (title) and of its closing sentences, a few signs read
 * in the closing sentences, and the length. */
export function requestTypeStackFeatures(text: string, model: Record<string, number> | null, sentimentScore = 0, urgent = false): number[] {
  const all = requestTypeScores(text, sentimentScore, urgent).scores;
  const open = requestTypeScores(text.slice(0, STACK_OPENING)).scores;
  const closing = closingText(text);
  const close = requestTypeScores(closing).scores;
  const sq = (x: number) => Math.min(3, x) / 3;
  const f: number[] = [];
  for (const t of REQUEST_TYPES) f.push(Math.log(Math.max(model?.[t] ?? 0, 1e-3)) / 3);
  for (const t of REQUEST_TYPES) f.push(sq(all[t] / 2));
  for (const t of REQUEST_TYPES) f.push(sq(open[t] / 2));
  for (const t of REQUEST_TYPES) f.push(sq(close[t] / 2));
  for (const re of STACK_SIGNS) f.push(re.test(closing) ? 1 : 0);
  f.push(Math.min(1, text.length / 600), Math.max(-1, Math.min(1, sentimentScore)));
  return f;
}

/** 感谢 is what the writer mainly wants only when the thanks or praise is the point: a thanks cue
 * in the closing sentences (or a short message) and no other type's cue as strong there or in the
 * whole text. "衷心感谢…" opening a request, or a plea that ends "…帮帮我，感谢", is not thanks
 * (on real messages the n-gram model alone read such rows as 感谢 three times in 800). */
const PRAISE = /点赞|点个赞|表扬|赞扬|称赞|致谢|锦旗|好评|辛苦了|感动|暖心|雪中送炭|自豪|越来越好|好福气|衷心感谢[^，。！]{0,12}(帮助|关心|解决)/;
const THANKS_SOMEONE = /(感谢|谢谢|致谢)(?!您|你们|领导|各位|大家|了)[^，。！？!?\s]{2,}/;
export function thanksPlausible(text: string): 'no' | 'maybe' | 'only' {
  // a long petition that praises on the way is still a petition (one real message in 800 is thanks, 89 characters long)
  if (text.length > 300) return 'no';
  const closing = closingText(text);
  const close = requestTypeScores(closing).scores;
  const all = requestTypeScores(text).scores;
  const others = (s: Record<RequestType, number>) => Math.max(...REQUEST_TYPES.filter((t) => t !== '感谢').map((t) => s[t]));
  if (close.感谢 < 2 && !(text.length <= 60 && all.感谢 >= 2)) return 'no';
  if (others(close) >= close.感谢) return 'no';
  // past a few lines, a bare 感谢/谢谢 is manners; thanks as the point names whom it thanks, or praises
  if (text.length > 60 && !PRAISE.test(text) && !THANKS_SOMEONE.test(closing)) return 'no';
  // praise and nothing else: no other type's cue anywhere
  return others(all) < 1 && all.感谢 >= 3 ? 'only' : 'maybe';
}

/** Probabilities with 感谢 taken out (renormalised) where thanksPlausible says no, and put first
 * where praise is all the message holds. */
export function gateThanks(text: string, p: readonly number[]): number[] {
  return gateThanksBy(thanksPlausible(text), p);
}

/** gateThanks with the text's thanksPlausible verdict already read (training tries many offsets on the same rows). */
export function gateThanksBy(v: ReturnType<typeof thanksPlausible>, p: readonly number[]): number[] {
  const i = REQUEST_TYPES.indexOf('感谢');
  if (i < 0 || v === 'maybe') return [...p];
  const top = Math.max(...p.filter((_, j) => j !== i));
  const q = p.map((x, j) => (j !== i ? x : v === 'no' ? 0 : Math.max(x, top * 1.5)));
  const s = q.reduce((a, b) => a + b, 0) || 1;
  return q.map((x) => x / s);
}

/** The stacked reader's probabilities (REQUEST_TYPES order), one-vs-rest renormalised. */
export function stackProbabilities(stack: { weights: number[][]; bias: number[] }, x: readonly number[]): number[] {
  const p = REQUEST_TYPES.map((_, c) => {
    let z = stack.bias[c] ?? -10;
    const w = stack.weights[c] ?? [];
    for (let j = 0; j < x.length; j++) z += (w[j] ?? 0) * x[j];
    return 1 / (1 + Math.exp(-z));
  });
  const s = p.reduce((a, b) => a + b, 0) || 1;
  return p.map((x) => x / s);
}

export function classifyRequestType(text: string, opts: { sentimentScore?: number; urgent?: boolean; model?: TextClassifier | null } = {}): RequestTypeResult {
  const empty = Object.fromEntries(REQUEST_TYPES.map((t) => [t, 0])) as Record<RequestType, number>;
  if (typeof text !== 'string' || !/[\p{L}\p{N}]/u.test(text)) return { label: 'unknown', confidence: 0, scores: empty, cues: [] };
  const rule = ruleProbabilities(text, opts.sentimentScore ?? 0, opts.urgent ?? false);
  const { scores, cues, total } = rule;
  const m = opts.model === undefined ? shipped.get() : opts.model;
  let combined = rule.probs;
  let platt = null;
  if (m) {
    // With no cue at all the model alone decides; otherwise the cues have their trained say.
    const meta = requestTypeReaderMeta(m);
    platt = meta.calibration;
    const probs = m.probabilities(text);
    combined = gateThanks(text, applyOffsets(
      meta.stack ? stackProbabilities(meta.stack, requestTypeStackFeatures(text, probs, opts.sentimentScore ?? 0, opts.urgent ?? false)) : blendRequestType(rule, probs, meta.ruleWeight),
      meta.classOffsets,
    ));
  }
  let best = 0;
  for (let i = 1; i < combined.length; i++) if (combined[i] > combined[best]) best = i;
  if (total === 0 && !m) {
    // Nothing to go on: questions are consultations; the rest by tone.
    const c = config();
    const s = opts.sentimentScore ?? 0;
    const label = /[？?吗]/.test(text) ? c.fallback.question : s < -0.2 ? c.fallback.negative : s > 0.2 ? c.fallback.positive : c.fallback.default;
    return { label, confidence: 0.3, scores, cues };
  }
  return { label: REQUEST_TYPES[best], confidence: Math.round(calibrate(combined[best], platt) * 1000) / 1000, scores, cues };
}

/** Distant supervision from an official reply: the reply usually names what the resident did
 * ("您咨询的…", "您举报的…", "您的建议…", "您求助的…", "您投诉的…"). The type whose cue alone appears
 * in the reply's opening, or null when none or several do ("您反映的…" is said of every type and
 * names none). Precise rather than complete: most replies name no type. */
const REPLY_CUES: [RequestType, RegExp][] = [
  ['举报', /(您|你)(所|们)?(实名)?举报的|关于(您|你)(所)?举报|(您|你)(在[^，。]{0,20})?举报/],
  ['咨询', /(您|你)(所|们)?(咨询|询问|所问|提问)的|关于(您|你)(所)?(咨询|询问)|(您|你)(在[^，。]{0,20})?(咨询|询问)|您(想|要)了解的|就您(咨询|询问)/],
  ['建议', /(您|你)(们)?(提出)?的[^，。]{0,6}建议|(您|你)(所)?建议的|宝贵建议|(您|你)(在[^，。]{0,20})?(提出|提)[^，。]{0,20}建议|采纳/],
  ['求助', /(您|你)(所|们)?求助|(为|帮)(您|你)[^，。]{0,8}(解决|协调)[^，。]{0,8}(困难|问题)|救助|帮扶/],
  ['投诉', /(您|你)(所|们)?投诉的|关于(您|你)(所)?投诉|(您|你)(在[^，。]{0,20})?投诉/],
];
export const REPLY_OPENING = 400;
export function requestTypeFromReply(reply: string): RequestType | null {
  if (typeof reply !== 'string') return null;
  const head = reply.slice(0, REPLY_OPENING);
  const hits = REPLY_CUES.filter(([, re]) => re.test(head)).map(([t]) => t);
  return hits.length === 1 ? hits[0] : null;
}
