// What the login page and the dashboard's forms need to know: the demo accounts (their passwords and
// tokens are public, see ensureDemoStaff) and the reference lists (departments, categories, districts).
import type { Db } from '../db/connect';
import { listDepartments } from '../db/departments';
import { listDemoStaff } from '../db/staff-users';
import type { Gazetteer } from '../places/gazetteer';
import { categoryLabels } from '../nlp/category';
import { OPEN_STATUSES, type CaseStatus } from '../cases/statuses';
import { REQUEST_TYPES, sentimentLabelSchema, urgencySchema, type RequestType, type SentimentLabel, type Urgency } from '../nlp/types';
import type { StaffRole } from './staff';

export interface DemoAccount {
  /** the account's name, which is also its password and its bearer token (all public) */
  name: string;
  password: string;
  token: string;
  displayName: string;
  role: StaffRole;
  departmentCode: string | null;
  departmentName: string | null;
}

/** Active demo accounts; their username is their password and their token (all `demo-…`). */
export async function listDemoAccounts(sql: Db): Promise<DemoAccount[]> {
  return (await listDemoStaff<StaffRole>(sql)).map((a) => ({ ...a, name: a.token, password: a.token }));
}

export interface ReferenceLists {
  departments: { code: string; name: string; shortName: string; kind: string }[];
  categories: string[];
  districts: string[];
  /** the one list of each, sent so the dashboard keeps no copy */
  requestTypes: RequestType[];
  urgencies: Urgency[];
  sentiments: SentimentLabel[];
  openStatuses: CaseStatus[];
}

export async function referenceLists(sql: Db, gazetteer: Gazetteer): Promise<ReferenceLists> {
  const departments = (await listDepartments(sql)).filter((d) => d.active).map((d) => ({ code: d.code, name: d.name, shortName: d.shortName, kind: d.kind }));
  return {
    departments,
    categories: [...categoryLabels()],
    districts: gazetteer.districts.map((d) => d.name),
    requestTypes: [...REQUEST_TYPES],
    urgencies: [...urgencySchema.options],
    sentiments: [...sentimentLabelSchema.options],
    openStatuses: [...OPEN_STATUSES],
  };
}
