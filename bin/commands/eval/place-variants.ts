// Residents' mistyped addresses for `eval places`, generated from our own gazetteer
// (lexicons/places), never from data-set text.
// - mistypedAddresses: the original set (one wrong character, a dropped 街道/社区, an extra
//   character, two characters swapped, in the district, street or community name).
// - addressVariants: the ways residents write a name other than the gazetteer does, one kind at a
//   time so each is reported on its own: pinyin (tone marks, tone digits, spaces or none, a hanzi
//   suffix, one letter off), the suffix dropped (区/街道/社区/镇), extra characters, typos (a wrong
//   or missing character, two swapped); the other parts of the address are each written or left out.
import type { Gazetteer } from '../../../core/places/gazetteer';
import { seededRandom } from '../../../core/util/seeded-random';
import { pinyin } from 'pinyin-pro';

export interface GeneratedAddress {
  text: string;
  /** mutation:part, e.g. substitute:community, pinyin:street */
  key: string;
  district: string;
  street: string;
  community: string;
  /** the parts the text names (mistyped or not): what a reading must get right to count as recovered */
  named: { street: boolean; community: boolean };
}

const MUTATIONS = ['substitute', 'drop-suffix', 'extra', 'swap'] as const;
type Mutation = (typeof MUTATIONS)[number];
const TAILS = ['门口的路灯坏了好几天', '垃圾好几天没人清运', '有人占道经营', '下水道堵了，污水横流', '小区里噪音扰民', '路面坑洼不平'];
const SUFFIX = /(街道|社区|区|县|镇|乡|村)$/;
const PARTS = ['district', 'street', 'community'] as const;

/** The gazetteer's characters without the place suffixes: what a wrong or extra character is drawn from. */
function characterPool(g: Gazetteer): string {
  return [...new Set(g.districts.flatMap((d) => [d.name, ...d.streets.flatMap((s) => [s.name, ...s.communities])]).join('').replace(/街道|社区|区|县|镇|乡|村/g, ''))].join('');
}

function mutate(name: string, kind: Mutation, rand: () => number, pool: string): string | null {
  const suffix = SUFFIX.exec(name)?.[0] ?? '';
  const core = name.slice(0, name.length - suffix.length);
  if (core.length < 1) return null;
  const at = Math.floor(rand() * core.length);
  const other = () => {
    for (;;) {
      const c = pool[Math.floor(rand() * pool.length)];
      if (c !== core[at]) return c;
    }
  };
  switch (kind) {
    case 'substitute':
      return core.slice(0, at) + other() + core.slice(at + 1) + suffix;
    case 'drop-suffix':
      return suffix === '街道' || suffix === '社区' ? core : null;
    case 'extra':
      return core.slice(0, at + 1) + (rand() < 0.5 ? core[at] : other()) + core.slice(at + 1) + suffix;
    case 'swap':
      return core.length >= 2 ? (at === core.length - 1 ? core.slice(0, at - 1) + core[at] + core[at - 1] : core.slice(0, at) + core[at + 1] + core[at] + core.slice(at + 2)) + suffix : null;
  }
}

interface Draw {
  d: Gazetteer['districts'][number];
  s: Gazetteer['districts'][number]['streets'][number];
  c: string;
  /** how many addresses are made so far */
  made: number;
  rand: () => number;
  pick: <T>(xs: readonly T[]) => T;
  pool: string;
}

/** Draws a district, a street in it and a community in that, as often as needed for `count`
 * addresses (`make` may decline a draw), from one seeded generator. */
function generate(g: Gazetteer, count: number, seed: number, make: (x: Draw) => GeneratedAddress | null): GeneratedAddress[] {
  const rand = seededRandom(seed);
  const pool = characterPool(g);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const out: GeneratedAddress[] = [];
  for (let tries = 0; out.length < count && tries < count * 20; tries++) {
    const d = pick(g.districts);
    const s = pick(d.streets);
    const a = make({ d, s, c: pick(s.communities), made: out.length, rand, pick, pool });
    if (a) out.push(a);
  }
  return out;
}

