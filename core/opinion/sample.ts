// A message's text as the public may see it (a topic's representative message): PII masked by
// core/nlp/pii.ts first, then names after 联系人/来电人…, the sender's own name and address, house numbers.
import { maskPii } from '../nlp/pii';

const SAMPLE_CHARS = 60;
// who is speaking: 联系人周美玲 / 来电人：钱文斌 — the 1–3 characters after it are the name
const NAME_AFTER = /(联系人|来电人|投诉人|反映人|举报人|咨询人|当事人|姓名)([:：\s]*)([\u4e00-\u9fff])[\u4e00-\u9fff]{0,2}/g;
// 钱文斌来电：… at the start of a sentence
const NAME_BEFORE = /(^|[，。；：！？,.;:!?\s])([\u4e00-\u9fff]{2,3})(?=来电|来信|致电|反映|投诉)/g;
const NOT_A_NAME = new Set(['市民', '居民', '群众', '业主', '网友', '住户', '村民', '家长', '老人', '商户', '学生', '我们', '有人', '本人', '今天', '昨天', '多次', '多人', '再次']);
// house numbers: 中山南路100号 keeps the road (where, in public) and loses the door (whose)
const HOUSE_NUMBER = /[0-9０-９一二三四五六七八九十百零〇]+(?:号楼|号院|号|栋|幢|单元|室|户|层)/g;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A message's text as the public may see it: PII masked first, then names and addresses, then cut. */
export function publicSample(text: string, known: { contactName?: string | null; address?: string | null } = {}): string {
  return [...maskPublicText(text, known)].slice(0, SAMPLE_CHARS).join('');
}

/** The text with PII, names (the sender's and those after 联系人/来电人…) and house numbers masked, uncut. */
export function maskPublicText(text: string, known: { contactName?: string | null; address?: string | null } = {}): string {
  let t = maskPii(text);
  const name = known.contactName?.trim();
  if (name && name.length >= 2) t = t.replace(new RegExp(escapeRe(name), 'g'), `${name[0]}**`);
  const address = known.address?.trim();
  if (address && address.length >= 4) t = t.replace(new RegExp(escapeRe(address), 'g'), '[地址]');
  t = t
    .replace(NAME_AFTER, (_m, intro: string, sep: string, surname: string) => `${intro}${sep}${surname}**`)
    .replace(NAME_BEFORE, (m, lead: string, who: string) => (NOT_A_NAME.has(who) ? m : `${lead}${who[0]}**`))
    .replace(HOUSE_NUMBER, '*号');
  return t;
}
