// The staff session: the user GET /api/v1/session says the session cookie belongs to, its CSRF token
// (kept in memory for the API client), demo accounts and the reference lists (departments,
// categories, districts) every page may need. Login and logout go through /api/v1/auth.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { call, csrfStore, messageOf, UNAUTHORIZED_EVENT, v1, type Session } from './api';

const fetchSession = async () => {
  const s = await call(v1.session.$get());
  csrfStore.set(s.csrfToken);
  return s;
};

interface SessionState {
  session: Session | null;
  error: string | null;
  login: (name: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  departmentName: (code: string | null) => string;
}

const Ctx = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setSession(await fetchSession());
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }, []);
  useEffect(() => {
    void load();
    const onUnauthorized = () => {
      csrfStore.set(null);
      void load();
    };
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, [load]);

  const login = async (name: string, password: string) => {
    const answer = await call(v1.auth.login.$post({ json: { name: name.trim(), password } }));
    csrfStore.set(answer.csrfToken);
    setSession(await fetchSession());
    setError(null);
  };
  const logout = async () => {
    await call(v1.auth.logout.$post()).catch(() => undefined); // an ended session is logged out already
    csrfStore.set(null);
    setSession((s) => (s ? { ...s, user: null, via: null, csrfToken: null } : s));
  };
  const departmentName = (code: string | null) => {
    if (!code) return '—';
    return session?.reference.departments.find((d) => d.code === code)?.shortName ?? code;
  };
  return <Ctx.Provider value={{ session, error, login, logout, departmentName }}>{children}</Ctx.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
