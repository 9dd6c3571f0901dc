// A message's text as the public may see it (a topic's representative message): PII masked by
// core/nlp/pii.ts first (numbers, and names after 我叫 / 联系人… or before 来电 / 反映…), then the
// sender's own name and address, house numbers.
import { maskPii } from '../nlp/pii';

const SAMPLE_CHARS = 60;
// house numbers: 中山南路100号 keeps the road (where, in public) and loses the door (whose)
const HOUSE_NUMBER = /[0-9０-９一二三四五六七八九十百零〇]+(?:号楼|号院|号|栋|幢|单元|室|户|层)/g;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A message's text as the public may see it: PII masked first, then names and addresses, then cut. */
export function publicSample(text: string, known: { contactName?: string | null; address?: string | null } = {}): string {
  return [...maskPublicText(text, known)].slice(0, SAMPLE_CHARS).join('');
}

/** The text with PII, names (the sender's, and those the PII reader finds) and house numbers masked, uncut. */
export function maskPublicText(text: string, known: { contactName?: string | null; address?: string | null } = {}): string {
  let t = maskPii(text);
  const name = known.contactName?.trim();
  if (name && name.length >= 2) t = t.replace(new RegExp(escapeRe(name), 'g'), `${name[0]}**`);
  const address = known.address?.trim();
  if (address && address.length >= 4) t = t.replace(new RegExp(escapeRe(address), 'g'), '[地址]');
  return t.replace(HOUSE_NUMBER, '*号');
}
