// Where a message is about: district, street and community from the Wuhu gazetteer
// (lexicons/places/wuhu.json). Names, aliases, communities, roads and landmarks are found by
// longest match; roads and landmarks map to their street and district; a road shared by
// several streets or districts lowers the confidence instead of guessing silently. The address
// as the resident wrote it is kept verbatim. Beside the exact names (unless `fuzzy: false`): mistyped
// and pinyin names (fuzzy-place.ts), and bare names (状元坊 for 状元坊社区) where the places around
// them say they are places; none of them overrides a place written right.
import { loadGazetteer, type Gazetteer } from '../places/gazetteer';
import type { Place } from './types';
import { addWords } from './segment';
import { compareRank, fuzzyPlaceHits, pinyinPlaceHits, preparePinyin, type FuzzyFit, type FuzzyName } from './fuzzy-place';

type Level = 'district' | 'street' | 'community' | 'road' | 'landmark';

interface Target {
  level: Level;
  district: string;
  street: string | null;
  community: string | null;
}

interface PlaceIndex {
  names: Map<string, Target[]>;
  /** district, street and community names for fuzzy matching (one target each; shared names left out) */
  fuzzy: FuzzyName<Target>[];
  /** every district, street and community name and alias, once per place it names, for pinyin */
  pinyin: FuzzyName<Target>[];
  /** district, street and community names with 区/街道/社区/镇/乡 dropped (状元坊 for 状元坊社区), and
   * the short aliases: read only in context, where no exact name was read (see withBare) */
  bare: Map<string, Target[]>;
  maxLen: number;
  city: string;
}

export interface PlaceMatch {
  text: string;
  start: number;
  end: number;
  level: Level;
  targets: Target[];
  /** matched a mistyped name, a name in pinyin or a bare name in context (the gazetteer's name is `name`) */
  fuzzy?: { name: string; distance: number; similarity: number; kind: 'typo' | 'pinyin' | 'bare' };
}

export interface PlaceResult extends Place {
  matches: PlaceMatch[];
  /** every district the evidence allows, best first; more than one means the place is ambiguous */
  candidates: string[];
}

// Short aliases that are also ordinary words or parts of other names; read only next to a place word.
const RISKY_ALIAS = /^.{1,2}$/;

let index: PlaceIndex | null = null;

export function buildPlaceIndex(g: Gazetteer): PlaceIndex {
  const names = new Map<string, Target[]>();
  const add = (name: string, t: Target) => {
    if (!name) return;
    const list = names.get(name) ?? [];
    if (!list.some((x) => x.level === t.level && x.district === t.district && x.street === t.street && x.community === t.community)) list.push(t);
    names.set(name, list);
  };
  for (const d of g.districts) {
    for (const n of [d.name, ...d.aliases]) add(n, { level: 'district', district: d.name, street: null, community: null });
    for (const s of d.streets) {
      for (const n of [s.name, ...s.aliases]) add(n, { level: 'street', district: d.name, street: s.name, community: null });
      for (const c of s.communities) add(c, { level: 'community', district: d.name, street: s.name, community: c });
      for (const r of s.roads) add(r, { level: 'road', district: d.name, street: s.name, community: null });
    }
  }
  for (const l of g.landmarks) add(l.name, { level: 'landmark', district: l.district, street: l.street, community: null });
  let maxLen = 1;
  for (const k of names.keys()) maxLen = Math.max(maxLen, k.length);
  const fuzzy: FuzzyName<Target>[] = [];
  const pinyin: FuzzyName<Target>[] = [];
  for (const [name, targets] of names) {
    const areas = targets.filter((t) => t.level === 'district' || t.level === 'street' || t.level === 'community');
    if (targets.length === 1 && areas.length === 1) fuzzy.push({ name, target: targets[0] });
    for (const t of areas) pinyin.push({ name, target: t });
  }
  const bare = new Map<string, Target[]>();
  const put = (w: string, t: Target) => {
    const list = bare.get(w) ?? bare.set(w, []).get(w)!;
    if (!list.some((x) => x.level === t.level && x.street === t.street && x.community === t.community && x.district === t.district)) list.push(t);
  };
  const addBare = (name: string, t: Target) => {
    const core = name.replace(/(街道|社区|区|镇|乡)$/, '');
    // a core that is a name itself is read by the exact matcher where it can be (白马 for 白马街道);
    // where it is left over (白马街道白马下水道…) it may still be the community
    if (core !== name && core.length >= 2) put(core, t);
  };
  // a short alias the exact matcher leaves alone before an ordinary word (湾沚区花桥有人…) is a bare name too
  const addAlias = (a: string, t: Target) => {
    if (RISKY_ALIAS.test(a) && a.length >= 2) put(a, t);
  };
  for (const d of g.districts) {
    const dt: Target = { level: 'district', district: d.name, street: null, community: null };
    addBare(d.name, dt);
    for (const a of d.aliases) addAlias(a, dt);
    for (const s of d.streets) {
      const st: Target = { level: 'street', district: d.name, street: s.name, community: null };
      addBare(s.name, st);
      for (const a of s.aliases) addAlias(a, st);
      for (const c of s.communities) addBare(c, { level: 'community', district: d.name, street: s.name, community: c });
    }
  }
  return { names, fuzzy, pinyin, bare, maxLen, city: g.city };
}

