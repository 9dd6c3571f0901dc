// `npm run --silent bench -- dups [--sizes 1000,10000,100000] [--probes 300]`: the duplicate
// candidate query (feature index lookup + scoring from stored features) per message, with 1k / 10k /
// 100k generated open cases (10 districts, 80 streets, random fingerprints, 200 problem objects,
// keywords from a 20,000-word pool, created over 7 days). Uses DATABASE_URL (a scratch schema, dropped
// afterwards) or an in-memory PGlite. Last stdout line: one JSON object.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { connectDatabase } from '../../core/db/connect';
import { migrate } from '../../core/db/migrate';
import { analyzeDupBench, createSchema, dropSchema, insertDupBenchCases } from '../../core/db/bench';
import { listFeatureCandidates } from '../../core/db/cases';
import { candidateKeys, isDuplicate, scoreFeatures, type DuplicateFeatures } from '../../core/cases/duplicates';
import { seededRandom } from '../../core/util/seeded-random';

export async function runDups(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { sizes: { type: 'string', default: '1000,10000,100000' }, probes: { type: 'string', default: '300' } } });
  const sizes = values.sizes.split(',').map(Number);
  const probes = Number(values.probes);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(probes) || probes < 1) {
    console.error('usage: npm run --silent bench -- dups [--sizes 1000,10000,100000] [--probes 300]');
    return 2;
  }
  const url = process.env.DATABASE_URL;
  const schema = url ? `bench_dups_${randomBytes(4).toString('hex')}` : undefined;
  if (url && schema) {
    const admin = await connectDatabase({ databaseUrl: url, dataDir: '', poolMax: 1 });
    await createSchema(admin.sql, schema);
    await admin.close();
  }
  const db = url ? await connectDatabase({ databaseUrl: url, dataDir: '', poolMax: 2, schema }) : await connectDatabase({ dataDir: '', inMemory: true });
  const sql = db.sql;
  const rand = seededRandom(7);
  const words = Array.from({ length: 20000 }, (_, i) => `w${i}`);
  const topics = Array.from({ length: 200 }, (_, i) => `t${i}`);
  const t0 = Date.parse('2026-11-01T00:00:00Z');
  const gen = (i: number): DuplicateFeatures & { createdAt: Date } => {
    const d = Math.floor(rand() * 10);
    const kw = Array.from({ length: 6 }, () => words[Math.floor(rand() * words.length)]);
    return {
      fingerprint: randomBytes(8).toString('hex'), category: 'c' + Math.floor(rand() * 8), district: `D${d}`, street: `S${d}-${Math.floor(rand() * 8)}`,
      community: null, bigrams: kw.map((k) => k.slice(0, 2)).concat(Array.from({ length: 40 }, () => words[Math.floor(rand() * words.length)])),
      keywords: kw, topics: [topics[Math.floor(rand() * topics.length)]], buildings: [], createdAt: new Date(t0 + (i % 1000) * 600_000),
    };
  };
  const results: { openCases: number; msPerCase: number; candidatesPerCase: number }[] = [];
  try {
    await migrate(sql);
    let have = 0;
    for (const n of sizes) {
      while (have < n) {
        const batch = Array.from({ length: Math.min(2000, n - have) }, (_, j) => gen(have + j));
        await insertDupBenchCases(sql, batch.map((b, j) => ({
          trackingNo: `B${have + j}`, district: b.district, street: b.street, category: b.category, fingerprint: b.fingerprint, createdAt: b.createdAt,
          features: { keys: candidateKeys(b), bigrams: b.bigrams, topics: b.topics, buildings: b.buildings, keywords: b.keywords },
        })));
        have += batch.length;
      }
      await analyzeDupBench(sql);
      let cands = 0;
      const probe = Array.from({ length: probes }, (_, i) => gen(i * 7));
      const start = performance.now();
      for (const p of probe) {
        const at = p.createdAt.getTime();
        const rows = await listFeatureCandidates(sql, { since: new Date(at - 7 * 86_400_000), until: new Date(at + 7 * 86_400_000), district: p.district, street: p.street, keys: candidateKeys(p) });
        cands += rows.length;
        for (const c of rows) isDuplicate(scoreFeatures(p, c));
      }
      const ms = (performance.now() - start) / probes;
      results.push({ openCases: n, msPerCase: Math.round(ms * 1000) / 1000, candidatesPerCase: Math.round((cands / probes) * 10) / 10 });
      console.log(`${n} open cases: ${results.at(-1)!.msPerCase} ms per case (query + scoring), ${results.at(-1)!.candidatesPerCase} candidates`);
    }
  } finally {
    await db.close();
    if (url && schema) {
      const admin = await connectDatabase({ databaseUrl: url, dataDir: '', poolMax: 1 });
      await dropSchema(admin.sql, schema);
      await admin.close();
    }
  }
  console.log(JSON.stringify({ backend: url ? 'postgres' : 'pglite', probes, results }));
  return 0;
}
