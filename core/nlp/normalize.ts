// Text clean-up before any reading: one canonical form so that rules, PII offsets, keywords and
// fingerprints all see the same characters whatever channel or keyboard the message came from.

export interface NormalizedText {
  /** the cleaned text; PII spans and place addresses index into this string */
  text: string;
  /** URLs removed from the text, kept aside in order of appearance */
  urls: string[];
}

// Full-width forms that Chinese writing keeps as they are: they are the normal Chinese punctuation.
const KEEP_FULL_WIDTH = new Set('，！？：；（）'.split(''));

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Control characters, zero-width marks, bidi controls, BOM; newline and tab become spaces later.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
const URL = /(?:https?:\/\/|www\.)[^\s\u3000-\u303F\u4E00-\u9FFF\uFF00-\uFFEF"'<>“”‘’]+/gi;
// Pictographs with their modifiers: variation selectors, ZWJ, skin tones, regional flags, keycaps, tags.
const EMOJI = /\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}\uFE0E\uFE0F\u20E3]/gu;
const CJK = '\\u3400-\\u9FFF\\uF900-\\uFAFF';
// ASCII punctuation typed between Chinese characters becomes the Chinese form.
const ASCII_TO_CN: Record<string, string> = { ',': '，', '!': '！', '?': '？', ';': '；', ':': '：' };
const ASCII_PUNCT_NEAR_CJK = new RegExp(`(?<=[${CJK}])[,!?;:](?!\\d)|[,!?;:](?=[${CJK}])(?<![\\d][,:])`, 'g');
// Runs of one mark, or of mixed !/? marks, fold to one (！！！→！, ？？！→？).
const REPEATED_PUNCT = /([！？。，、；：~～!?.,;:\-—_=*#])\1+/g;
const MIXED_EXCLAIM = /[！？!?]{2,}/g;

/** Replaces lone UTF-16 surrogates (invalid text from broken decoders) with U+FFFD. */
export function toWellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD');
}

function toHalfWidth(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x3000) out += ' ';
    else if (c >= 0xff01 && c <= 0xff5e && !KEEP_FULL_WIDTH.has(ch)) out += String.fromCodePoint(c - 0xfee0);
    else out += ch;
  }
  return out;
}

export function normalizeText(input: unknown): NormalizedText {
  if (typeof input !== 'string' || input.length === 0) return { text: '', urls: [] };
  let s = toWellFormed(input);
  s = s.replace(INVISIBLE, (c) => (c === '\u00AD' || c >= '\u200B' ? '' : ' '));
  s = toHalfWidth(s);
  const urls: string[] = [];
  s = s.replace(URL, (u) => {
    const trimmed = u.replace(/[.,;:!?)\]}]+$/, '');
    urls.push(trimmed);
    return ' ' + u.slice(trimmed.length);
  });
  s = s.replace(EMOJI, ' ');
  s = s.replace(/[\u2018\u2019]/g, "'");
  s = s.replace(ASCII_PUNCT_NEAR_CJK, (c) => ASCII_TO_CN[c] ?? c);
  s = s.replace(/\.{3,}|。{2,}|…+/g, '…');
  s = s.replace(MIXED_EXCLAIM, (run) => run[0]);
  s = s.replace(REPEATED_PUNCT, '$1');
  s = s.replace(/\s+/g, ' ');
  // A space between two Chinese characters is keyboard noise, not a word boundary.
  s = s.replace(new RegExp(`(?<=[${CJK}，。！？：；、）（]) (?=[${CJK}，。！？：；、（）])`, 'g'), '');
  return { text: s.trim(), urls };
}

const LETTER = /\p{L}/u;
const HAN = /\p{Script=Han}/u;
let lastHan: { text: string; ratio: number } | null = null;

/** Share of letters that are Han characters; 0 for text with no letters at all. */
export function hanRatio(text: string): number {
  if (lastHan !== null && lastHan.text === text) return lastHan.ratio;
  let han = 0;
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // the common cases without a regular expression: ASCII, and the CJK Unified Ideographs block
    // (every code point of U+4E00–U+9FFF is an assigned Han letter)
    if (c < 0x80) {
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters++;
      continue;
    }
    if (c >= 0x4e00 && c <= 0x9fff) {
      letters++;
      han++;
      continue;
    }
    let ch = text[i];
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      ch = text.slice(i, i + 2);
      i++;
    }
    if (LETTER.test(ch)) {
      letters++;
      if (HAN.test(ch)) han++;
    }
  }
  const ratio = letters ? han / letters : 0;
  lastHan = { text, ratio };
  return ratio;
}
