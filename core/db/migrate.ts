// Append-only numbered SQL migrations (core/db/migrations/NNNN_name.sql), each in a transaction,
// serialised across processes by an advisory lock. A failure stops with the file named.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sql } from './connect';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const LOCK_ID = 7_312_451; // arbitrary, constant: one migrator at a time per database

export interface Migration {
  version: number;
  name: string;
  file: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => /^\d{4}_[a-z0-9_-]+\.sql$/.test(f)).sort();
  const seen = new Set<number>();
  return files.map((file) => {
    const version = Number(file.slice(0, 4));
    if (seen.has(version)) throw new Error(`migrations: two files share version ${version}`);
    seen.add(version);
    const sql = readFileSync(path.join(dir, file), 'utf8');
    return { version, name: file.slice(5, -4), file, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

export class MigrationError extends Error {
  constructor(message: string, readonly file?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** Applies pending migrations; returns the files applied. */
export async function migrate(sql: Sql, opts: { dir?: string; log?: (msg: string) => void } = {}): Promise<string[]> {
  const migrations = listMigrations(opts.dir);
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${LOCK_ID})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`;
    const done = await tx<{ version: number; name: string; checksum: string }[]>`
      SELECT version, name, checksum FROM schema_migrations ORDER BY version`;
    const byVersion = new Map(done.map((d) => [d.version, d]));
    for (const m of migrations) {
      const prior = byVersion.get(m.version);
      if (prior) {
        if (prior.checksum !== m.checksum) {
          throw new MigrationError(`migration ${m.file} was changed after it was applied; add a new migration instead`, m.file);
        }
        continue;
      }
      try {
        await tx.unsafe(m.sql);
      } catch (err) {
        throw new MigrationError(`migration ${m.file} failed: ${(err as Error).message}`, m.file, { cause: err });
      }
      await tx`INSERT INTO schema_migrations (version, name, checksum) VALUES (${m.version}, ${m.name}, ${m.checksum})`;
      opts.log?.(`applied ${m.file}`);
      applied.push(m.file);
    }
  });
  return applied;
}
