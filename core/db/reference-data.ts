// Reference data the product ships in lexicons/ (departments), written into the database on start.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Sql } from './connect';
import { upsertDepartments } from './departments';

const LEXICONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../lexicons');

const departmentSchema = z.object({
  code: z.string().min(1).max(64),
  name: z.string().min(1),
  shortName: z.string().min(1),
  kind: z.enum(['city-bureau', 'district', 'utility', 'centre', 'other']),
  district: z.string().nullable().optional(),
  /** the supervising leader's title (督办 goes to them) */
  supervisor: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
});
const departmentsFileSchema = z.object({ departments: z.array(departmentSchema).min(1) });

export function loadDepartmentsLexicon(file = path.join(LEXICONS, 'departments.json')) {
  if (!existsSync(file)) throw new Error(`${file} is missing: the product ships its departments there`);
  const parsed = departmentsFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`${file}: ${i.path.join('.')}: ${i.message}`);
  }
  return parsed.data.departments.map((d) => ({
    code: d.code,
    name: d.name,
    shortName: d.shortName,
    kind: d.kind,
    district: d.district ?? null,
    leaderTitle: d.supervisor ?? null,
    phone: d.phone ?? null,
  }));
}

export async function seedReferenceData(sql: Sql): Promise<void> {
  await upsertDepartments(sql, loadDepartmentsLexicon());
}
