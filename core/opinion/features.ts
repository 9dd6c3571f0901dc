// What the topic code reads from one message: its district, the named places in it (小区, 路, 村,
// 学校…: the "where" that tells two water outages apart) and its content terms (jieba words and
// adjacent-word bigrams, the subject counted twice), with generic words and bare place words left out.
import { topicsOf } from '../cases/duplicates';
import { findPlaceMatches } from '../nlp/place';
import { isDictionaryWord, isStopWord, segment, tagWords } from '../nlp/segment';
import type { MessageAnalysis } from '../nlp/types';
import { isGenericWord, opinionConfig } from './config';
import { contentWords } from './generic-words';
import { maskPublicText } from './sample';

/** A problem object (停水, 路灯, 油烟…, lexicons/duplicate-topics.json) as a term: the same problem in other words. */
export const CONCEPT_PREFIX = '#';
const CONCEPT_WEIGHT = 3;

export interface MessageFeatures {
  district: string | null;
  /** named places, most specific first */
  anchors: string[];
  /** term → weight (1 + log count; subject terms doubled); bigrams joined without a space */
  terms: Record<string, number>;
  /** the distinct content words (no bigrams), counted per category and district for the live generic words */
  words?: string[];
}

// a named place ends in one of these (赭山路, 金鼎村, 赭山花园小区, 经济学院…)
const PLACE_SUFFIX = /(小区|花园|家园|新城|新村|广场|公寓|大厦|华庭|华府|公馆|山庄|雅居|名邸|府邸|首府|半岛|苑|园|城|村|湾|社区|学院|大学|中学|小学|学校|幼儿园|医院|市场|公园|路|大道|街|巷|镇|乡|街道|工业园|产业园|园区|楼盘|车站|地铁站|高速|大桥|桥)$/;
// a one-character place word standing alone after a name (香樟/ns 湾/zg, 江南/ns 府/nr): estates are named so
const ROAD = /(路|大道|街|巷)$/;
// words ending in a place suffix that are no place (a route, roads in general, a way to go)
const NOT_A_PLACE = /(线路|道路|马路|出路|思路|电路|走路|套路|门路|网路|公路|过路|小路|支路|岔路|水路|陆路)$|^(一路|大路)$/;
// words that name a kind of place, a place only with a name before them (石长铁路)
const COMMON_PLACE = /^(铁路|高速|大桥|桥|街|巷)$/;
// a function character jieba glues onto the next name when it does not know the name (在丽发, 这凉塘路)
const GLUED_HEAD = /^(在|是|这是|那是|这|那|为|距|有|从|到|给|把|被)/;
const SINGLE_SUFFIX = /^[苑园城村湾府郡庭邸]$/;
const BARE_PLACE = /^(小区|花园|家园|新城|新村|广场|公寓|大厦|社区|学院|大学|中学|小学|学校|幼儿园|医院|市场|公园|园区|楼盘|车站|地铁站)$/;
// anonymised districts (a capital letter and a number before 区/县, as public data sets write them) and real ones ("镜湖区", "南陵县")
const DISTRICT_CODE = /(?:^|[^A-Za-z0-9])([A-Z][0-9]{1,2}[区县])/;
const NOT_A_TERM = /^[\p{N}A-Za-z._\-]+$|^[\p{N}]/u;
// district-level words say nothing within a district (the district is a hard constraint already)
const DISTRICT_WORD = /^[A-Z]?[0-9]{0,2}(?:市|区|县|省)$|省$|^[A-Z][0-9]{1,2}[区县]?$|^[A-Z]市|街道$|(?<!小|社|园|景|城|片|辖|校|市|郊|新|开发|试验|示范|风景|商业|保护|住宅|生活|居住|服务|工业)[区县]$/;

/** A word that names a place or a kind of place (赭山路, 小区, 镜湖区): never a generic word. */
export function isPlaceWord(w: string): boolean {
  return PLACE_SUFFIX.test(w) || BARE_PLACE.test(w) || DISTRICT_WORD.test(w);
}

function isContent(w: string): boolean {
  return [...w].length >= 2 && !NOT_A_TERM.test(w) && !isGenericWord(w) && !DISTRICT_WORD.test(w);
}

/** The district a message is about: the place reader's answer, else an anonymised code in the text. */
export function districtOf(text: string, analysis: Pick<MessageAnalysis, 'place'> | null): string | null {
  // an anonymised code names the district outright; the gazetteer reader would guess a real one from look-alike names
  return DISTRICT_CODE.exec(text)?.[1] ?? analysis?.place.district ?? null;
}

