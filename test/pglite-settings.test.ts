// The embedded database starts with small buffers (its shared_buffers live in this process's
// memory) and keeps the settings initdb wrote: they are start parameters, not a rewritten
// postgresql.conf — also when a data directory is opened again.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../core/db/connect';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ms-pglite-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('embedded PostgreSQL settings', () => {
  it('small buffers, initdb’s time zone and text search config, on a new and on a reopened data directory', async () => {
    for (let open = 0; open < 2; open++) {
      const db = await connectDatabase({ dataDir: dir });
      try {
        const [s] = await db.sql<{ sb: string; wm: string; tz: string; ts: string }[]>`
          SELECT current_setting('shared_buffers') AS sb, current_setting('work_mem') AS wm,
                 current_setting('TimeZone') AS tz, current_setting('default_text_search_config') AS ts`;
        expect(s).toEqual({ sb: '16MB', wm: '2MB', tz: 'UTC', ts: 'pg_catalog.english' });
      } finally {
        await db.close();
      }
    }
    expect(readFileSync(path.join(dir, 'pglite', 'postgresql.conf'), 'utf8')).toMatch(/timezone/i);
  });
});