function placeIndex(): PlaceIndex | null {
  if (index) return index;
  // a missing or broken gazetteer throws, naming the file and the field (the services check it at start-up)
  return setGazetteer(loadGazetteer());
}

/** For tests and other cities: use this gazetteer from now on. */
export function setGazetteer(g: Gazetteer): PlaceIndex {
  index = buildPlaceIndex(g);
  // Gazetteer names become words so segmentation (keywords, classifiers) keeps them whole.
  addWords([...index.names.keys()].filter((n) => n.length >= 3));
  preparePinyin(index.pinyin);
  return index;
}

const PLACE_WORD = /^(区|县|市|镇|乡|街道|社区|村|路|街|大道|小区|一带|附近|这边|那边|的|某|境内|辖区)/;
const LEVEL_RANK: Record<Level, number> = { district: 5, street: 4, community: 3, landmark: 2, road: 1 };

// Per list of names (the index's names, its bare names), the lengths (2 and up, longest first) of the
// names that start with each UTF-16 unit: the longest match tries only lengths some name has, not
// every length up to the longest name.
const lengthIndex = new WeakMap<Map<string, Target[]>, Map<number, number[]>>();
function lengthsByFirst(names: Map<string, Target[]>): Map<number, number[]> {
  let m = lengthIndex.get(names);
  if (m) return m;
  m = new Map();
  for (const k of names.keys()) {
    if (k.length < 2) continue;
    const c = k.charCodeAt(0);
    const list = m.get(c) ?? [];
    if (!list.includes(k.length)) list.push(k.length);
    m.set(c, list);
  }
  for (const list of m.values()) list.sort((a, b) => b - a);
  lengthIndex.set(names, m);
  return m;
}

export function findPlaceMatches(text: string, idx: PlaceIndex | null = placeIndex()): PlaceMatch[] {
  const out: PlaceMatch[] = [];
  if (!idx || !text) return out;
  const byFirst = lengthsByFirst(idx.names);
  let i = 0;
  while (i < text.length) {
    let hit: PlaceMatch | null = null;
    const lengths = byFirst.get(text.charCodeAt(i));
    if (lengths) {
      const room = Math.min(idx.maxLen, text.length - i);
      for (const len of lengths) {
        if (len > room) continue;
        const w = text.substr(i, len);
        const targets = idx.names.get(w);
        if (!targets) continue;
        const after = text.slice(i + len);
        // "镜湖" alone is an alias; as part of "镜湖公园" or "镜湖路" it is read by its own entry or not at all
        if (RISKY_ALIAS.test(w) && !PLACE_WORD.test(after) && !/^[，。！？、\s]|^$/.test(after) && targets.every((t) => t.level === 'street' || t.level === 'district')) continue;
        const level = targets.reduce<Level>((best, t) => (LEVEL_RANK[t.level] > LEVEL_RANK[best] ? t.level : best), targets[0].level);
        hit = { text: w, start: i, end: i + len, level, targets };
        break;
      }
    }
    if (hit) {
      out.push(hit);
      i = hit.end;
    } else i++;
  }
  return out;
}

/** Mistyped and pinyin district, street and community names beside the exact matches (see
 * fuzzy-place.ts), then bare names in context: only where no exact match covers the text, and only
 * inside a district named as written, if any. */
