// GET /api/v1/session: who the bearer token belongs to (no token: nobody), whether demo accounts
// exist (listed for the login page, their tokens are public) and the reference lists for forms.
import { Hono } from 'hono';
import { listDemoAccounts, referenceLists } from '../../../core/auth/session';
import { areasOf } from '../../../core/auth/permissions';
import type { StaffUser } from '../../../core/auth/staff';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';

const orNull = <T,>(v: T | undefined): T | null => v ?? null;

export function sessionRoutes(deps: AppDeps) {
  const staff = requireStaff(deps);
  // a token that is sent must be valid (401), so a stale one in the browser is noticed
  return new Hono<StaffEnv>().get('/', (c, next) => (c.req.header('authorization') ? staff(c, next) : next()), async (c) => {
    // set only when a token was sent
    const user = orNull<StaffUser>(c.get('staff'));
    const demoAccounts = await listDemoAccounts(deps.db.sql);
    return c.json({
      user: user ? { ...user, areas: areasOf(user.role) } : null,
      demo: { enabled: demoAccounts.length > 0, accounts: demoAccounts },
      reference: await referenceLists(deps.db.sql, deps.shipped.gazetteer),
    });
  });
}
