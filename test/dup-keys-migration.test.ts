// Migration 0117 on a database that already holds cases: the keys of cases closed before it are
// filed closed, the open ones' stay open, and the trigger keeps them so from then on.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectDatabase } from '../core/db/connect';
import { listMigrations, migrate } from '../core/db/migrate';

describe('migration 0117 (case_dup_keys.open)', () => {
  it('files the keys of cases closed before it as closed, and follows later status changes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mig-0116-'));
    const embedded = await connectDatabase({ dataDir: '', inMemory: true });
    try {
      const from = path.join(path.dirname(new URL(import.meta.url).pathname), '../core/db/migrations');
      for (const m of listMigrations().filter((x) => x.version < 117)) copyFileSync(path.join(from, m.file), path.join(dir, m.file));
      await migrate(embedded.sql, { dir });
      const sql = embedded.sql;
      const at = new Date('2026-11-02T03:25:00Z');
      const ids: Record<string, number> = {};
      for (const [no, status] of [['A1', 'dispatched'], ['A2', 'closed'], ['A3', 'merged']] as const) {
        const [c] = await sql<{ id: number }[]>`
          INSERT INTO cases (tracking_no, status, summary, channel, district, street, category, created_at)
          VALUES (${no}, ${status}, '-', 'portal', '镜湖区', '赭山街道', '城乡建设', ${at}) RETURNING id`;
        ids[status] = c.id;
        await sql`INSERT INTO case_dup_keys (key, created_at, case_id) VALUES (${'s:赭山街道|t:路灯'}, ${at}, ${c.id}), (${'d:镜湖区|t:路灯'}, ${at}, ${c.id})`;
      }
      expect((await migrate(sql))[0]).toBe('0117_case_dup_keys_open.sql'); // and any later ones
      const state = async () => Object.fromEntries((await sql<{ caseId: number; open: boolean[] }[]>`
        SELECT case_id, array_agg(DISTINCT open) AS open FROM case_dup_keys GROUP BY case_id`).map((r) => [r.caseId, r.open]));
      expect(await state()).toEqual({ [ids.dispatched]: [true], [ids.closed]: [false], [ids.merged]: [false] });
      await sql`UPDATE cases SET status = 'returned' WHERE id = ${ids.closed}`;
      await sql`UPDATE cases SET status = 'closed' WHERE id = ${ids.dispatched}`;
      expect(await state()).toEqual({ [ids.dispatched]: [false], [ids.closed]: [true], [ids.merged]: [false] });
    } finally {
      await embedded.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