function withFuzzy(text: string, exact: PlaceMatch[], idx: PlaceIndex): PlaceMatch[] {
  const hits = [...fuzzyPlaceHits(text, idx.fuzzy, idx.names), ...pinyinPlaceHits(text, idx.pinyin)];
  const districts = new Set(exact.filter((m) => m.level === 'district').flatMap((m) => m.targets.map((t) => t.district)));
  const mentioned = new Set(exact.flatMap((m) => m.targets.map((t) => t.district)));
  const anchors = exact.filter((m) => m.level === 'district' || m.level === 'street' || m.level === 'community');
  // a mistyped name only fills in: it must agree with every district, street and community named as
  // written; 农村 for 新农村, 通湖区 for 镜湖区: a short core one character off only beside a place of
  // another level in its district, named as written
  const allowed = (f: FuzzyFit<Target>) =>
    (!districts.size || districts.has(f.target.district)) && anchors.every((a) => agrees(a, f.target)) && (!f.weak || anchors.some((a) => above(a, f.target)));
  const fuzzy: PlaceMatch[] = [];
  for (const h of hits) {
    // 戈江区 is one edit from 弋江区 and from 鸠江区, xinhua cun is 新华村 in several towns: the places
    // named decide (the names allowed beside them, then the districts mentioned), or nothing does
    const fits = [h, ...h.alternatives].filter((f) => allowed(f) && !exact.some((m) => m.start < f.end && f.start < m.end));
    let top = fits.filter((f) => compareRank(f.rank, fits[0].rank) === 0);
    if (top.length > 1) top = top.filter((f) => mentioned.has(f.target.district));
    if (top.length > 1) top = top.filter((f) => anchors.some((m) => m.level !== 'district' && above(m, f.target)));
    if (top.length !== 1) continue;
    const f = top[0];
    if (fuzzy.some((m) => m.start < f.end && f.start < m.end)) continue;
    fuzzy.push({ text: f.text, start: f.start, end: f.end, level: f.target.level, targets: [f.target], fuzzy: { name: f.name, distance: f.distance, similarity: Math.round(f.similarity * 1000) / 1000, kind: f.kind } });
  }
  return withBare(text, [...exact, ...fuzzy].sort((a, b) => a.start - b.start), anchors, idx);
}

/** Whether a place named as written allows the target: same district, and same street where both have one. */
function agrees(a: PlaceMatch, t: Target): boolean {
  return a.targets.some((x) => x.district === t.district && (!x.street || !t.street || x.street === t.street));
}

/** Whether a place named as written holds the target or lies in it: its district or street (for a
 * community), its district or one of its communities (for a street), a street or community in it (for
 * a district). */
function above(a: PlaceMatch, t: Target): boolean {
  return a.targets.some((x) => {
    if (x.district !== t.district || x.level === t.level) return false;
    if (t.level === 'community') return x.level === 'district' || (x.level === 'street' && x.street === t.street);
    if (t.level === 'street') return x.level === 'district' || (x.level === 'community' && x.street === t.street);
    return x.level === 'street' || x.level === 'community';
  });
}

/** Whether a place named lies right inside the target: a street of a district, a community of a street. */
function below(a: PlaceMatch, t: Target): boolean {
  return a.targets.some((x) => x.district === t.district && ((t.level === 'district' && x.level === 'street') || (t.level === 'street' && x.level === 'community' && x.street === t.street)));
}

// after a bare name, these say it is a place; 路/街/道/巷 make it a road's name instead
// (not 小区: 北城花园小区 is an estate's name, not 花园社区)
const BARE_CUE = /^(一带|附近|这边|那边|境内|辖区|片区|居委会)/;
const BARE_NOT = /^(路(?![面灯])|街|大道|道|巷|弄)/;

/**
 * Bare names (状元坊 for 状元坊社区, 石涧 for 石涧镇) are ordinary words as often as places (凤凰, 光明),
 * so one is read only right after a place that holds it (弋江区中南街道银湖, with at most a 的 or a
 * space between), right before a place inside it (清水龙山社区), or before a place cue (一带, 附近,
 * 居委会…) with a place that holds it named somewhere in the text; never before 路/街 (a road), and
 * only where it agrees with every place named.
 */
