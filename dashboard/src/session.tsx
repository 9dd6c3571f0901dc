// The staff session: the token in localStorage, the user the API says it belongs to, demo accounts
// and the reference lists (departments, categories, districts) every page may need.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { call, messageOf, tokenStore, UNAUTHORIZED_EVENT, v1, type Session } from './api';

const fetchSession = () => call(v1.session.$get());

interface SessionState {
  session: Session | null;
  error: string | null;
  login: (token: string) => Promise<void>;
  logout: () => void;
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
      if (tokenStore.get()) {
        // a stale token: drop it and load the anonymous session
        tokenStore.clear();
        setSession(await fetchSession().catch(() => null));
      }
    }
  }, []);
  useEffect(() => {
    void load();
    const onUnauthorized = () => {
      tokenStore.clear();
      void load();
    };
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, [load]);

  const login = async (token: string) => {
    tokenStore.set(token.trim());
    try {
      const s = await fetchSession();
      setSession(s);
      setError(null);
    } catch (err) {
      tokenStore.clear();
      throw err;
    }
  };
  const logout = () => {
    tokenStore.clear();
    setSession((s) => (s ? { ...s, user: null } : s));
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
