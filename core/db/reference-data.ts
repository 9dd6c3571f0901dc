// Reference data the product ships (departments), written into the database on start. The caller
// passes the data in, loaded and validated from lexicons/ (core/cases/routing.ts loadDepartments).
import type { Db } from './connect';
import { upsertDepartments, type DepartmentRow } from './departments';

/** A department as lexicons/departments.json declares it. */
export interface ShippedDepartment {
  code: string;
  name: string;
  shortName: string;
  kind: DepartmentRow['kind'];
  district?: string;
  /** 分管领导, stored as the department's leader title */
  supervisor: string;
  phone: string;
}

export async function seedReferenceData(sql: Db, data: { departments: ShippedDepartment[] }): Promise<void> {
  await upsertDepartments(
    sql,
    data.departments.map((d) => ({
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