function withBare(text: string, matches: PlaceMatch[], anchors: PlaceMatch[], idx: PlaceIndex): PlaceMatch[] {
  if (!idx.bare.size || !anchors.length) return matches;
  const out = [...matches];
  const byFirst = lengthsByFirst(idx.bare);
  for (let i = 0; i < text.length; i++) {
    const lengths = byFirst.get(text.charCodeAt(i));
    if (!lengths || out.some((m) => m.start <= i && i < m.end)) continue;
    for (const len of lengths) {
      const w = text.substr(i, len);
      const targets = w.length === len ? idx.bare.get(w) : undefined;
      if (!targets) continue;
      const after = text.slice(i + len);
      if (BARE_NOT.test(after) || out.some((m) => m.start < i + len && i < m.end)) continue;
      const prev = out.find((m) => m.end <= i && /^[的\s]?$/.test(text.slice(m.end, i)));
      // 清水龙山社区: the place right after, if it lies in the bare name's place, holds it there too
      const next = out.find((m) => m.start >= i + len && /^\s?$/.test(text.slice(i + len, m.start)));
      const fits = targets.filter((t) => anchors.every((a) => agrees(a, t)) && ((prev && above(prev, t)) || (next && below(next, t)) || (BARE_CUE.test(after) && anchors.some((a) => above(a, t)))));
      // 湾沚区花桥: the town 花桥镇 before its community 花桥社区 (the place closest to the one written)
      const top = fits.filter((t) => LEVEL_RANK[t.level] === Math.max(...fits.map((x) => LEVEL_RANK[x.level])));
      if (top.length !== 1) continue;
      const t = top[0];
      const name = t.level === 'community' ? t.community! : t.level === 'street' ? t.street! : t.district;
      out.push({ text: w, start: i, end: i + len, level: t.level, targets: [t], fuzzy: { name, distance: name.length - len, similarity: 1, kind: 'bare' } });
      i += len - 1;
      break;
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

const ADDRESS_TAIL =
  /^(?:[\u4e00-\u9fa5A-Za-z0-9]{0,10}?(?:小区|花园|家园|新村|公寓|大厦|广场|苑|府|庭|城|湾|村|组|号院|中学|小学|学校|医院|市场|菜场|工地|公园))?(?:[0-9一二三四五六七八九十百]+(?:栋|幢|号楼|单元|室|号|楼|层|组))*/;

function addressSpan(text: string, matches: PlaceMatch[]): string | null {
  if (!matches.length) return null;
  // The first run of place names close together, then the estate/building/room that follows.
  const start = matches[0].start;
  let end = matches[0].end;
  for (const m of matches.slice(1)) {
    if (m.start - end > 2) break;
    end = m.end;
  }
  const tail = ADDRESS_TAIL.exec(text.slice(end));
  if (tail) end += tail[0].length;
  // A leading "芜湖市" belongs to the address as written.
  let s = start;
  const before = text.slice(Math.max(0, s - 3), s);
  if (/芜湖市$/.test(before)) s -= 3;
  else if (/芜湖$/.test(before)) s -= 2;
  return text.slice(s, end).trim() || null;
}

function emptyPlace(address: string | null = null): PlaceResult {
  return { district: null, street: null, community: null, address, confidence: 0, matches: [], candidates: [] };
}

/**
 * Reads the place of a message. `address` (a form field or the hotline's address box) is read
 * first and wins over places mentioned in passing in the text.
 */
export function extractPlace(text: string, opts: { address?: string; /** false: exact names only */ fuzzy?: boolean } = {}): PlaceResult {
  const idx = placeIndex();
  if (!idx) return emptyPlace();
  const fromField = typeof opts.address === 'string' && opts.address.trim() ? opts.address.trim() : null;
  const fz = (t: string, m: PlaceMatch[]) => (opts.fuzzy === false ? m : withFuzzy(t, m, idx));
  const fieldMatches = fromField ? fz(fromField, findPlaceMatches(fromField, idx)) : [];
  const textMatches = typeof text === 'string' ? fz(text, findPlaceMatches(text, idx)) : [];
  const matches = fieldMatches.length ? fieldMatches : textMatches;
  if (!matches.length) return emptyPlace(fromField);

  // Votes per district, weighted by how specific and how unambiguous each mention is.
  const votes = new Map<string, number>();
  for (const m of matches) {
    const ds = [...new Set(m.targets.map((t) => t.district))];
    const w = { district: 3, street: 2.5, community: 2, landmark: 2, road: 1.2 }[m.level] / ds.length;
    for (const d of ds) votes.set(d, (votes.get(d) ?? 0) + w);
  }
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  const [district, top] = ranked[0];
  const totalVotes = ranked.reduce((a, [, v]) => a + v, 0);

  // Street: explicit street names first, then communities, landmarks, roads, all within the district.
  let street: string | null = null;
  let streetSure = 0;
  for (const level of ['street', 'community', 'landmark', 'road'] as Level[]) {
    const streets = new Set<string>();
    for (const m of matches) for (const t of m.targets) if (t.level === level && t.district === district && t.street) streets.add(t.street);
    if (streets.size) {
      street = [...streets][0];
      streetSure = streets.size === 1 ? 1 : 0.5;
      break;
    }
  }
  let community: string | null = null;
  for (const m of matches) {
    const t = m.targets.find((x) => x.level === 'community' && x.district === district && (!street || x.street === street));
    if (t) {
      community = t.community;
      break;
    }
  }
  const best = matches.reduce<Level>((b, m) => (m.targets.some((t) => t.district === district) && LEVEL_RANK[m.level] > LEVEL_RANK[b] ? m.level : b), 'road');
  let confidence = { district: 0.95, street: 0.9, community: 0.85, landmark: 0.8, road: 0.7 }[best];
  confidence *= top / totalVotes; // other districts mentioned: less sure
  if (street && streetSure < 1) confidence *= 0.85;
  if (matches.some((m) => m.fuzzy)) confidence *= 0.8; // read from a mistyped name
  const address = fromField ?? addressSpan(text, textMatches);
  return {
    district,
    street,
    community,
    address,
    confidence: Math.round(Math.max(0, Math.min(1, confidence)) * 1000) / 1000,
    matches,
    candidates: ranked.map(([d]) => d),
  };
}
