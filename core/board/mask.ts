// Text shown to the public (the board, Open311): the PII reader's masks, plus the resident's own
// name and phone wherever they appear, even without the cue words the reader needs ("我叫…").
import { maskPii } from '../nlp/pii';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The text with every detected personal datum and every known one (name, phone, email) masked;
 * `keep` are public numbers (the department's own phone in its reply) left as they are.
 */
export function maskForPublic(text: string | null, known: (string | null | undefined)[] = [], keep: (string | null | undefined)[] = []): string | null {
  if (text == null) return null;
  const kept = keep.map((k) => k?.trim()).filter((k): k is string => !!k && k.length >= 5 && !known.includes(k));
  // the kept numbers sit out the masking as private-use placeholders no PII pattern matches
  let out = kept.reduce((t, k, i) => t.replace(new RegExp(escape(k), 'g'), `\uE000${i}\uE001`), text);
  out = maskKnown(out, known);
  return maskPii(out).replace(/\uE000(\d+)\uE001/g, (_, i: string) => kept[Number(i)]);
}

/**
 * Only the known personal data masked (a resident's name, phone, handle), wherever they appear: a
 * name keeps its surname, a phone is masked also when written with spaces or dashes.
 */
export function maskKnown(text: string, known: (string | null | undefined)[]): string {
  let out = text;
  for (const k of known) {
    const v = k?.trim();
    if (!v || v.length < 2) continue;
    const masked = /\d/.test(v) ? '*'.repeat(Math.min(v.length, 11)) : `${v[0]}**`;
    out = out.replace(new RegExp(escape(v), 'g'), masked);
    const digits = v.replace(/\D/g, '');
    if (digits.length >= 7) out = out.replace(new RegExp(digits.split('').join('[\\s-]?'), 'g'), '*'.repeat(11));
  }
  return out;
}
