// Problem words (issue 10.1 review): a word that names a problem, a hazard or a department's field
// is never a live generic word, however evenly the categories use it (安全, 事故, 派出所 are said about
// many kinds of problem, yet each says which problem a message is about). From the shipped lexicons:
// the negative sentiment entries, the routing keywords and department names, the hazard and outage
// kinds and patterns (lexicons/urgency.json), the problem objects (lexicons/duplicate-topics.json).
// A word is one when it is such an entry, or begins or ends one of at most four characters other than a
// sentiment entry (安全 of 食品安全, 事故 of 交通事故) that is not a negation (不通 does not make 通 one).
import { z } from 'zod';
import { loadDepartments, loadRoutingTable } from '../cases/routing';
import { getSentimentLexicon } from '../nlp/sentiment';
import { shippedJson } from '../shipped/store';
import { opinionConfig } from './config';

const duplicateTopics = shippedJson('duplicate-topics.json', z.object({ topics: z.array(z.object({ name: z.string(), match: z.array(z.string()) })) }));
const urgencyKinds = shippedJson('urgency.json', z.object({ hazards: z.array(z.tuple([z.string(), z.string()])), outages: z.array(z.tuple([z.string(), z.string()])) }));

const NEGATED = /^[不没未无非别]/;

let cached: { terms: Set<string>; parts: Set<string>; patterns: RegExp[] } | null = null;

function lexicon(): NonNullable<typeof cached> {
  if (cached) return cached;
  const terms = new Set<string>();
  for (const r of loadRoutingTable().rules) for (const group of r.keywords ?? []) for (const k of group) terms.add(k);
  const u = urgencyKinds();
  const patterns: RegExp[] = [];
  for (const [re, kind] of [...u.hazards, ...u.outages]) {
    terms.add(kind);
    patterns.push(new RegExp(`^(?:${re})$`));
    // an alternative of a pattern, whole (交通事故 of 车祸|交通事故|…) or the hazard object it opens with (高压线 of 高压线[^，。]{0,6}(掉|断))
    for (const alt of re.split('|')) {
      const lead = /^\(?([\u4e00-\u9fff]{2,})(?:$|\)?\[)/.exec(alt);
      if (lead) terms.add(lead[1]);
    }
  }
  for (const t of duplicateTopics().topics) for (const m of [t.name, ...t.match]) terms.add(m);
  for (const w of opinionConfig().labelProblemWords) terms.add(w);
  const parts = new Set<string>();
  for (const t of terms) {
    if (t.length > 4 || NEGATED.test(t)) continue;
    for (let n = 2; n < t.length; n++) {
      parts.add(t.slice(0, n));
      parts.add(t.slice(t.length - n));
    }
  }
  // a sentiment entry counts as a whole only (一直没 says nothing of 一直)
  for (const [w, e] of getSentimentLexicon().entries) if (e.kind === 'word' && e.weight < 0) terms.add(w);
  // and a department's name (派出所), whole
  for (const d of loadDepartments()) for (const n of [d.name, d.shortName, ...d.aliases]) terms.add(n);
  cached = { terms, parts, patterns };
  return cached;
}

/** Whether the shipped lexicons say the word names a problem (see above). */
export function isProblemWord(word: string): boolean {
  const l = lexicon();
  return l.terms.has(word) || l.parts.has(word) || l.patterns.some((p) => p.test(word));
}
