// Departments (承办单位) of the city, loaded from lexicons/departments.json into the database.
import type { Db } from './connect';

export interface DepartmentRow {
  code: string;
  name: string;
  shortName: string;
  kind: 'city-bureau' | 'district' | 'utility' | 'centre' | 'other';
  district: string | null;
  leaderTitle: string | null;
  phone: string | null;
  active: boolean;
}

export async function upsertDepartments(sql: Db, list: Omit<DepartmentRow, 'active'>[]): Promise<void> {
  if (!list.length) return;
  const rows = list.map((d) => ({
    code: d.code, name: d.name, short_name: d.shortName, kind: d.kind, district: d.district, leader_title: d.leaderTitle, phone: d.phone,
  }));
  await sql`
    INSERT INTO departments ${sql(rows as never, 'code', 'name', 'short_name', 'kind', 'district', 'leader_title', 'phone')}
    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, short_name = EXCLUDED.short_name, kind = EXCLUDED.kind,
      district = EXCLUDED.district, leader_title = EXCLUDED.leader_title, phone = EXCLUDED.phone, updated_at = now()`;
}

export async function listDepartments(sql: Db): Promise<DepartmentRow[]> {
  return sql<DepartmentRow[]>`
    SELECT code, name, short_name, kind, district, leader_title, phone, active
    FROM departments ORDER BY kind, code`;
}

export async function getDepartment(sql: Db, code: string): Promise<DepartmentRow | undefined> {
  const [d] = await sql<DepartmentRow[]>`
    SELECT code, name, short_name, kind, district, leader_title, phone, active
    FROM departments WHERE code = ${code}`;
  return d;
}
