// Each test gets its own database: a fresh schema on the real server, or a fresh in-memory PGlite.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connectDatabase, type Database } from '../../core/db/connect';
import { migrate } from '../../core/db/migrate';
import { loadDepartments } from '../../core/cases/routing';
import { seedReferenceData } from '../../core/db/reference-data';

export interface TestDatabase extends Database {
  schema: string | null;
}

export async function createTestDatabase(opts: { seed?: boolean } = {}): Promise<TestDatabase> {
  const pgUrl = inject('pgUrl');
  let db: Database;
  let schema: string | null = null;
  if (pgUrl) {
    schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = await connectDatabase({ databaseUrl: pgUrl, dataDir: '', poolMax: 1 });
    await admin.sql.unsafe(`CREATE SCHEMA ${schema}`);
    await admin.close();
    db = await connectDatabase({ databaseUrl: pgUrl, dataDir: '', poolMax: 4, schema });
  } else {
    db = await connectDatabase({ dataDir: '', inMemory: true });
  }
  await migrate(db.sql);
  if (opts.seed !== false) await seedReferenceData(db.sql, { departments: loadDepartments() });
  const close = db.close;
  return {
    ...db,
    schema,
    async close() {
      await close();
      if (schema && pgUrl) {
        const admin = await connectDatabase({ databaseUrl: pgUrl, dataDir: '', poolMax: 1 });
        await admin.sql.unsafe(`DROP SCHEMA ${schema} CASCADE`);
        await admin.close();
      }
    },
  };
}

export function redisUrlOrNull(): string | null {
  return inject('redisUrl');
}

/** A queue prefix no other test shares. */
export function uniquePrefix(): string {
  return `mstest-${randomBytes(5).toString('hex')}`;
}
