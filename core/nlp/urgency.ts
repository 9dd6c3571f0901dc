// 紧急 or not: present danger to life, health or safety, or a basic utility out now. A hazard
// word alone is not enough — "上周停过水", "明天计划停电", "万一着火", "没有被困" are normal —
// so each mention is read with its clause for past, planned, hypothetical, negated, resolved
// and long-standing cues (patterns in lexicons/urgency.json).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Urgency } from './types';
import { LEXICON_DIR } from './segment';
import { shippedClassifier, type TextClassifier } from './text-classifier';

// A classifier trained on our own labelled messages (lexicons/models/urgency.json) catches dangers
// the patterns have no words for; it only adds: when the patterns saw a hazard word and set it
// aside (past, planned, hypothetical, negated, resolved…), the patterns' reading stands.
export const URGENCY_MODEL_FILE = path.join(LEXICON_DIR, 'models', 'urgency.json');
const shipped = shippedClassifier(URGENCY_MODEL_FILE);
export function setUrgencyModel(m: TextClassifier | null): void {
  shipped.set(m);
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

let compiled: Compiled | null = null;
function config(): Compiled {
  if (compiled) return compiled;
  const c = configSchema.parse(JSON.parse(readFileSync(path.join(LEXICON_DIR, 'urgency.json'), 'utf8')));
  compiled = {
    hazards: c.hazards.map(([re, why]) => [new RegExp(re, 'g'), why]),
    outages: c.outages.map(([re, why]) => [new RegExp(re, 'g'), why]),
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
  const clauses = text.match(CLAUSE) ?? [text];
  const mentions: Mention[] = [];
  clauses.forEach((cl, i) => {
    for (const [list, kind] of [[c.hazards, 'hazard'], [c.outages, 'outage']] as const) {
      for (const [re, why] of list) {
        re.lastIndex = 0;
        const m = re.exec(cl);
        if (m && !mentions.some((x) => x.clause === i && x.why === why)) mentions.push({ kind, why, clause: i, start: m.index });
      }
    }
  });
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

/** The trained model's reading when it calls a message urgent that no pattern matched. */
function modelReading(text: string): UrgencyResult | null {
  const m = shipped.get();
  if (!m) return null;
  const p = m.probabilities(text).urgent ?? 0;
  if (p < 0.5) return null;
  return { label: 'urgent', confidence: Math.min(0.9, p), reasons: ['模型判断'] };
}
