// GET /api/v1/session: who is calling (a session cookie or a bearer token; nobody: null), the CSRF
// token a session's state-changing requests must send, whether demo accounts exist (listed for the
// login page: their names, passwords and tokens are public) and the reference lists for forms.
import { Hono } from 'hono';
import { listDemoAccounts, referenceLists } from '../../../core/auth/session';
import { areasOf } from '../../../core/auth/permissions';
import type { StaffUser } from '../../../core/auth/staff';
import { optionalStaff, type AuthInfo, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';

const orNull = <T,>(v: T | undefined): T | null => v ?? null;

export function sessionRoutes(deps: AppDeps) {
  // a token that is sent must be valid (401), so a stale one is noticed; a stale cookie is dropped
  return new Hono<StaffEnv>().get('/', optionalStaff(deps), async (c) => {
    const user = orNull<StaffUser>(c.get('staff'));
    const auth = orNull<AuthInfo>(c.get('auth'));
    const demoAccounts = await listDemoAccounts(deps.db.sql);
    return c.json({
      user: user ? { ...user, areas: areasOf(user.role) } : null,
      via: auth?.via ?? null,
      csrfToken: auth?.via === 'session' ? auth.csrfToken : null,
      demo: { enabled: demoAccounts.length > 0, accounts: demoAccounts },
      reference: await referenceLists(deps.db.sql, deps.shipped.gazetteer),
    });
  });
}
