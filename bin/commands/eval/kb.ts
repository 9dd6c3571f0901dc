// `npm run --silent cli -- eval kb --data FILE.csv [--seed 1] [--sample 30] [--threshold 0.3]`: how often
// the knowledge base would suggest a reply about the same matter. A CSV with message_id, subject,
// detail, reply (the TipDM 2020 C messages with their official replies) is split in two halves by a
// seeded hash of message_id; the replies of one half become entries (question: subject + detail,
// answer: the reply) and each message of the other half is ranked against them by the desk's own code
// (core/kb/rank.ts rankEntries over the in-memory index, which test/kb.test.ts shows ranks exactly as
// the database does).
//
// "About the same matter", judged automatically (a proxy, to be checked by reading the --sample): the
// retrieved entry's reply and the query's own official reply (never seen by the ranking) share their
// distinctive words — the idf-weighted cosine of their jieba content words, leaving out words found in
// more than 5% of the replies (greetings, 收悉, 感谢…), is at least --threshold. The same proxy applied
// to 5 entries drawn at random gives its chance rate. Last stdout line: one JSON object with the figures.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MemoryKbSource, entryLexemes, rankEntries } from '../../../core/kb/rank';
import { isStopWord, segment } from '../../../core/nlp/segment';
import { readCsvFile } from '../../../core/util/csv';
import { createRng, hash32 } from '../../../core/util/seeded-random';

const USAGE = 'usage: npm run --silent cli -- eval kb --data FILE.csv [--seed 1] [--sample 30] [--threshold 0.3] [--limit N]';
const COMMON_SHARE = 0.05;

interface Row { id: string; subject: string; detail: string; reply: string }

/** the words that say what a reply is about: jieba content tokens of two or more characters with a Han character */
const matterWords = (text: string) => [...new Set(segment(text).filter((t) => [...t].length >= 2 && /\p{Script=Han}/u.test(t) && !isStopWord(t)))];

/** idf-weighted cosine of two word sets, ignoring the common words */
export function matterSimilarity(a: readonly string[], b: readonly string[], idf: Map<string, number>): number {
  const wa = new Map(a.filter((w) => idf.has(w)).map((w) => [w, idf.get(w)!]));
  const wb = new Map(b.filter((w) => idf.has(w)).map((w) => [w, idf.get(w)!]));
  let dot = 0;
  for (const [w, x] of wa) if (wb.has(w)) dot += x * wb.get(w)!;
  const norm = (m: Map<string, number>) => Math.sqrt([...m.values()].reduce((s, x) => s + x * x, 0));
  const d = norm(wa) * norm(wb);
  return d ? dot / d : 0;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s).replace(/\s+/g, ' ');

