// `npm run --silent bench -- dups [--sizes 1000,10000,100000] [--probes 300] [--layout city|one-place|both] [--plan]`:
// duplicate detection per message as the worker does it: the narrow lock (lockDuplicateKeys) and the
// candidate statement (core/db/cases.ts listDuplicateCandidates: place-scoped keys, and the legacy
// list in the same statement) sent together in one round trip inside one transaction per message,
// then the scoring from stored features, with 1k / 10k / 100k generated open cases created over 7 days.
// - city: 16 districts of 20 streets, 1 message in 10 naming only its district, districts and
//   streets as unevenly busy as a city's (Zipf), problem objects (29, Zipf, 2 in 3 messages name one),
//   8 keywords from a 20,000-word Zipf vocabulary (the commonest in ~1 message in 8, as in real
//   messages), 120 content bigrams;
// - one-place: the adversarial case, every open case at one street of one district.
// 1 probe in 5 is a near-duplicate of an open case (2 fingerprint bits flipped, 5 of 8 keywords and
// 70 % of its bigrams kept, its object): the figure `found` says how many of those were merged.
// Then each probe's two statements again under EXPLAIN (ANALYZE, TIMING OFF): the server's planning
// and execution time per statement, without any round trip, and whether the candidate plan reads any
// table but the (empty) legacy list by a sequential scan. EXPLAIN plans for the probe's values; the
// service itself plans the candidate statement a few times only: postgres.js prepares each statement,
// and after five calls the server may keep one generic plan when it costs no more than the custom
// ones (the run counts both from pg_prepared_statements), so its planning time is not paid per message.
// Uses DATABASE_URL (a scratch schema, dropped afterwards) or an in-memory PGlite. Wall times are per
// message on a shared machine (load average printed); cpu is this process's CPU per message, server
// cpu the database backend's (its /proc schedstat; PostgreSQL only).
// The same round trip with two empty statements (SELECT 1, SELECT 2) is timed too: the floor that
// any two statements cost on this machine and driver.
// Last stdout line: one JSON object.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { connectDatabase } from '../../core/db/connect';
import { migrate } from '../../core/db/migrate';
import { analyzeDupBench, backendPid, createSchema, dropSchema, explainJson, explainText, insertDupBenchCases, preparedPlans, twoEmptyStatements } from '../../core/db/bench';
import { duplicateCandidatesQuery, duplicateLockQuery, listDuplicateCandidates, lockDuplicateKeys } from '../../core/db/cases';
import type { Db } from '../../core/db/connect';
import type { MaybeRow, PendingQuery } from 'postgres';
import { candidateKeys, isDuplicate, scoreFeatures, storedDupKeys, type DuplicateFeatures } from '../../core/cases/duplicates';
import { seededRandom } from '../../core/util/seeded-random';

type Gen = DuplicateFeatures & { createdAt: Date };

function zipf(n: number, s: number, rand: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  return () => {
    const r = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** CPU time a local process has had, in ns (/proc/PID/schedstat, first field); null when unknown (another host, PGlite). */
function backendCpuNs(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return null;
  }
}

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; 'Actual Loops'?: number; Plans?: PlanNode[] }

