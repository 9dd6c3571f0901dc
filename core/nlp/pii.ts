import { tagWords } from './segment';

// Personal data in message text: where it is, what kind, and a masked copy for public views.
// Clear text stays in the normalised message for authorised staff; dashboards, exports and
// public replies use `maskedText`. Numbers are only flagged when their checksum holds (ID
// cards: GB 11643; bank cards: Luhn), so order numbers and reference codes are left alone.

export type PiiKind = 'mobile' | 'landline' | 'id_card' | 'bank_card' | 'plate' | 'email' | 'name';

export interface PiiSpan {
  kind: PiiKind;
  start: number;
  end: number;
  /** clear text of the span (text.slice(start, end)) */
  value: string;
  /** what public views show instead */
  masked: string;
}

export interface PiiResult {
  spans: PiiSpan[];
  maskedText: string;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/** 18-digit resident ID number: region, valid birth date, GB 11643 (ISO 7064 MOD 11-2) check digit. */
export function isValidIdCard18(id: string): boolean {
  if (!/^[1-9]\d{16}[\dXx]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  if (y < 1900 || y > 2100 || !validDate(y, Number(id.slice(10, 12)), Number(id.slice(12, 14)))) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11] === id[17].toUpperCase();
}

/** 15-digit (pre-1999) ID number: no check digit, so region and a valid 19YY birth date. */
export function isValidIdCard15(id: string): boolean {
  if (!/^[1-9]\d{14}$/.test(id)) return false;
  return validDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)));
}

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// The commonest Chinese surnames (single and compound), enough to tell "我叫王小明" from "我叫不出名字".
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '夏侯', '长孙', '宇文', '司徒', '端木'];
const SURNAMES = new Set(
  ('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝').split(''),
);
// Characters that end a name: verbs and particles that follow a self-introduction.
const NAME_STOP = new Set('是在住的了，,。！？、；：（）() 今现家来电于从因想要也就和与及我'.split(''));

// words that follow a name in a record: they end it even after a one-character given name
const NAME_THEN_VERB = /^(?:反映|来电|来信|致电|投诉|举报|要求|希望|表示|称|说|电话|手机|联系|咨询|求助)/;

interface Rule {
  kind: PiiKind;
  re: RegExp;
  /** which capture group is the PII (0 = whole match) */
  group?: number;
  accept?: (value: string) => boolean;
  mask: (value: string) => string;
}

const digitsOf = (s: string): string => s.replace(/\D/g, '');

function maskDigits(value: string, keepHead: number, keepTail: number): string {
  // Keep separators where they were so the masked number still reads like the original.
  const total = value.replace(/[^\dXx]/g, '').length;
  let seen = 0;
  let out = '';
  for (const ch of value) {
    if (/\d/.test(ch) || (ch === 'X' || ch === 'x')) {
      out += seen < keepHead || seen >= total - keepTail ? ch : '*';
      seen++;
    } else out += ch;
  }
  return out;
}

function nameLength(text: string, from: number): number {
  // Surname (1 or 2 characters) followed by one or two given-name characters.
  const compound = COMPOUND_SURNAMES.find((c) => text.startsWith(c, from));
  const sur = compound ? 2 : SURNAMES.has(text[from]) ? 1 : 0;
  if (!sur) return 0;
  let n = sur;
  while (n < sur + 2 && from + n < text.length && /\p{Script=Han}/u.test(text[from + n]) && !NAME_STOP.has(text[from + n])) {
    // 王青反映 / 司马青称: a one-character given name before the verb that goes on
    if (n > sur && NAME_THEN_VERB.test(text.slice(from + n, from + n + 2))) break;
    n++;
  }
  return n > sur ? n : 0;
}

const maskName = (v: string): string => {
  const sur = COMPOUND_SURNAMES.find((c) => v.startsWith(c)) ?? v[0];
  return sur + '**';
};

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';

