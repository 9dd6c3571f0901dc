// `npm run --silent cli -- eval places [--count 2000] [--seed 1]`: residents' mistyped addresses,
// generated from the gazetteer (one wrong character, a dropped 街道/社区, an extra character, two
// characters swapped, in the district, street or community name), read by extractPlace with and
// without the fuzzy matcher (natural's Damerau–Levenshtein and Jaro–Winkler). Per mutation: share
// recovered (district and street right), share read wrong (a false match), share missed; and on
// our seed corpus the places the fuzzy matcher adds to messages where exact names found none.
// Last stdout line: one JSON object.
import { parseArgs } from 'node:util';
import { loadGazetteer } from '../../../core/places/gazetteer';
import { loadSeedMessages } from '../../../core/demo/seed-corpus';
import { seededRandom } from '../../../core/util/seeded-random';
import { extractPlace } from '../../../core/nlp/place';

const MUTATIONS = ['substitute', 'drop-suffix', 'extra', 'swap'] as const;
type Mutation = (typeof MUTATIONS)[number];
const TAILS = ['门口的路灯坏了好几天', '垃圾好几天没人清运', '有人占道经营', '下水道堵了，污水横流', '小区里噪音扰民', '路面坑洼不平'];
const SUFFIX = /(街道|社区|区|县|镇|乡|村)$/;

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

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { count: { type: 'string', default: '2000' }, seed: { type: 'string', default: '1' } } });
  const count = Number(values.count);
  const seed = Number(values.seed);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
    console.error('usage: npm run --silent cli -- eval places [--count 2000] [--seed 1]');
    return 2;
  }
  const g = loadGazetteer();
  const rand = seededRandom(seed);
  const pool = [...new Set(g.districts.flatMap((d) => [d.name, ...d.streets.flatMap((s) => [s.name, ...s.communities])]).join('').replace(/街道|社区|区|县|镇|乡|村/g, ''))].join('');
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  type Tally = { n: number; recovered: number; wrong: number; missed: number };
  const tally = () => ({ n: 0, recovered: 0, wrong: 0, missed: 0 });
  const out: Record<string, { exact: Tally; fuzzy: Tally }> = {};
  let made = 0;
  for (let tries = 0; made < count && tries < count * 20; tries++) {
    const d = pick(g.districts);
    const s = pick(d.streets);
    const c = pick(s.communities);
    const kind = MUTATIONS[made % MUTATIONS.length];
    const part = pick(['district', 'street', 'community'] as const);
    const original = part === 'district' ? d.name : part === 'street' ? s.name : c;
    const typo = mutate(original, kind, rand, pool);
    if (!typo || typo === original) continue;
    const parts = { district: d.name, street: s.name, community: c, [part]: typo };
    // the district stays out when the street is the mistyped part half the time: then only the typo tells
    const withDistrict = part === 'district' || rand() < 0.5;
    const text = `${withDistrict ? parts.district : ''}${part === 'community' ? '' : parts.street}${part === 'district' ? '' : parts.community}${pick(TAILS)}`;
    made++;
    const key = `${kind}:${part}`;
    const t = (out[key] ??= { exact: tally(), fuzzy: tally() });
    for (const mode of ['exact', 'fuzzy'] as const) {
      const p = extractPlace(text, { fuzzy: mode === 'fuzzy' });
      const r = t[mode];
      r.n++;
      if (p.district === d.name && p.street === s.name) r.recovered++;
      else if ((p.district && p.district !== d.name) || (p.street && p.street !== s.name)) r.wrong++;
      else r.missed++;
    }
  }
  const share = (r: Tally) => ({ n: r.n, recovered: round(r.recovered / r.n), wrong: round(r.wrong / r.n), missed: round(r.missed / r.n) });
  const total = { exact: tally(), fuzzy: tally() };
  for (const v of Object.values(out)) for (const m of ['exact', 'fuzzy'] as const) for (const k of ['n', 'recovered', 'wrong', 'missed'] as const) total[m][k] += v[m][k];
  // false matches on text the generator did not mistype: our seed corpus where exact names found no district
  let clean = 0, added = 0;
  for (const m of loadSeedMessages()) {
    if (extractPlace(m.text, { fuzzy: false }).district) continue;
    clean++;
    if (extractPlace(m.text).district) added++;
  }
  console.log(
    JSON.stringify({
      seed,
      addresses: made,
      exact: share(total.exact),
      fuzzy: share(total.fuzzy),
      byMutation: Object.fromEntries(Object.entries(out).sort().map(([k, v]) => [k, { exact: share(v.exact), fuzzy: share(v.fuzzy) }])),
      seedWithoutPlace: clean,
      fuzzyAddedPlace: added,
    }),
  );
  return 0;
}

const round = (x: number) => Math.round(x * 10000) / 10000;