/** The original set: as many addresses as asked (or fewer where the gazetteer gives no mutation). */
export function mistypedAddresses(g: Gazetteer, count: number, seed: number): GeneratedAddress[] {
  return generate(g, count, seed, ({ d, s, c, made, rand, pick, pool }) => {
    const kind = MUTATIONS[made % MUTATIONS.length];
    const part = pick(PARTS);
    const original = part === 'district' ? d.name : part === 'street' ? s.name : c;
    const typo = mutate(original, kind, rand, pool);
    if (!typo || typo === original) return null;
    const parts = { district: d.name, street: s.name, community: c, [part]: typo };
    // the district stays out when the street is the mistyped part half the time: then only the typo tells
    const withDistrict = part === 'district' || rand() < 0.5;
    const text = `${withDistrict ? parts.district : ''}${part === 'community' ? '' : parts.street}${part === 'district' ? '' : parts.community}${pick(TAILS)}`;
    return { text, key: `${kind}:${part}`, district: d.name, street: s.name, community: c, named: { street: true, community: false } };
  });
}

export const VARIANT_KINDS = ['pinyin', 'drop-suffix', 'extra', 'typo'] as const;
type Variant = (typeof VARIANT_KINDS)[number];

/** A name in pinyin as residents write it: with tone marks or tone digits or none, syllables spaced,
 * the core joined, all joined, the suffix left in hanzi, or one letter dropped. */
function inPinyin(name: string, rand: () => number): string {
  const suffix = SUFFIX.exec(name)?.[0] ?? '';
  const core = name.slice(0, name.length - suffix.length);
  const syl = (s: string, tone: 'none' | 'symbol' | 'num') => pinyin(s, { toneType: tone, type: 'array', v: tone === 'none' });
  const style = Math.floor(rand() * 6);
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  switch (style) {
    case 0: // yì jiāng qū
      return syl(name, 'symbol').join(' ');
    case 1: // yijiang qu
      return `${syl(core, 'none').join('')} ${syl(suffix, 'none').join('')}`;
    case 2: // Yijiangqu
      return cap(syl(name, 'none').join(''));
    case 3: // yi4 jiang1 qu1
      return syl(name, 'num').join(' ');
    case 4: // yijiang区
      return syl(core, 'none').join('') + suffix;
    default: {
      // yijang qu: one letter of the core dropped
      const w = syl(core, 'none').join('');
      const at = Math.floor(rand() * w.length);
      return `${w.slice(0, at) + w.slice(at + 1)} ${syl(suffix, 'none').join('')}`;
    }
  }
}

function variant(name: string, kind: Variant, rand: () => number, pool: string): string | null {
  const suffix = SUFFIX.exec(name)?.[0] ?? '';
  const core = name.slice(0, name.length - suffix.length);
  switch (kind) {
    case 'pinyin':
      return inPinyin(name, rand);
    case 'drop-suffix':
      return suffix === '街道' || suffix === '社区' || suffix === '区' || suffix === '镇' ? core : null;
    case 'extra': {
      // a character typed twice or one more in the core, or the suffix's last character twice
      const r = rand();
      if (r < 0.2) return name + name.slice(-1);
      return mutate(name, 'extra', rand, pool);
    }
    case 'typo':
      return mutate(name, rand() < 0.75 ? 'substitute' : 'swap', rand, pool);
  }
}

/** The variants set: `count` addresses, the kinds in turn, each part mistyped as often. */
export function addressVariants(g: Gazetteer, count: number, seed: number): GeneratedAddress[] {
  return generate(g, count, seed, ({ d, s, c, made, rand, pick, pool }) => {
    const kind = VARIANT_KINDS[made % VARIANT_KINDS.length];
    const part = PARTS[Math.floor(made / VARIANT_KINDS.length) % PARTS.length];
    const original = part === 'district' ? d.name : part === 'street' ? s.name : c;
    const written = variant(original, kind, rand, pool);
    if (!written || written === original) return null;
    // the parts other than the mistyped one are each written or left out (the district half the time,
    // the street and community two times in three)
    const named = { district: part === 'district' || rand() < 0.5, street: part === 'street' || rand() < 0.67, community: part === 'community' || rand() < 0.67 };
    const latin = /[a-z]/i.test(written);
    const parts = [named.district ? (part === 'district' ? written : d.name) : '', named.street ? (part === 'street' ? written : s.name) : '', named.community ? (part === 'community' ? written : c) : ''].filter(Boolean);
    // a name in pinyin stands apart from the hanzi by a space, as typed
    const text = (latin ? parts.join(' ') : parts.join('')) + (latin && !/[\u4e00-\u9fa5]$/.test(parts[parts.length - 1]) ? ' ' : '') + pick(TAILS);
    return { text, key: `${kind}:${part}`, district: d.name, street: s.name, community: c, named: { street: named.street, community: named.community } };
  });
}
