// A broken shipped file stops every entry point at start-up: exit 78 and a line naming the file and
// the field, before any database is opened (a private DATA_DIR shows it stays empty).
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const tmp = mkdtempSync(path.join(tmpdir(), 'minsheng-shipped-start-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// a copy of lexicons/ whose routing table sends rule 12 to a department that does not exist
const lexicons = path.join(tmp, 'lexicons');
cpSync(path.join(root, 'lexicons'), lexicons, { recursive: true, filter: (src) => !src.includes(`${path.sep}seed`) });
const routing = JSON.parse(readFileSync(path.join(lexicons, 'routing.json'), 'utf8'));
routing.rules[12].department = 'foo';
writeFileSync(path.join(lexicons, 'routing.json'), JSON.stringify(routing));
const dataDir = path.join(tmp, 'data');

// one tsx start costs a second or two on an idle machine and much more on a loaded 2-core one
const PER_RUN_MS = 60_000;

function entry(script: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stderr: string }> {
  const e: NodeJS.ProcessEnv = { ...process.env, LEXICON_DIR: lexicons, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', ...env };
  for (const k of ['DATABASE_URL', 'REDIS_URL'] as const) if (!(k in env)) delete e[k];
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [script], { cwd: root, env: e, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

const MESSAGE = /routing\.json: rules\.12\.department: unknown department "foo"/;
// the services need these set to get as far as reading the shipped data; nothing listens there
const SERVICES = { DATABASE_URL: 'postgres://127.0.0.1:9/none', REDIS_URL: 'redis://127.0.0.1:9' };

describe('start-up with a broken shipped file', () => {
  it('npm start, start:api and start:worker exit naming the file and the field', async () => {
    for (const [script, env] of [['bin/start.ts', {}], ['api/server.ts', SERVICES], ['workers/main.ts', SERVICES]] as const) {
      const r = await entry(script, env);
      expect(r.stderr, script).toMatch(MESSAGE);
      expect(r.status, script).toBe(78);
    }
    expect(readdirSync(tmp)).toEqual(['lexicons']); // no database was opened
  }, 3 * PER_RUN_MS);
});
