// 诉求类型 (consultation, help, complaint, report, suggestion, thanks) from cue phrases in
// lexicons/request-type.json, the message's sentiment, and a trained model when one ships
// (lexicons/models/request-type.json, trained on labelled messages with `eval analyze --train`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { REQUEST_TYPES, type Prediction, type RequestType } from './types';
import { LEXICON_DIR } from './segment';
import { shippedClassifier, type TextClassifier } from './text-classifier';

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
  cues: { type: RequestType; re: RegExp; weight: number; source: string }[];
  openingChars: number;
  openingBonus: number;
  courtesy: RegExp;
  sentimentBoost: Partial<Record<RequestType, [number, number]>>;
  urgentBoost: Partial<Record<RequestType, number>>;
  fallback: z.infer<typeof configSchema>['fallback'];
}

let compiled: Compiled | null = null;
function config(): Compiled {
  if (compiled) return compiled;
  const c = configSchema.parse(JSON.parse(readFileSync(path.join(LEXICON_DIR, 'request-type.json'), 'utf8')));
  const cues: Compiled['cues'] = [];
  for (const type of REQUEST_TYPES) for (const [src, weight] of c.cues[type] ?? []) cues.push({ type, re: new RegExp(src, 'g'), weight, source: src });
  compiled = { cues, openingChars: c.openingChars, openingBonus: c.openingBonus, courtesy: new RegExp(c.courtesyClosing), sentimentBoost: c.sentimentBoost, urgentBoost: c.urgentBoost, fallback: c.fallback };
  return compiled;
}

export interface RequestTypeResult extends Prediction {
  label: RequestType | 'unknown';
  scores: Record<RequestType, number>;
  cues: string[];
}

export const REQUEST_TYPE_MODEL_FILE = path.join(LEXICON_DIR, 'models', 'request-type.json');
const shipped = shippedClassifier(REQUEST_TYPE_MODEL_FILE);
export function setRequestTypeModel(m: TextClassifier | null): void {
  shipped.set(m);
}

/** Rule scores only: cue weights, opening bonus, sentiment push. */
export function requestTypeScores(text: string, sentimentScore = 0, urgent = false): { scores: Record<RequestType, number>; cues: string[] } {
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
  for (const cue of c.cues) {
    cue.re.lastIndex = 0;
    let first = -1;
    let n = 0;
    for (const m of body.matchAll(cue.re)) {
      if (first < 0) first = m.index!;
      n++;
    }
    if (!n) continue;
    // repeated cues add a little; the opening characters (where people say what they want) add more
    let w = cue.weight * (1 + 0.25 * Math.min(n - 1, 2));
    if (first < c.openingChars) w += cue.weight > 1.5 ? c.openingBonus : c.openingBonus / 3;
    scores[cue.type] += w;
    cues.push(`${cue.type}:${cue.source}`);
  }
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

export function classifyRequestType(text: string, opts: { sentimentScore?: number; urgent?: boolean; model?: TextClassifier | null } = {}): RequestTypeResult {
  const empty = Object.fromEntries(REQUEST_TYPES.map((t) => [t, 0])) as Record<RequestType, number>;
  if (typeof text !== 'string' || !/[\p{L}\p{N}]/u.test(text)) return { label: 'unknown', confidence: 0, scores: empty, cues: [] };
  const { scores, cues } = requestTypeScores(text, opts.sentimentScore ?? 0, opts.urgent ?? false);
  const total = REQUEST_TYPES.reduce((a, t) => a + scores[t], 0);
  const probs = softmax(REQUEST_TYPES.map((t) => scores[t]), 1.2);
  const m = opts.model === undefined ? shipped.get() : opts.model;
  let combined = probs;
  if (m) {
    const p = m.probabilities(text);
    if (Object.values(p).some((v) => v > 0)) {
      // With no cue at all the model alone decides; otherwise both have an equal say.
      const a = total > 0 ? 0.5 : 1;
      combined = REQUEST_TYPES.map((t, i) => (1 - a) * probs[i] + a * (p[t] ?? 0));
    }
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
  return { label: REQUEST_TYPES[best], confidence: Math.round(combined[best] * 1000) / 1000, scores, cues };
}