const RULES: Rule[] = [
  {
    kind: 'email',
    re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    mask: (v) => {
      const at = v.indexOf('@');
      return v[0] + '***' + v.slice(at);
    },
  },
  {
    kind: 'id_card',
    re: /(?<![\dA-Za-z])(?:\d{17}[\dXx]|\d{15})(?![\dA-Za-z])/g,
    accept: (v) => (v.length === 18 ? isValidIdCard18(v) : isValidIdCard15(v)),
    mask: (v) => maskDigits(v, 6, 4),
  },
  {
    // after 身份证号 / 证件号码 a number of ID length is one even with a wrong check digit (a typo
    // leaves the other 17 digits someone's)
    kind: 'id_card',
    re: /(?:身份证|证件)(?:号码|号)?(?:是|为|：|:)?\s*(\d{17}[\dXx]|\d{15})(?![\dA-Za-z])/g,
    group: 1,
    mask: (v) => maskDigits(v, 6, 4),
  },
  {
    kind: 'bank_card',
    re: /(?<![\d])\d{4}(?:[ -]?\d){11,15}(?!\d)/g,
    accept: (v) => {
      const d = digitsOf(v);
      return d.length >= 16 && d.length <= 19 && luhnValid(d);
    },
    mask: (v) => maskDigits(v, 4, 4),
  },
  {
    kind: 'mobile',
    re: /(?<![\d+])(?:(?:\+|00)86[ -]?)?1[3-9]\d(?:[ -]?\d){8}(?!\d)/g,
    mask: (v) => {
      const local = v.replace(/^(?:\+|00)86[ -]?/, '');
      return v.slice(0, v.length - local.length) + maskDigits(local, 3, 4);
    },
  },
  {
    kind: 'landline',
    re: /(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3})[ -]?\d{7,8}(?:-\d{1,5})?(?!\d)/g,
    mask: (v) => {
      const m = /^(\(?0\d{2,3}\)?[ -]?)(.*)$/.exec(v)!;
      return m[1] + maskDigits(m[2], 0, 3);
    },
  },
  {
    // A bare 7–8 digit number is only a phone when the text says so.
    kind: 'landline',
    re: /(?:电话|座机|联系方式|号码)(?:是|为|：|:)?\s*([2-9]\d{6,7})(?!\d)/g,
    group: 1,
    mask: (v) => maskDigits(v, 0, 3),
  },
  {
    // 皖B·12345, 皖B12345, new-energy 皖BD12345 / 皖B12345D, with or without a separator.
    kind: 'plate',
    re: new RegExp(
      `[${PROVINCES}][A-HJ-NP-Z][·•.\\- ]?(?:[DF][A-HJ-NP-Z0-9]\\d{4}|\\d{5}[DF]|[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警])(?![A-Za-z0-9])`,
      'g',
    ),
    accept: (v) => (v.match(/\d/g)?.length ?? 0) >= 2,
    mask: (v) => v.slice(0, v.length - 5) + '***' + v.slice(-2),
  },
  {
    // 我姓王 / 本人姓张 / 免贵姓李: the surname alone, shown as 王**.
    kind: 'name',
    re: /(?:我|本人|免贵|鄙人)姓([\u4e00-\u9fff]{1,2})/g,
    group: 1,
    accept: (v) => COMPOUND_SURNAMES.includes(v) || SURNAMES.has(v[0]),
    mask: maskName,
  },
];

