// `npm run --silent bench -- embedded [--runs N] [--messages N] [--npm]`: the embedded process
// (`npm start`: PGlite, in-process runner, demo data) on a scratch data directory and port. Each run
// starts it fresh, waits until the server logs "demo data loaded" (the moment the loader committed
// its done flag) and /api/v1/stats/overview says so too (demo.done, what the dashboard reads: that
// answer is cached up to 30 s, so it is printed apart), then prints the time to loaded, the resident set size (VmRSS) of every process
// of the tree summed, at loaded and at its peak while loading, and the server's own heap figures
// (its "demo data loaded" log line). `--npm` starts it through `npm start` (npm and tsx's wrapper
// count in the tree); by default one node process, as the start test does.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCommandArgs, UsageError } from '../../core/util/args';
import { ROOT, sleep } from './common';

export const EMBEDDED_USAGE = 'usage: npm run --silent bench -- embedded [--runs N] [--messages N] [--npm]';
const log = (msg: string) => process.stderr.write(`bench embedded: ${msg}\n`);

/** VmRSS in kB of a process, 0 when gone. */
function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The process and every descendant (from /proc/<pid>/stat parent ids). */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(root);
  return out;
}

function treeRss(root: number): { totalMb: number; byPid: Record<string, number> } {
  const byPid: Record<string, number> = {};
  let kb = 0;
  for (const p of tree(root)) {
    const r = rssKb(p);
    kb += r;
    let name = '?';
    try {
      name = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(0, 3).map((s) => path.basename(s)).join(' ');
    } catch {
      // gone
    }
    byPid[`${p} ${name}`] = Math.round(r / 1024);
  }
  return { totalMb: Math.round(kb / 1024), byPid };
}

/** CPU seconds (user + system) of a process tree so far. */
function treeCpuS(root: number): number {
  let ticks = 0;
  for (const p of tree(root)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone
    }
  }
  return ticks / 100;
}

const positiveInt = (name: string, v: string | undefined, dflt: number, max: number) => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be an integer from 1 to ${max} (--${name} 须为 1 到 ${max} 的整数)`);
  return n;
};

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The node flags `npm start` gives (package.json's start script: the V8 heap cap), so a run without npm measures the same process. */
function startScriptNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).filter((a) => /^--max-old-space-size=\d+$/.test(a));
}

async function oneRun(i: number, messages: number, viaNpm: boolean) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'minsheng-bench-embedded-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', DEMO_MESSAGES: String(messages), LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const t0 = Date.now();
  const proc: ChildProcess = viaNpm
    ? spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [...startScriptNodeFlags(), '--import', 'tsx', path.join(ROOT, 'bin/start.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  let loadedLine: Record<string, unknown> | null = null;
  let runningAt: number | null = null;
  let connectedAt: number | null = null;
  let loadedAt: number | null = null;
  let rssAtLoadedLine: number | null = null;
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.includes('"demo data loaded"')) {
        loadedLine = JSON.parse(line);
        loadedAt ??= Date.now();
        if (proc.pid) rssAtLoadedLine = treeRss(proc.pid).totalMb;
      }
      if (line.includes('"database connected"')) connectedAt ??= Date.now();
      if (line.includes('is running"')) runningAt ??= Date.now();
    }
  });
  proc.stderr!.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-4000)));
  let peakMb = 0;
  const sampler = setInterval(() => {
    if (proc.pid) peakMb = Math.max(peakMb, treeRss(proc.pid).totalMb);
  }, 200);
  try {
    const limit = Date.now() + 30 * 60_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`npm start exited (${proc.exitCode}): ${tail}`);
      const o = await fetch(`http://127.0.0.1:${port}/api/v1/stats/overview`).then((r) => (r.ok ? (r.json() as Promise<{ demo?: { done: boolean } }>) : null), () => null);
      if (o?.demo?.done) break;
      if (Date.now() > limit) throw new Error('the demo was not loaded within 30 minutes');
      await sleep(250);
    }
    const overviewMs = Date.now() - t0;
    const loadedMs = (loadedAt ?? Date.now()) - t0;
    const cpuS = treeCpuS(proc.pid!); // at the overview's done: the loader's CPU and a few polls after
    const atLoaded = treeRss(proc.pid!);
    await sleep(5000); // settled: what the periodic sweeps do right after
    const settled = treeRss(proc.pid!);
    peakMb = Math.max(peakMb, settled.totalMb);
    const r = {
      run: i,
      messages,
      // connected: PGlite up (on a new data directory its initdb), before the migrations
      secondsToDatabase: connectedAt ? Math.round((connectedAt - t0) / 100) / 10 : null,
      secondsToRunning: runningAt ? Math.round((runningAt - t0) / 100) / 10 : null,
      secondsToLoaded: Math.round(loadedMs / 100) / 10,
      secondsToOverviewDone: Math.round(overviewMs / 100) / 10,
      cpuSecondsToLoaded: Math.round(cpuS * 10) / 10,
      rssMbAtLoaded: rssAtLoadedLine ?? atLoaded.totalMb,
      rssMbAtOverviewDone: atLoaded.totalMb,
      rssMbSettled: settled.totalMb,
      rssMbPeak: peakMb,
      processes: settled.byPid,
      server: loadedLine ? (loadedLine as { memory?: unknown; steps?: unknown }).memory ?? null : null,
      demoSteps: loadedLine ? (loadedLine as { steps?: unknown }).steps ?? null : null,
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    };
    log(JSON.stringify(r));
    return r;
  } finally {
    clearInterval(sampler);
    for (const p of proc.pid ? tree(proc.pid).reverse() : []) {
      try {
        process.kill(p, 'SIGTERM');
      } catch {
        // gone
      }
    }
    await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runEmbedded(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: { runs: { type: 'string' }, messages: { type: 'string' }, npm: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.error(EMBEDDED_USAGE);
    return 0;
  }
  const runs = positiveInt('runs', values.runs, 3, 20);
  const messages = positiveInt('messages', values.messages, 800, 100_000);
  const results: Awaited<ReturnType<typeof oneRun>>[] = [];
  for (let i = 1; i <= runs; i++) {
    log(`run ${i}/${runs}: ${values.npm ? 'npm start' : 'node bin/start.ts'}, ${messages} demo messages`);
    results.push(await oneRun(i, messages, !!values.npm));
  }
  const pick = (k: 'secondsToLoaded' | 'rssMbAtLoaded' | 'rssMbSettled' | 'rssMbPeak') => results.map((r) => r[k]);
  console.log(JSON.stringify({
    bench: 'embedded',
    via: values.npm ? 'npm start' : `node ${[...startScriptNodeFlags(), '--import tsx'].join(' ')} bin/start.ts`,
    messages,
    secondsToLoaded: pick('secondsToLoaded'),
    rssMbAtLoaded: pick('rssMbAtLoaded'),
    rssMbSettled: pick('rssMbSettled'),
    rssMbPeak: pick('rssMbPeak'),
    runs: results,
  }));
  return 0;
}
