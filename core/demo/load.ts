// Loads the demo data set on first start: a month of generated Wuhu messages, stored through the
// same intake and opened as cases by the same pipeline step (duplicates merge), each at its own
// (past) time; then the cases live their pasts through the case service (see lifecycles.ts), and
// demo staff accounts are made. Idempotent: killed half-way and started again, it neither
// duplicates nor loses anything.
import type { Sql } from '../db/connect';
import { getAppState, initAppState, setAppState } from '../db/app-state';
import { insertMessages, listMessagesWithoutCase } from '../db/messages';
import { openCaseForMessage } from '../cases/open-case-for-message';
import type { Shipped } from '../shipped/index';
import { ensureDemoStaff } from '../auth/staff';
import { generateDemoMessages } from './generate';
import { driveDemoLifecycles } from './lifecycles';

export interface DemoState {
  seed: number;
  /** the moment the demo month ends; fixed at first start so a restart regenerates the same data */
  anchor: string;
  count: number;
  done: boolean;
}

export async function loadDemo(opts: {
  sql: Sql;
  logger: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  shipped: Shipped;
  count: number;
  seed?: number;
  now?: Date;
  /** embedded: the size of PGlite's WASM heap, reported with the process's memory */
  heapBytes?: () => number;
  /** false: the lifecycles one case after another (the same pasts; tests compare the two) */
  interleave?: boolean;
}): Promise<{ loaded: number; skipped: boolean }> {
  // the demo accounts' tokens are public: they exist only where the demo data set is loaded. Their
  // scrypt password hashes (some 100 ms of CPU each, one account per department) are computed on
  // libuv's thread pool while this thread loads the data; the load is done once they are stored
  const staffReady = ensureDemoStaff(opts.sql).then((staff) => {
    opts.logger.info(
      {
        admin: 'demo-admin', centre: 'demo-centre', leader: 'demo-leader', departments: `demo-<department code>, e.g. ${staff.find((u) => u.role === 'department')?.username}`,
        passwords: 'the same as the name (public: demo only)',
      },
      'demo staff accounts: log in with name and password, or send Authorization: Bearer <name>',
    );
  });
  staffReady.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
  const existing = await getAppState<DemoState>(opts.sql, 'demo');
  if (existing?.done) {
    await staffReady;
    return { loaded: 0, skipped: true };
  }
  const state = await initAppState<DemoState>(opts.sql, 'demo', {
    seed: opts.seed ?? 12345,
    anchor: (opts.now ?? new Date()).toISOString(),
    count: opts.count,
    done: false,
  });
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  const cpuMs = () => {
    const c = process.cpuUsage(cpu0);
    return Math.round((c.user + c.system) / 1000);
  };
  const messages = generateDemoMessages({ seed: state.seed, count: state.count, now: new Date(state.anchor), days: 30, gazetteer: opts.shipped.gazetteer, accounts: opts.shipped.accounts });
  messages.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  const ctx = { sql: opts.sql, policy: opts.shipped.sla.policy, calendar: opts.shipped.sla.calendar, router: opts.shipped.router };
  // the system dispatches a few minutes after receipt, as it would have on that day
  const openPending = async () => {
    const pending = await listMessagesWithoutCase(opts.sql);
    for (const m of pending) await openCaseForMessage(ctx, m.id, new Date(Math.min(m.receivedAt.getTime() + 3 * 60_000, Date.now())));
    return pending.length;
  };
  // messages stored by an earlier, interrupted start first; then chunk by chunk, each stored and
  // opened within seconds so the periodic sweep never races the loader for them
  const generatedMs = Date.now() - started;
  let opened = await openPending();
  for (let i = 0; i < messages.length; i += 100) {
    await insertMessages(opts.sql, messages.slice(i, i + 100));
    opened += await openPending();
  }
  const openedMs = Date.now() - started;
  const openedCpuMs = cpuMs();
  const count = messages.length;
  messages.length = 0; // the generated set is not held after it is stored
  const driven = await driveDemoLifecycles(opts.sql, { ...ctx }, { seed: state.seed, now: new Date(state.anchor), interleave: opts.interleave });
  const drivenMs = Date.now() - started - openedMs;
  const drivenCpuMs = cpuMs() - openedCpuMs;
  await staffReady;
  await setAppState(opts.sql, 'demo', { ...state, done: true });
  const mb = (n: number) => Math.round(n / 1048576);
  const m = process.memoryUsage();
  opts.logger.info({
    messages: count, casesOpened: opened, casesDriven: driven, ms: Date.now() - started,
    // wall time of each step, and this process's CPU time (all threads: the hashes' pool too), less
    // disturbed by other work on a shared machine
    steps: { generatedMs, openedMs, drivenMs, staffWaitMs: Date.now() - started - openedMs - drivenMs, openedCpuMs, drivenCpuMs },
    // the process's memory at this moment (MB): the figures of `npm run bench -- embedded`; pgliteHeap
    // is PGlite's WASM memory (part of rss and of arrayBuffers: shared_buffers, caches, initdb's leftovers)
    memory: {
      rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers),
      ...(opts.heapBytes ? { pgliteHeap: mb(opts.heapBytes()) } : {}),
    },
  }, 'demo data loaded');
  return { loaded: count, skipped: false };
}