export async function run(argv: string[]): Promise<number> {
  let values: { data?: string; seed?: string; sample?: string; threshold?: string; limit?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { data: { type: 'string' }, seed: { type: 'string', default: '1' }, sample: { type: 'string', default: '30' }, threshold: { type: 'string', default: '0.3' }, limit: { type: 'string' } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const seed = Number(values.seed);
  const sampleN = Number(values.sample);
  const threshold = Number(values.threshold);
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (!values.data || !Number.isInteger(seed) || !Number.isInteger(sampleN) || sampleN < 0 || !(threshold > 0 && threshold < 1) || !(limit >= 1)) {
    console.error(USAGE);
    return 2;
  }
  if (!existsSync(values.data)) {
    console.error(`eval kb: no such file: ${values.data}`);
    return 2;
  }
  let file;
  try {
    file = readCsvFile(values.data);
  } catch (err) {
    console.error(`eval kb: ${(err as Error).message}`);
    return 2;
  }
  const missing = ['message_id', 'subject', 'detail', 'reply'].filter((c) => !file.header.includes(c));
  if (missing.length) {
    console.error(`eval kb: ${values.data} has no column ${missing.join(', ')} (columns: ${file.header.join(', ')})`);
    return 2;
  }
  const rows: Row[] = file.rows
    .map((r) => ({ id: r.message_id.trim(), subject: r.subject.trim(), detail: r.detail.trim(), reply: r.reply.trim() }))
    .filter((r) => r.id && r.reply && (r.subject || r.detail));
  const indexed = rows.filter((r) => hash32(`${seed}:${r.id}`) % 2 === 0);
  const queries = rows.filter((r) => hash32(`${seed}:${r.id}`) % 2 === 1).slice(0, limit);
  if (!indexed.length || !queries.length) {
    console.error(`eval kb: ${values.data} has too few messages with a reply to split (${rows.length})`);
    return 2;
  }
  const started = performance.now();
  const source = new MemoryKbSource();
  indexed.forEach((r, i) => source.add({ id: i, ...entryLexemes({ question: `${r.subject} ${r.detail}`, answer: r.reply }), category: null }));
  console.error(`eval kb: ${indexed.length} entries indexed in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // the proxy's vocabulary: words of the replies, less the common ones
  const words = new Map<string, string[]>();
  const df = new Map<string, number>();
  for (const r of rows) {
    const w = matterWords(r.reply);
    words.set(r.id, w);
    for (const x of w) df.set(x, (df.get(x) ?? 0) + 1);
  }
  const idf = new Map([...df].filter(([, n]) => n <= COMMON_SHARE * rows.length).map(([w, n]) => [w, Math.log(rows.length / n)]));
  const same = (q: Row, e: Row) => matterSimilarity(words.get(q.id)!, words.get(e.id)!, idf);

  const rng = createRng(`eval-kb:${seed}`);
  const sampled = new Set(rng.shuffle(queries.map((_, i) => i)).slice(0, sampleN));
  let top1 = 0;
  let top5 = 0;
  let chance5 = 0;
  let empty = 0;
  // the ceiling: queries for which some entry at all is about the same matter by the proxy
  let reachable = 0;
  let searchMs = 0;
  const sampleOut: string[] = [];
  let shown = 0;
  for (const [qi, q] of queries.entries()) {
    const t0 = performance.now();
    const ranked = await rankEntries(source, { heading: q.subject, text: q.detail }, { limit: 5 });
    searchMs += performance.now() - t0;
    if (!ranked.length) empty++;
    if (indexed.some((e) => same(q, e) >= threshold)) reachable++;
    const sims = ranked.map((r) => same(q, indexed[r.id]));
    if (sims[0] >= threshold) top1++;
    if (sims.some((s) => s >= threshold)) top5++;
    if (Array.from({ length: 5 }, () => same(q, indexed[rng.int(0, indexed.length - 1)])).some((s) => s >= threshold)) chance5++;
    if (sampled.has(qi)) {
      sampleOut.push(`\n[${++shown}] query ${q.id}: ${clip(q.subject, 60)} | ${clip(q.detail, 120)}\n    gold reply: ${clip(q.reply, 160)}`);
      ranked.forEach((r, k) => {
        const e = indexed[r.id];
        sampleOut.push(`    ${k + 1}. score ${r.score.toFixed(3)} proxy ${sims[k].toFixed(2)}${sims[k] >= threshold ? ' ✓' : '  '} ${e.id}: ${clip(e.subject, 50)}\n       reply: ${clip(e.reply, 140)}`);
      });
    }
    if ((qi + 1) % 400 === 0) console.error(`eval kb: ${qi + 1}/${queries.length} queries`);
  }
  const msPerQuery = searchMs / queries.length;
  const rate = (n: number) => Number((n / queries.length).toFixed(4));
  if (sampleOut.length) console.log(`sample of ${sampled.size} queries (seed ${seed}) for judging by reading:${sampleOut.join('\n')}\n`);
  const figures = {
    entries: indexed.length, queries: queries.length, seed, threshold,
    top1: rate(top1), top5: rate(top5), reachable: rate(reachable), top5OfReachable: reachable ? Number((top5 / reachable).toFixed(4)) : 0, chanceTop5: rate(chance5), noSuggestion: rate(empty), msPerQuery: Number(msPerQuery.toFixed(1)),
  };
  console.log(`eval kb: ${queries.length} queries against ${indexed.length} entries: top-1 ${(figures.top1 * 100).toFixed(1)}%, top-5 ${(figures.top5 * 100).toFixed(1)}% (5 random entries: ${(figures.chanceTop5 * 100).toFixed(1)}%; some entry about the same matter exists for ${(figures.reachable * 100).toFixed(1)}%, top-5 finds it for ${(figures.top5OfReachable * 100).toFixed(1)}% of those), ${msPerQuery.toFixed(1)} ms per query`);
  console.log(JSON.stringify(figures));
  return 0;
}
