// Browser tests: Debian's Chromium driven by playwright-core (never a downloaded browser), against
// the real service started in-process the way bin/start.ts wires it (embedded PGlite in a temp
// folder, in-process jobs, demo data), serving a dashboard built fresh into a temp folder — a stale
// dashboard/dist can never hide a change.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { getAppState } from '../../core/db/app-state';
import type { Sql } from '../../core/db/connect';
import { loadConfig } from '../../core/config';
import { loadDemo } from '../../core/demo/load';
import { sweepTopics } from '../../core/opinion/topics';
import { createLogger } from '../../core/logger';
import { InProcessQueue } from '../../core/queue/in-process';
import { openDatabase, openQueue } from '../../core/runtime';
import { createProcessors, schedulePeriodic } from '../../workers/processors/index';
import { freePort } from './net';
import { allowFor, waitFor, WAIT_MS } from './pipeline';
import { shipped } from './cases';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';

/** true when the browser tests can run; without Chromium they skip with one line, unless CI requires them */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI_REQUIRE_SERVICES === '1') throw new Error(`${CHROMIUM} is missing and CI_REQUIRE_SERVICES=1: browser tests may not skip`);
  console.log(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** Builds the dashboard from the current sources into `outDir`. */
export async function buildDashboard(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'dashboard/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

export interface RunningService {
  base: string;
  tmp: string;
  /** the service's database, for a test that sets up a case the UI cannot make (e.g. one received on a chosen day) */
  sql: Sql;
  /** staff API call with a bearer token */
  apiJson<T>(pathname: string, token?: string): Promise<T>;
  stop(): Promise<void>;
}

export async function startService(opts: { demoMessages: number }): Promise<RunningService> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'minsheng-browser-'));
  const dashboardDir = path.join(tmp, 'dashboard');
  await buildDashboard(dashboardDir);
  const config = loadConfig({ DATA_DIR: path.join(tmp, 'data'), LOG_LEVEL: 'silent', DEMO_MESSAGES: String(opts.demoMessages), PORTAL_RATE_LIMIT: '100' });
  const logger = createLogger({ level: 'silent' });
  const db = await openDatabase(config, logger, { departments: shipped.departments });
  const queue = openQueue(config, logger) as InProcessQueue;
  queue.register(createProcessors({ db, queue, logger, config, shipped }));
  await schedulePeriodic({ db, queue, logger, config, shipped });
  const port = await freePort();
  const server = await listen(createApp({ db, queue, config, logger, dashboardDir, shipped }), '127.0.0.1', port);
  await loadDemo({ sql: db.sql, logger, count: opts.demoMessages, shipped });
  await waitFor(async () => (await getAppState<{ done: boolean }>(db.sql, 'demo'))?.done, allowFor(opts.demoMessages, 50), 250, 'the demo load is done');
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    tmp,
    sql: db.sql,
    async apiJson<T>(pathname: string, token?: string) {
      const res = await fetch(base + pathname, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!res.ok) throw new Error(`${pathname}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async stop() {
      await new Promise<void>((r) => server.close(() => r()));
      await queue.close();
      await db.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** A page at a viewport width whose console errors and page errors are collected. */
export async function openPage(browser: Browser, width: number): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  // Playwright's 30 s default is for an idle machine; a loaded 2-core one can take longer to render
  context.setDefaultTimeout(90_000);
  context.setDefaultNavigationTimeout(90_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/**
 * Screenshots go to BROWSER_SHOTS_DIR (default: a temp folder kept after the run, one per test
 * process so two runs side by side do not write the same files).
 */
export function shotsDir(): string {
  return process.env.BROWSER_SHOTS_DIR ?? path.join(os.tmpdir(), 'minsheng-browser-shots', String(process.pid));
}

export interface BrowserSuite {
  /** false when Chromium is missing outside CI: the file's tests skip */
  readonly run: boolean;
  /** where this file's screenshots go (created before the first test) */
  readonly shots: string;
  /** the running service and browser, set in beforeAll */
  readonly service: RunningService;
  readonly browser: Browser;
  /** fills and sends the dashboard's login form (the demo accounts' password is their name) */
  submitLogin(page: Page, name: string, password?: string): Promise<void>;
  /** submitLogin, then waits for the signed-in user's menu */
  login(page: Page, name: string, password?: string): Promise<void>;
}

/**
 * The set-up every browser test file shares: the embedded service with a small demo, one Chromium,
 * both stopped after the file. Registers the file's beforeAll/afterAll; `withTopics` runs the topic
 * sweep once the demo is loaded (for the pages that show topics).
 */
export function browserSuite(opts: { demoMessages: number; shotsSubdir?: string; withTopics?: boolean }): BrowserSuite {
  const run = browserAvailable();
  const shots = opts.shotsSubdir ? path.join(shotsDir(), opts.shotsSubdir) : shotsDir();
  let service: RunningService | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!run) return;
    mkdirSync(shots, { recursive: true });
    service = await startService({ demoMessages: opts.demoMessages });
    browser = await launchChromium();
    // the demo loader opens cases directly; the topic sweep gives their messages topics as the worker would
    if (opts.withTopics) await sweepTopics(service.sql, new Date());
    // from the work: a dashboard build (some 10 s idle), the demo load, a browser start
  }, allowFor(1, 10_000) + allowFor(opts.demoMessages, opts.withTopics ? 80 : 50) + 2 * WAIT_MS);
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });
  return {
    run,
    shots,
    get service() {
      if (!service) throw new Error('the browser suite is not started (beforeAll has not run or failed)');
      return service;
    },
    get browser() {
      if (!browser) throw new Error('the browser suite is not started (beforeAll has not run or failed)');
      return browser;
    },
    async submitLogin(page, name, password = name) {
      // a fresh start: the session of an earlier login would show its own user at once
      await page.context().clearCookies();
      await page.goto(`${this.service.base}/#/login`);
      await page.reload();
      await page.locator('input[name=name]').fill(name);
      await page.locator('input[name=password]').fill(password);
      await page.getByRole('button', { name: '登录', exact: true }).click();
    },
    async login(page, name, password = name) {
      await this.submitLogin(page, name, password);
      await page.getByTestId('current-user').waitFor();
    },
  };
}
