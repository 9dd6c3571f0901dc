// `npm run --silent cli -- eval dups --data FILE [--sample 10]`: duplicate detection (合并) on real
// messages where residents repost the same problem (a CSV with message_id, user_id, subject,
// created_at, detail, e.g. ../shared/datasets/tipdm-2020c/messages-with-votes.csv). Messages are
// read in time order, as the worker would, each against the cases opened before it (all kept open,
// 7-day window, same place), twice:
// - before: every case at the place in the window (newest 200) re-scored from its text;
// - after: as the database index does it (core/db/cases.ts listFeatureCandidates): only cases sharing a
//   place-scoped key (at the same street, or in the same district when one side names no street): a
//   SimHash band, a problem object and a keyword, or two keywords; the 50 sharing the most keys, scored
//   from stored features.
// Reports pairs merged, the overlap of the two, and precision by a proxy: a merge counts as right when
// the two messages come from the same resident (user_id) or their subjects share at least half of
// their content bigrams (Jaccard ≥ 0.5). The proxy misses paraphrases by other residents, so it is a
// lower bound; --sample prints message ids and subjects of merged pairs for reading (stdout only).
// Last stdout line: one JSON object.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { analyzeMessage } from '../../../core/nlp/analyze';
import {
  candidateKeys, contentBigrams, DEFAULT_DUPLICATE_POLICY, DUP_CANDIDATE_LIMIT, DUP_PER_KEY_LIMIT, dupCandidateQualifies, dupKeyKind, featuresOf, isDuplicate, lookupDupKeys, scoreDuplicate, scoreFeatures, storedDupKeys,
  type DuplicateFeatures, type DuplicateSubject,
} from '../../../core/cases/duplicates';

interface Row { id: string; user: string; subject: string; at: number; s: DuplicateSubject; f: DuplicateFeatures; stored: string[]; lookup: string[] }

function jaccard(a: Set<string>, b: Set<string>) {
  if (!a.size || !b.size) return 0;
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n / (a.size + b.size - n);
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, sample: { type: 'string', default: '10' } } });
  if (!values.data) {
    console.error('usage: npm run --silent cli -- eval dups --data FILE [--sample 10]');
    return 2;
  }
  let records: Record<string, string>[];
  try {
    records = parse(readFileSync(values.data), { columns: true, skip_empty_lines: true, relax_column_count: true });
  } catch (e) {
    console.error(`eval dups: cannot read ${values.data}: ${(e as Error).message}`);
    return 2;
  }
  const policy = DEFAULT_DUPLICATE_POLICY;
  const rows: Row[] = [];
  for (const r of records) {
    const at = Date.parse(r.created_at);
    if (!r.detail || Number.isNaN(at)) continue;
    const a = analyzeMessage(r.detail, { title: r.subject || undefined });
    const s: DuplicateSubject = {
      text: `${r.subject ?? ''} ${a.maskedText}`, fingerprint: a.fingerprint, keywords: a.keywords, category: a.category.label,
      district: a.place.district, street: a.place.street, community: a.place.community,
    };
    const f = featuresOf(s);
    const keys = candidateKeys(f);
    rows.push({ id: r.message_id, user: r.user_id, subject: r.subject ?? '', at, s, f, stored: storedDupKeys(keys, s), lookup: lookupDupKeys(keys, s) });
  }
  rows.sort((x, y) => x.at - y.at);
  const win = policy.windowDays * 86_400_000;
  const samePlace = (m: Row, c: Row) => (m.s.district && c.s.district === m.s.district) || (m.s.street && c.s.street === m.s.street);

  type Merge = { msg: Row; into: Row; confidence: number };
  const run1 = (mode: 'before' | 'after') => {
    const cases: Row[] = [];
    const byKey = new Map<string, Row[]>();
    const merges: Merge[] = [];
    let candidates = 0;
    const t0 = performance.now();
    for (const m of rows) {
      let best: { c: Row; conf: number } | null = null;
      if (m.s.district || m.s.street) {
        let pool: Row[];
        if (mode === 'before') {
          pool = cases.filter((c) => m.at - c.at <= win && samePlace(m, c)).slice(-200);
        } else {
          // per key, the newest DUP_PER_KEY_LIMIT cases in the window; those whose shared keys
          // qualify, the DUP_CANDIDATE_LIMIT sharing the most keys (then the newest) are scored
          const hits = new Map<Row, { band: number; object: number; keyword: number; n: number }>();
          for (const k of m.lookup) {
            const inWin = (byKey.get(k) ?? []).filter((c) => m.at - c.at <= win).slice(-DUP_PER_KEY_LIMIT);
            for (const c of inWin) {
              const h = hits.get(c) ?? hits.set(c, { band: 0, object: 0, keyword: 0, n: 0 }).get(c)!;
              h[dupKeyKind(k)]++;
              h.n++;
            }
          }
          pool = [...hits].filter(([, h]) => dupCandidateQualifies(h)).sort(([x, hx], [y, hy]) => hy.n - hx.n || y.at - x.at)
            .map(([c]) => c).slice(0, DUP_CANDIDATE_LIMIT);
        }
        candidates += pool.length;
        for (const c of pool) {
          const score = mode === 'before' ? scoreDuplicate(m.s, c.s) : scoreFeatures(m.f, c.f);
          if (isDuplicate(score, policy) && (!best || score.confidence > best.conf)) best = { c, conf: score.confidence };
        }
      }
      if (best) merges.push({ msg: m, into: best.c, confidence: best.conf });
      else {
        cases.push(m);
        for (const k of m.stored) (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(m);
      }
    }
    const ms = performance.now() - t0;
    const right = merges.filter((x) => x.msg.user === x.into.user || jaccard(contentBigrams(x.msg.subject), contentBigrams(x.into.subject)) >= 0.5).length;
    return { merges, summary: { pairsMerged: merges.length, proxyRight: right, precisionProxy: merges.length ? Math.round((right / merges.length) * 1000) / 1000 : null, cases: cases.length, candidatesPerMessage: Math.round((candidates / rows.length) * 10) / 10, msPerMessage: Math.round((ms / rows.length) * 1000) / 1000 } };
  };
  const before = run1('before');
  const after = run1('after');
  const key = (x: Merge) => `${x.msg.id}>${x.into.id}`;
  const b = new Set(before.merges.map(key));
  const a = new Set(after.merges.map(key));
  const both = [...a].filter((k) => b.has(k)).length;
  const n = Number(values.sample) || 0;
  const step = Math.max(1, Math.floor(after.merges.length / Math.max(1, n)));
  console.log(`messages ${rows.length}; window ${policy.windowDays} d; bar ${policy.minConfidence}`);
  for (const [name, r] of [['before (all place candidates, scored from text)', before], ['after (indexed keys, stored features)', after]] as const) {
    console.log(`${name}: ${r.summary.pairsMerged} pairs merged, precision proxy ${r.summary.precisionProxy}, ${r.summary.candidatesPerMessage} candidates/message, ${r.summary.msPerMessage} ms/message scoring`);
  }
  console.log(`same pairs in both: ${both}; only before: ${b.size - both}; only after: ${a.size - both}`);
  for (let i = 0; i < after.merges.length && i / step < n; i += step) {
    const x = after.merges[i];
    console.log(`sample ${x.msg.id} -> ${x.into.id} (${x.confidence}): ${x.msg.subject} | ${x.into.subject}`);
  }
  console.log(JSON.stringify({ messages: rows.length, before: before.summary, after: after.summary, samePairs: both, onlyBefore: b.size - both, onlyAfter: a.size - both }));
  return 0;
}