// jieba's tags of words that may be part of a name (place, person, other proper noun, unknown, short noun)
const NAME_TAG = /^(ns|nr|nrt|nz|nt|x|j|n|ng|zg|s)$/;
const MAX_NAME_CHARS = 10;

/**
 * The whole place name ending at token i (a place word: 小区, 苑, 路, 新城…), or null: the words before
 * it that jieba tags as parts of a name (沁/ns 景园/n 滨江/ns 苑 → 沁景园滨江苑), never a verb, a
 * function word, punctuation, a district code or a generic word, so a name is never clipped (景园
 * for 沁景园) and never runs into the sentence (修建/v stops it).
 */
function nameEndingAt(toks: { word: string; tag: string }[], i: number): string | null {
  const t = toks[i].word;
  // a word ending in a place suffix that names no place (线路, 道路, 马路: a bus route, a road in general)
  if (NOT_A_PLACE.test(t)) return null;
  // a generic place word (东路, 南路, 铁路) is a name only with the words before it, as 小区 is
  const bare = BARE_PLACE.test(t) || SINGLE_SUFFIX.test(t) || COMMON_PLACE.test(t) || (PLACE_SUFFIX.test(t) && isGenericWord(t));
  if (!bare && !(PLACE_SUFFIX.test(t) && isContent(t))) return null;
  // 这凉塘路: an unknown run with a function character glued on (the place word itself)
  let name = toks[i].tag === 'x' && GLUED_HEAD.test(t) && [...t.replace(GLUED_HEAD, '')].length >= 3 ? t.replace(GLUED_HEAD, '') : t;
  let words = 0;
  for (let j = i - 1; j >= 0 && words < 4; j--) {
    const { word, tag } = toks[j];
    // an adjective or verbal noun opens a name only at a boundary (辉煌/a 国际城, 劳动/vn 东路 after
    // "A5区 " or a comma), never inside a sentence (修建/v 学校 is not a name)
    if ((tag === 'a' || tag === 'vn') && [...word].length === 2 && atBoundary(toks, j - 1) && [...word].length + [...name].length <= MAX_NAME_CHARS) {
      name = word + name;
      words++;
      break;
    }
    if (!word.trim() || /^[\p{P}\p{S}\s]+$/u.test(word) || !NAME_TAG.test(tag) || BARE_PLACE.test(word) || isGenericWord(word) || isStopWord(word)) break;
    // an unknown run jieba glued onto a function character (在丽发, 这是, 有长): the name starts after it
    if (tag === 'x' && GLUED_HEAD.test(word) && [...word].length >= 2) {
      const rest = word.replace(GLUED_HEAD, '');
      if (rest && [...rest].length + [...name].length <= MAX_NAME_CHARS && !/^(是|这是|那是)$/.test(word)) name = rest + name;
      words++;
      break;
    }
    if (/[A-Za-z0-9]/.test(word) || DISTRICT_WORD.test(word)) break;
    // a whole road before an estate is another place (南瑞路 香樟湾小区), never part of its name
    if (ROAD.test(word) && [...word].length >= 3) break;
    // a common noun of three characters or more (开发商, 停车场) is not part of a name
    if (tag === 'n' && [...word].length > 2 && !isDictionaryWord(word)) break;
    if ([...word].length + [...name].length > MAX_NAME_CHARS) break;
    name = word + name;
    words++;
  }
  if (bare && !words) return null;
  // a bare word needs a name of two characters or more before it (距/铁路 is no railway's name)
  if (bare && [...name].length - [...t].length < 2) return null;
  const a = name.replace(/^[区县市镇乡省]+/, '');
  return [...a].length >= 3 && !DISTRICT_WORD.test(a) && !/^[A-Z][0-9]/.test(a) ? a : null;
}

function atBoundary(toks: { word: string; tag: string }[], j: number): boolean {
  if (j < 0) return true;
  const w = toks[j].word;
  return !w.trim() || /^[\p{P}\p{S}\s]+$/u.test(w) || /^[A-Z]?[0-9]{0,2}[区县市省]$|^[A-Z][0-9]{0,2}$/.test(w) || PLACE_SUFFIX.test(w);
}

