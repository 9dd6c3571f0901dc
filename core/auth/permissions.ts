// Who a staff account is to the case lifecycle. Which lifecycle role may do which action is declared
// once, in core/cases/lifecycle.ts (TRANSITIONS[type].roles and ownerOnly); this file only says which
// lifecycle role each kind of staff account acts as, and which cases it may see.
import type { Actor } from '../cases/lifecycle';
import type { StaffRole, StaffUser } from './staff';

/** admins act as the coordination centre (协调中心); leaders (督办领导) only read. */
export const ACTS_AS = {
  admin: 'centre',
  centre: 'centre',
  department: 'department',
  leader: null,
} as const satisfies Record<StaffRole, Actor['role'] | null>;

/** The lifecycle's actor for a staff user, or null for a read-only account. */
export function actorFor(user: StaffUser): Actor | null {
  const id = `staff:${user.username}`;
  const role = ACTS_AS[user.role];
  if (role === 'department') return user.departmentCode ? { role, id, departmentId: user.departmentCode } : null;
  if (role === 'centre') return { role, id };
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
