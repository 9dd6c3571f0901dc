// What each kind of staff account may do. Which lifecycle role may do which case action is declared
// once, in core/cases/lifecycle.ts (TRANSITIONS[type].roles and ownerOnly); this file says which
// lifecycle role each kind of account acts as, which cases it may see, and which staff areas it may
// open (the API guards them, the session lists them, the dashboard shows their pages).
import type { Actor } from '../cases/lifecycle';
import { STAFF_ROLES, type StaffRole, type StaffUser } from './staff';

export const STAFF_AREA_NAMES = ['cases', 'triage', 'admin', 'alerts', 'alertRules', 'reports'] as const;
export type StaffArea = (typeof STAFF_AREA_NAMES)[number];
export const STAFF_AREAS: Record<StaffArea, readonly StaffRole[]> = {
  /** 工单队列 and case views (department users: their own department's cases) */
  cases: STAFF_ROLES,
  /** 人工复核: the NLP's unsure readings and staff corrections */
  triage: ['admin', 'centre'],
  /** 系统管理: accounts, API tokens, the audit trail */
  admin: ['admin'],
  /** 舆情预警: every staff account sees alerts; all but the read-only leaders acknowledge them (api/routes/alerts) */
  alerts: STAFF_ROLES,
  /** 预警规则: administrators only */
  alertRules: ['admin'],
  /** 舆情日报 / 周报 */
  reports: STAFF_ROLES,
};

export function areasOf(role: StaffRole): StaffArea[] {
  return STAFF_AREA_NAMES.filter((a) => STAFF_AREAS[a].includes(role));
}

/** admins act as the coordination centre (协调中心); leaders (督办领导) read, and give 批示 (no lifecycle transition lists them). */
export const ACTS_AS = {
  admin: 'centre',
  centre: 'centre',
  department: 'department',
  leader: 'leader',
} as const satisfies Record<StaffRole, Actor['role'] | null>;

/** The lifecycle's actor for a staff user, or null for a read-only account. */
export function actorFor(user: StaffUser): Actor | null {
  const id = `staff:${user.username}`;
  const role = ACTS_AS[user.role];
  if (role === 'department') return user.departmentCode ? { role, id, departmentId: user.departmentCode } : null;
  if (role === 'centre' || role === 'leader') return { role, id };
  return null;
}

/** Department users see and act on their own department's cases only; the other roles see all. */
export function canSeeCase(user: StaffUser, caseDepartmentCode: string | null): boolean {
  return user.role !== 'department' || (user.departmentCode !== null && caseDepartmentCode === user.departmentCode);
}

/** The department a user's case lists are limited to (undefined: all). */
export function departmentScope(user: StaffUser): string | undefined {
  return user.role === 'department' ? (user.departmentCode ?? '') : undefined;
}