/** The server's planning and execution time of a statement (EXPLAIN ANALYZE, TIMING OFF: no per-node clock reads), and the tables it scans sequentially (in the branches it runs). */
async function explain<T extends readonly MaybeRow[]>(tx: Db, q: PendingQuery<T>): Promise<{ planning: number; execution: number; seqScans: string[] }> {
  const row = await explainJson(tx, q);
  const [doc] = Object.values(row)[0] as { Plan: PlanNode; 'Planning Time': number; 'Execution Time': number }[];
  const seq: string[] = [];
  const walk = (n: PlanNode) => {
    // a branch the plan holds but never runs (the legacy list's, when it is empty) reads nothing
    if (n['Node Type'] === 'Seq Scan' && n['Relation Name'] && (n['Actual Loops'] ?? 1) > 0) seq.push(n['Relation Name']);
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(doc.Plan);
  return { planning: doc['Planning Time'], execution: doc['Execution Time'], seqScans: seq };
}

export async function runDups(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { sizes: { type: 'string', default: '1000,10000,100000' }, probes: { type: 'string', default: '300' }, layout: { type: 'string', default: 'both' }, plan: { type: 'boolean', default: false } } });
  const sizes = values.sizes.split(',').map(Number);
  const probes = Number(values.probes);
  const layouts = values.layout === 'both' ? ['city', 'one-place'] : [values.layout];
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(probes) || probes < 1 || layouts.some((l) => l !== 'city' && l !== 'one-place')) {
    console.error('usage: npm run --silent bench -- dups [--sizes 1000,10000,100000] [--probes 300] [--layout city|one-place|both] [--plan]');
    return 2;
  }
  const url = process.env.DATABASE_URL;
  const out: unknown[] = [];
  for (const layout of layouts) {
    const schema = url ? `bench_dups_${randomBytes(4).toString('hex')}` : undefined;
    if (url && schema) {
      const admin = await connectDatabase({ databaseUrl: url, dataDir: '', poolMax: 1 });
      await createSchema(admin.sql, schema);
      await admin.close();
    }
    const db = url ? await connectDatabase({ databaseUrl: url, dataDir: '', poolMax: 1, schema }) : await connectDatabase({ dataDir: '', inMemory: true });
    const sql = db.sql;
    const rand = seededRandom(7);
    const word = zipf(20000, 0.7, rand);
    const bigram = zipf(50000, 0.6, rand);
    const topic = zipf(29, 0.9, rand);
    const district = zipf(16, 0.8, rand);
    const street = zipf(20, 0.8, rand);
    const t0 = Date.parse('2026-11-01T00:00:00Z');
    const fingerprint = () => Array.from({ length: 16 }, () => Math.floor(rand() * 16).toString(16)).join('');
    const gen = (i: number, n: number): Gen => {
      const d = layout === 'city' ? district() : 0;
      const kw = [...new Set(Array.from({ length: 8 }, () => `w${word()}`))];
      return {
        fingerprint: fingerprint(), category: 'c' + Math.floor(rand() * 8), district: `D${d}`,
        street: layout === 'city' && rand() < 0.1 ? null : `S${d}-${layout === 'city' ? street() : 0}`, community: null,
        bigrams: [...new Set(Array.from({ length: 120 }, () => `g${bigram()}`))], keywords: kw,
        topics: rand() < 2 / 3 ? [`t${topic()}`] : [], buildings: [], createdAt: new Date(t0 + Math.floor((i / n) * 7 * 86_400_000)),
      };
    };
    const nearDuplicate = (c: Gen): Gen => {
      const fp = BigInt('0x' + c.fingerprint) ^ (1n << BigInt(Math.floor(rand() * 64))) ^ (1n << BigInt(Math.floor(rand() * 64)));
      return {
        ...c, fingerprint: fp.toString(16).padStart(16, '0'),
        keywords: [...c.keywords.slice(0, 5), 'wx1', 'wx2', 'wx3'],
        bigrams: [...c.bigrams.filter(() => rand() < 0.7), ...Array.from({ length: 30 }, () => `g${bigram()}`)],
        createdAt: new Date(c.createdAt.getTime() + 3_600_000),
      };
    };
    const results: Record<string, number | string | null>[] = [];
    try {
      await migrate(sql);
      // one connection (poolMax 1), so its backend's CPU is the database's work for the probes
      const backend = url ? await backendPid(sql) : null;
      const all: Gen[] = [];
      for (const n of sizes) {
        // created over the 7 days of the largest size: every open case is in each probe's window
        while (all.length < n) {
          const batch = Array.from({ length: Math.min(2000, n - all.length) }, (_, j) => gen(all.length + j, sizes.at(-1)!));
          await insertDupBenchCases(sql, batch.map((b, j) => ({
            trackingNo: `B${all.length + j}`, district: b.district, street: b.street, category: b.category, fingerprint: b.fingerprint, createdAt: b.createdAt,
            features: { keys: candidateKeys(b), storedKeys: storedDupKeys(candidateKeys(b), b), bigrams: b.bigrams, topics: b.topics, buildings: b.buildings, keywords: b.keywords },
          })));
          all.push(...batch);
        }
        await analyzeDupBench(sql);
        const probe = Array.from({ length: probes }, (_, i) => (i % 5 === 0 ? nearDuplicate(all[Math.floor(rand() * all.length)]) : gen(Math.floor(rand() * n), n)));
        const t = { step: 0, score: 0, total: 0, cands: 0, dups: 0, found: 0 };
        const placeOf = (p: Gen) => {
          const at = p.createdAt.getTime();
          return { since: new Date(at - 7 * 86_400_000), until: new Date(at + 7 * 86_400_000), district: p.district, street: p.street };
        };
        const plansBefore = await preparedPlans(sql);
        const server0 = backendCpuNs(backend);
        const cpu0 = process.cpuUsage();
        for (const [i, p] of probe.entries()) {
          const s0 = performance.now();
          let merged = false;
          await sql.begin(async (tx) => {
            const a = performance.now();
            // as the worker sends them (core/cases/open-case-for-message.ts): both before either is awaited
            const lock = lockDuplicateKeys(tx, [p.district, p.street].filter((x): x is string => !!x), p.topics);
            const found = listDuplicateCandidates(tx, { ...placeOf(p), keys: candidateKeys(p) });
            const [, { indexed }] = await Promise.all([lock, found]);
            const b = performance.now();
            for (const r of indexed) if (isDuplicate(scoreFeatures(p, r))) merged = true;
            t.step += b - a; t.score += performance.now() - b; t.cands += indexed.length;
          });
          t.total += performance.now() - s0;
          if (i % 5 === 0) {
            t.dups++;
            if (merged) t.found++;
          }
        }
        const cpu = process.cpuUsage(cpu0);
        const server1 = backendCpuNs(backend);
        // the floor of that step on this machine and driver: two empty statements sent the same way
        let floor = 0;
        const floorCpu0 = process.cpuUsage();
        for (let i = 0; i < probes; i++) {
          await sql.begin(async (tx) => {
            const a = performance.now();
            await twoEmptyStatements(tx);
            floor += performance.now() - a;
          });
        }
        const floorCpu = process.cpuUsage(floorCpu0);
        // whether the server planned the candidate statement at every call or reused one generic plan
        // (postgres.js prepares each statement on the connection; the server decides after five runs)
        // (counted since the connection opened: this size's are the difference from the size before)
        const plansNow = await preparedPlans(sql);
        const plans = plansNow && plansBefore && { generic: plansNow.generic - plansBefore.generic, custom: plansNow.custom - plansBefore.custom };
        const ex = { lockPlan: 0, lockExec: 0, candPlan: 0, candExec: 0, candMaxExec: 0 };
        const seqScans = new Set<string>();
        let slowest = probe[0];
        for (const p of probe) {
          await sql.begin(async (tx) => {
            const lq = duplicateLockQuery(tx, [p.district, p.street].filter((x): x is string => !!x), p.topics);
            if (lq) {
              const l = await explain(tx, lq);
              ex.lockPlan += l.planning; ex.lockExec += l.execution;
            }
            const c = await explain(tx, duplicateCandidatesQuery(tx, { ...placeOf(p), keys: candidateKeys(p) }));
            ex.candPlan += c.planning; ex.candExec += c.execution; if (c.execution > ex.candMaxExec) { ex.candMaxExec = c.execution; slowest = p; }
            for (const s of c.seqScans) if (s !== 'case_dup_legacy') seqScans.add(s);
          });
        }
        if (values.plan) {
          // the candidate statement that ran longest under EXPLAIN, its plan with per-node times (stderr)
          await sql.begin(async (tx) => {
            const p = slowest;
            const lines = await explainText(tx, duplicateCandidatesQuery(tx, { ...placeOf(p), keys: candidateKeys(p) }));
            console.error(`${layout}, ${n} open cases, the slowest candidate statement:\n${lines.join('\n')}`);
          });
        }
        const r = {
          openCases: n, msPerCase: round(t.total / probes), stepMs: round(t.step / probes), emptyStepMs: round(floor / probes), scoreMs: round(t.score / probes),
          cpuMsPerCase: round((cpu.user + cpu.system) / 1000 / probes), emptyCpuMsPerCase: round((floorCpu.user + floorCpu.system) / 1000 / probes),
          serverCpuMsPerCase: server0 !== null && server1 !== null ? round((server1 - server0) / 1e6 / probes) : null,
          lockPlanMs: round(ex.lockPlan / probes), lockExecMs: round(ex.lockExec / probes), candidatePlanMs: round(ex.candPlan / probes),
          candidateExecMs: round(ex.candExec / probes), candidateMaxExecMs: round(ex.candMaxExec), seqScans: [...seqScans].sort().join(' ') || 'none',
          candidateGenericPlans: plans?.generic ?? null, candidateCustomPlans: plans?.custom ?? null,
          candidatesPerCase: round(t.cands / probes, 1), duplicates: t.dups, found: t.found, load1: round(loadavg()[0], 2),
        };
        results.push(r);
        console.log(`${layout}, ${n} open cases: ${r.msPerCase} ms per case wall (the lock and candidate round trip ${r.stepMs}, two empty statements' ${r.emptyStepMs}, scoring ${r.scoreMs}; CPU ${r.cpuMsPerCase} here (${r.emptyCpuMsPerCase} with the two empty statements), ${r.serverCpuMsPerCase ?? '-'} in the database); `
          + `server per statement: lock plan ${r.lockPlanMs} + exec ${r.lockExecMs}, candidates plan ${r.candidatePlanMs} + exec ${r.candidateExecMs} (max ${r.candidateMaxExecMs}), seq scans: ${r.seqScans}; `
          + `the candidate statement as sent: ${r.candidateGenericPlans ?? '-'} calls on its generic plan, ${r.candidateCustomPlans ?? '-'} planned anew; `
          + `${r.candidatesPerCase} candidates, near-duplicates merged ${r.found}/${r.duplicates}, load ${r.load1}`);
      }
    } finally {
      await db.close();
      if (url && schema) {
        const admin = await connectDatabase({ databaseUrl: url, dataDir: '', poolMax: 1 });
        await dropSchema(admin.sql, schema);
        await admin.close();
      }
    }
    out.push({ layout, results });
  }
  console.log(JSON.stringify({ backend: url ? 'postgres' : 'pglite', probes, layouts: out }));
  return 0;
}