// 我叫王小明 / 我的名字是… / 本人王小明，/ 我是王小明，: the full name when it starts with a known surname.
const NAME_INTRO = /(?:我叫|我的名字是|我的名字叫|名叫|本人(?:名叫|叫)?|我是|姓名[:：]?)\s?(?=[\u4e00-\u9fff])/g;
// what ends a self-introduction by name (本人王小明， / 我是刘桂兰，电话…), not prose going on (我是王家村的村民)
const AFTER_INTRO_NAME = /^(?:[，,。\s；;、（(！!]|是|身份|电话|手机|联系|住)/;
// who is speaking, in a record's own words: 联系人周美玲 / 来电人：钱文斌 / 联系人禤国强. What follows
// the cue is no name when jieba reads a word going on the sentence: "投诉人反映…", "当事人要求…".
const NAME_CUE = /(?:联系人|来电人|投诉人|反映人|举报人|咨询人|当事人|求助人|姓名)([:：\s]*)(?=[\u4e00-\u9fff])/g;
const NAME_LINK = new Set('及与和受被同跟'.split(''));
const LIST_NAME_STOP = new Set('之存等称都均共'.split(''));
const NAME_END = /^(?:[、，,。；;（(]|等|之[邀托约]|先生|女士)/;
// 钱文斌来电：… / 张先生反映… at the start of a sentence: two or three characters, a surname first
const NAME_BEFORE = /(?<=^|[，。；：！？,.;:!?\s])[\u4e00-\u9fff]{2,3}(?=来电|来信|致电|反映|投诉)/g;
// words that open with a surname character but name nobody where a name could stand
// (向社区反映, 全体业主, 高层住户, 时常投诉…); checked on the first two characters
const NOT_A_NAME = new Set([
  '向社', '向街', '向有', '向相', '向市', '向区', '向物', '向我', '向你', '向他', '向本', '向上', '向政', '向城', '向媒',
  '于今', '于昨', '于近', '于本', '时常', '时间', '明天', '明确', '明显', '全体', '全家', '全部', '全小', '全村', '常年',
  '成功', '安排', '安全', '应该', '应当', '解决', '连续', '单位', '车辆', '路面', '路灯', '高层', '高度', '万一', '方便',
  '文明', '江边', '商户', '商家', '师生', '和我', '和他', '和家', '管理', '农户', '农民', '白天', '黄昏', '关于', '华中',
  '周边', '周围', '周末', '周一', '周二', '周三', '周四', '周五', '周六', '周日', '孙子', '孟冬', '林业', '金额', '石头',
]);

// jieba's tags for a name (nr person, nrfg / nrt full or transliterated name) and for the words that
// go on a sentence rather than name someone: verbs, prepositions, conjunctions, adverbs, pronouns,
// particles, numbers, measure words, places in time and space, interjections, status morphemes (仍, 每)
const NAME_TAG = /^nr/;
const SENTENCE_TAG = /^(?:v|p|c|d|r|u|m|q|f|t|y|e|o|zg)/;
const HAN = /\p{Script=Han}/u;
const PEOPLE_OF_A_PLACE = /^(?:业主|居民|住户|村民|商户|租户|群众|全体|小区|社区)/;

/** a copula or naming verb standing alone after a cue: 联系人是… / 当事人为… / 来电人叫… (not 是否, 为了) */
function copulaAfterCue(text: string, at: number): boolean {
  if (!'是为叫'.includes(text[at] ?? '') || !HAN.test(text[at + 1] ?? '')) return false;
  return tagWords(text.slice(at, at + 4))[0]?.word === text[at];
}

/**
 * The name that stands after a cue and a separator (联系人：禤国强 / 投诉人 冼丽娟称…), whatever its
 * surname: two or three Han characters, unless jieba reads the first of them as a word that goes on
 * the sentence or names no one (反映, 要求, 称, 电话, 手机号, 小区业主, 本村…): a known word of two
 * characters or more that is not tagged as a name, or one character tagged as a verb or function
 * word. The name ends at three characters, or at two when a known word or a stop character follows.
 */
function nameAfterSeparator(text: string, from: number): number {
  let runEnd = from;
  while (runEnd < text.length && runEnd - from < 8 && HAN.test(text[runEnd])) runEnd++;
  if (runEnd - from < 2) return 0;
  const tokens = tagWords(text.slice(from, runEnd));
  const first = tokens[0];
  if (!first || NAME_STOP.has(first.word[0])) return 0;
  if (!NAME_TAG.test(first.tag) && first.tag !== 'x' && (first.word.length >= 2 || SENTENCE_TAG.test(first.tag))) return 0;
  // a word jieba does not know (不愿…) that opens with a function character is the sentence going on
  if (first.tag === 'x' && first.word.length >= 2 && SENTENCE_TAG.test(tagWords(first.word[0])[0]?.tag ?? '')) return 0;
  let n = 0;
  for (const t of tokens) {
    if (n >= 2) {
      const known = t.tag !== 'x' && !NAME_TAG.test(t.tag) && (t.word.length >= 2 || SENTENCE_TAG.test(t.tag));
      if (known || NAME_STOP.has(t.word[0])) break;
    }
    n += t.word.length;
    if (n >= 3) break;
  }
  return n >= 2 ? Math.min(n, 3) : 0;
}

/** jieba ends a word where the cue ends (联系人|禤国强), not inside one (联系|人民群众, 咨询|人社局) */
function cueEndsWord(text: string, cueStart: number, at: number): boolean {
  let n = cueStart;
  for (const t of tagWords(text.slice(cueStart, at + 4))) {
    n += t.word.length;
    if (n >= at) return n === at;
  }
  return false;
}

/** what starts here is a word jieba does not know or reads as a name (禤, 冼丽娟), not a word it knows (经, 平台) */
function startsUnknownWord(text: string, from: number): boolean {
  const first = tagWords(text.slice(from, from + 4))[0];
  return !!first && (first.tag === 'x' || NAME_TAG.test(first.tag));
}

/** the text opens with a word of two characters or more jieba knows and does not read as a name (安徽, 农村, 金陵) */
function knownWordStarts(value: string): boolean {
  const first = tagWords(value)[0];
  return !!first && first.word.length >= 2 && first.tag !== 'x' && !NAME_TAG.test(first.tag);
}

function overlaps(spans: PiiSpan[], s: number, e: number): boolean {
  return spans.some((p) => s < p.end && e > p.start);
}

export function detectPii(text: string): PiiResult {
  const spans: PiiSpan[] = [];
  if (!text) return { spans, maskedText: '' };
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (const m of text.matchAll(rule.re)) {
      const g = rule.group ?? 0;
      const value = m[g];
      if (!value) continue;
      // Captured groups sit at the end of their match.
      const start = m.index! + (g ? m[0].lastIndexOf(value) : 0);
      const end = start + value.length;
      if (rule.accept && !rule.accept(value)) continue;
      if (overlaps(spans, start, end)) continue;
      spans.push({ kind: rule.kind, start, end, value, masked: rule.mask(value) });
    }
  }
  for (const m of text.matchAll(NAME_INTRO)) {
    const start = m.index! + m[0].length;
    // 我的名字是 / 本人名叫 / 姓名： name the writer, whatever the surname; 我叫 (我叫人来修), a bare 本人
    // and 名叫 (a shop, an estate: 小区名叫…) may not, so a name there starts with a known surname
    const len = nameLength(text, start) || (/^(?:我叫|名叫|本人|我是)\s?$/.test(m[0]) ? 0 : nameAfterSeparator(text, start));
    if (!len) continue;
    // "本人王小明" / "我是刘桂兰" must be followed by a break, or it is more likely prose (本人王某某是…, 我是王家村的…)
    const rest = text.slice(start + len);
    if (/^(?:本人|我是)\s?$/.test(m[0]) && rest !== '' && !AFTER_INTRO_NAME.test(rest)) continue;
    // 我是安徽人 / 我是农村… / 我是金陵镇…: after 我是 a word jieba knows (a place, a noun) or a place is no name
    const named = text.slice(start, start + len);
    if (m[0].startsWith('我是') && (NOT_A_NAME.has(named.slice(0, 2)) || /[人镇村乡县区市省]$/.test(named) || (!COMPOUND_SURNAMES.some((c) => named.startsWith(c)) && knownWordStarts(named)))) continue;
    if (overlaps(spans, start, start + len)) continue;
    const value = text.slice(start, start + len);
    spans.push({ kind: 'name', start, end: start + len, value, masked: maskName(value) });
  }
  for (const m of text.matchAll(NAME_CUE)) {
    let start = m.index! + m[0].length;
    // 被举报人及刘某某、… / 举报人受王某某之托: a name after a linking word, only when a break ends it
    if (NAME_LINK.has(text[start])) {
      const len = nameLength(text, start + 1);
      if (len >= 2 && NAME_END.test(text.slice(start + 1 + len, start + 3 + len))) start++;
    }
    // after a separator (联系人：… / 联系人是…) the name is masked whatever its surname; straight after
    // the cue (投诉人反映…) only a name that starts with a surname is one
    const copula = copulaAfterCue(text, start);
    if (copula) start++;
    let len = nameLength(text, start);
    if (len && NOT_A_NAME.has(text.slice(start, start + 2))) len = 0;
    // a name whose surname is not in the list (禤, 冼, 阿依古丽…) is still one, straight after the cue
    // too, unless jieba reads a word that goes on the sentence there (投诉人反映 / 当事人要求)
    if (!len && (copula || m[1] || (cueEndsWord(text, m.index!, start) && startsUnknownWord(text, start)))) len = nameAfterSeparator(text, start);
    // 投诉人：嘉悦城业主代表 / 柳溪村村民: a place and the people living there, no one's name
    if (!len || PEOPLE_OF_A_PLACE.test(text.slice(start + len, start + len + 2)) || overlaps(spans, start, start + len)) continue;
    let end = start + len;
    spans.push({ kind: 'name', start, end, value: text.slice(start, end), masked: maskName(text.slice(start, end)) });
    // 刘某某、王某之邀: the names listed after it, each cut before a word that goes on the sentence
    while (text[end] === '、') {
      let n = nameLength(text, end + 1);
      if (n === 3 && LIST_NAME_STOP.has(text[end + 3])) n = 2;
      if (n < 2 || NOT_A_NAME.has(text.slice(end + 1, end + 3)) || overlaps(spans, end + 1, end + 1 + n)) break;
      const value = text.slice(end + 1, end + 1 + n);
      spans.push({ kind: 'name', start: end + 1, end: end + 1 + n, value, masked: maskName(value) });
      end += 1 + n;
    }
  }
  for (const m of text.matchAll(NAME_BEFORE)) {
    const value = m[0];
    const start = m.index!;
    const sur = COMPOUND_SURNAMES.some((c) => value.startsWith(c)) || SURNAMES.has(value[0]);
    // a surname not in the list (禤国强来电): the whole run is a name jieba does not read as words
    if (!sur && (!startsUnknownWord(text, start) || nameAfterSeparator(text, start) !== value.length)) continue;
    // a surname character opening the sentence going on (曾多次投诉, 时常反映): jieba reads a word there
    if (sur && !/(先生|女士|某某?)$/.test(value) && nameAfterSeparator(text, start) === 0) continue;
    if (NOT_A_NAME.has(value.slice(0, 2)) || /[们民户众家友长生人]$/.test(value) && !/(先生|女士)$/.test(value)) continue;
    if (overlaps(spans, start, start + value.length)) continue;
    spans.push({ kind: 'name', start, end: start + value.length, value, masked: maskName(value) });
  }
  spans.sort((a, b) => a.start - b.start);
  let maskedText = '';
  let at = 0;
  for (const s of spans) {
    maskedText += text.slice(at, s.start) + s.masked;
    at = s.end;
  }
  maskedText += text.slice(at);
  return { spans, maskedText };
}

/** Convenience for public views. */
export function maskPii(text: string): string {
  return detectPii(text).maskedText;
}