/**
 * The gazetteer's landmarks named in the text (lexicons/places: stations, parks, hospitals, markets,
 * schools…), read by their exact names, so one named without a place suffix (雨耕山, 芜湖南站,
 * 奥体中心) is a place too; never a bare common word (搅拌站, 加油站 are no landmark's name).
 */
export function landmarksIn(text: string): string[] {
  const out: string[] = [];
  for (const m of findPlaceMatches(text)) if (m.level === 'landmark' && !out.includes(m.text)) out.push(m.text);
  return out;
}

function placesIn(text: string): string[] {
  const toks = tagWords(text);
  const out: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const a = nameEndingAt(toks, i);
    if (a && !out.includes(a)) out.push(a);
  }
  // a landmark the suffix reader missed (or clipped: a name it read is kept as read)
  for (const l of landmarksIn(text)) if (!out.some((a) => a.includes(l) || l.includes(a))) out.push(l);
  return out;
}

/** Marks a place named in the subject (stored with the member's anchors; the label prefers these). */
export const SUBJECT_PLACE = '^';

function anchorsOf(title: string, body: string, analysis: Pick<MessageAnalysis, 'place'> | null): string[] {
  const out: string[] = [];
  const add = (raw: string) => {
    const a = raw.replace(/^[区县市镇乡省]+/, '');
    if ([...a].length >= 3 && !out.includes(a) && !DISTRICT_WORD.test(a) && !/^[A-Z][0-9]/.test(a)) out.push(a);
    // 香樟湾小区 is 香樟湾 too: residents drop the 小区, and the two must be one place
    const short = a.replace(/小区$/, '');
    if (short !== a && [...short].length >= 3 && !out.includes(short) && !BARE_PLACE.test(short)) out.push(short);
  };
  const inTitle = placesIn(title);
  if (analysis?.place.community) add(analysis.place.community);
  for (const a of [...inTitle, ...placesIn(body)]) add(a);
  if (analysis?.place.street) add(analysis.place.street);
  // the subject's own places, marked, after the (at most 8) places of the whole message
  const subject: string[] = [];
  for (const a of inTitle) {
    const short = a.replace(/小区$/, '');
    for (const x of short !== a && [...short].length >= 3 ? [a, short] : [a]) if (!subject.includes(x)) subject.push(x);
  }
  return [...out.slice(0, 8), ...subject.slice(0, 4).map((a) => SUBJECT_PLACE + a)];
}

function termsOf(tokens: string[], weight: number, into: Map<string, number>, district: string | null): void {
  let prev: string | null = null;
  for (const t of tokens) {
    if (!isContent(t) || (district && t.includes(district))) {
      prev = null;
      continue;
    }
    into.set(t, (into.get(t) ?? 0) + weight);
    if (prev) into.set(prev + t, (into.get(prev + t) ?? 0) + weight);
    prev = t;
  }
}

/**
 * Reads the message's masked text (PII, names, house numbers: core/opinion/sample.ts), so no term,
 * and so no label, can carry a resident's name or number.
 */
export function messageFeatures(m: { title: string | null; body: string; analysis: Pick<MessageAnalysis, 'place'> | null; contactName?: string | null }): MessageFeatures {
  const known = { contactName: m.contactName };
  // anonymised codes (a letter and a number before 市/区/县) glue onto the next word in jieba: set them apart first
  const apart = (x: string) => x.replace(/([A-Z][0-9]{0,2}[市区县])/g, ' $1 ');
  const title = apart(maskPublicText(m.title ?? '', known));
  const body = apart(maskPublicText(m.body.slice(0, 3000), known));
  const text = `${title} ${body}`;
  const titleTokens = segment(title);
  const bodyTokens = segment(body);
  const counts = new Map<string, number>();
  const district = districtOf(text, m.analysis);
  termsOf(titleTokens, 2, counts, district);
  termsOf(bodyTokens, 1, counts, district);
  const terms: Record<string, number> = {};
  for (const [t, n] of counts) terms[t] = Math.round((1 + Math.log(n)) * 1000) / 1000;
  const institutions = opinionConfig().institutionObjects;
  for (const c of topicsOf(text)) if (!institutions.includes(c)) terms[CONCEPT_PREFIX + c] = CONCEPT_WEIGHT;
  const words = contentWords([...titleTokens, ...bodyTokens].filter((t) => isContent(t) && !(district && t.includes(district))));
  return { district, anchors: anchorsOf(title, body, m.analysis), terms, words };
}
