// Reference data the product ships in lexicons/ (departments), written into the database on start.
import { loadDepartments } from '../cases/routing';
import type { Db } from './connect';
import { upsertDepartments } from './departments';

export async function seedReferenceData(sql: Db): Promise<void> {
  await upsertDepartments(
    sql,
    loadDepartments().map((d) => ({
      code: d.code,
      name: d.name,
      shortName: d.shortName,
      kind: d.kind,
      district: d.district ?? null,
      leaderTitle: d.supervisor,
      phone: d.phone,
    })),
  );
}
