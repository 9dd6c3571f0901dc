// `npm run --silent cli -- eval places [--count 2000] [--seed 1] [--variants] [--real FILE.csv [--text-col text]]`:
// residents' mistyped addresses generated from the gazetteer (place-variants.ts), read by
// extractPlace with and without the tolerant matching (natural's Damerau–Levenshtein and
// Jaro–Winkler over hanzi and over pinyin, bare names in context). Per kind: share recovered (every
// part the address names read right), share read wrong (a false match), share missed; and on our
// seed corpus the places the tolerant matching adds to messages where exact names found none.
// - default: the original set (a wrong character, a dropped 街道/社区, an extra character, a swap);
//   recovered = district and street right.
// - --variants: pinyin, dropped suffix, extra characters, typos, each reported on its own.
// - --real FILE.csv: real messages (column --text-col, default text): how many places are read with
//   exact names only and with the tolerant matching, and how many of those come from a tolerant
//   match, by kind. On messages from another city every one of those is a false match.
// Last stdout line: one JSON object.
import { parseArgs } from 'node:util';
import { loadGazetteer } from '../../../core/places/gazetteer';
import { loadSeedMessages } from '../../../core/demo/seed-corpus';
import { extractPlace } from '../../../core/nlp/place';
import { readCsvFile } from '../../../core/util/csv';
import { addressVariants, mistypedAddresses, type GeneratedAddress } from './place-variants';

const USAGE = 'usage: npm run --silent cli -- eval places [--count 2000] [--seed 1] [--variants] [--real FILE.csv [--text-col text]]';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { count: { type: 'string', default: '2000' }, seed: { type: 'string', default: '1' }, variants: { type: 'boolean', default: false }, real: { type: 'string' }, 'text-col': { type: 'string', default: 'text' } },
  });
  if (values.real) return real(values.real, values['text-col']!);
  const count = Number(values.count);
  const seed = Number(values.seed);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
    console.error(USAGE);
    return 2;
  }
  const g = loadGazetteer();
  const set = values.variants ? addressVariants(g, count, seed) : mistypedAddresses(g, count, seed);
  type Tally = { n: number; recovered: number; wrong: number; missed: number };
  const tally = () => ({ n: 0, recovered: 0, wrong: 0, missed: 0 });
  const out: Record<string, { exact: Tally; fuzzy: Tally }> = {};
  const byKind: Record<string, { exact: Tally; fuzzy: Tally }> = {};
  for (const a of set) {
    const t = (out[a.key] ??= { exact: tally(), fuzzy: tally() });
    const k = (byKind[a.key.split(':')[0]] ??= { exact: tally(), fuzzy: tally() });
    for (const mode of ['exact', 'fuzzy'] as const) {
      const verdict = judge(a, extractPlace(a.text, { fuzzy: mode === 'fuzzy' }));
      for (const r of [t[mode], k[mode]]) {
        r.n++;
        r[verdict]++;
      }
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
  const shares = (o: Record<string, { exact: Tally; fuzzy: Tally }>) => Object.fromEntries(Object.entries(o).sort().map(([k, v]) => [k, { exact: share(v.exact), fuzzy: share(v.fuzzy) }]));
  console.log(
    JSON.stringify({
      seed,
      set: values.variants ? 'variants' : 'mistyped',
      addresses: set.length,
      exact: share(total.exact),
      fuzzy: share(total.fuzzy),
      ...(values.variants ? { byKind: shares(byKind) } : {}),
      byMutation: shares(out),
      seedWithoutPlace: clean,
      fuzzyAddedPlace: added,
    }),
  );
  return 0;
}

/** Recovered: the district, and the street and community where the address names them (a named
 * community names its street), read right; wrong: any of them read as another place; else missed. */
function judge(a: GeneratedAddress, p: { district: string | null; street: string | null; community: string | null }): 'recovered' | 'wrong' | 'missed' {
  const wantStreet = a.named.street || a.named.community;
  if (p.district === a.district && (!wantStreet || p.street === a.street) && (!a.named.community || p.community === a.community)) return 'recovered';
  if ((p.district && p.district !== a.district) || (p.street && p.street !== a.street) || (a.named.community && p.community && p.community !== a.community)) return 'wrong';
  return 'missed';
}

function real(file: string, col: string): number {
  const { header, rows } = readCsvFile(file);
  if (!header.includes(col)) {
    console.error(`${file}: 没有列 "${col}"（列：${header.join(', ')}）`);
    return 2;
  }
  let exact = 0, read = 0, tolerant = 0;
  const byKind: Record<string, number> = { typo: 0, pinyin: 0, bare: 0 };
  for (const r of rows) {
    const text = r[col] ?? '';
    if (extractPlace(text, { fuzzy: false }).district) exact++;
    const p = extractPlace(text);
    if (!p.district) continue;
    read++;
    const kinds = new Set(p.matches.flatMap((m) => (m.fuzzy ? [m.fuzzy.kind] : [])));
    if (kinds.size) tolerant++;
    for (const k of kinds) byKind[k]++;
  }
  console.log(JSON.stringify({ file, messages: rows.length, placesReadExact: exact, placesRead: read, viaTolerantMatch: tolerant, viaTolerantByKind: byKind }));
  return 0;
}

const round = (x: number) => Math.round(x * 10000) / 10000;
