// GET /api/v1/session: who the bearer token belongs to (no token: nobody), whether demo accounts
// exist (listed for the login page, their tokens are public) and the reference lists for forms.
import { Hono } from 'hono';
import { listDemoAccounts, referenceLists } from '../../../core/auth/session';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';

export function sessionRoutes(deps: AppDeps) {
  const staff = requireStaff(deps);
  // a token that is sent must be valid (401), so a stale one in the browser is noticed
  return new Hono<StaffEnv>().get('/', (c, next) => (c.req.header('authorization') ? staff(c, next) : next()), async (c) => {
    const user = c.get('staff') ?? null;
    const demoAccounts = await listDemoAccounts(deps.db.sql);
    return c.json({
      user,
      demo: { enabled: demoAccounts.length > 0, accounts: demoAccounts },
      reference: await referenceLists(deps.db.sql),
    });
  });
}
