import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext } from 'react';
import { ApiError, api, type SessionInfo, setCsrfToken } from './api';

const SessionContext = createContext<SessionInfo | null>(null);

/** Loads GET /auth/session once; `null` means signed out. Keeps the CSRF token for writes. */
export function useSessionQuery() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        const s = await api<SessionInfo>('/auth/session');
        setCsrfToken(s.csrfToken);
        return s;
      } catch (e) {
        if (e instanceof ApiError && e.problem.status === 401) {
          setCsrfToken(undefined);
          return null;
        }
        throw e;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export function SessionProvider({ session, children }: { session: SessionInfo; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionInfo {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function useSignOut() {
  const qc = useQueryClient();
  return async () => {
    await api('/auth/sign-out', { method: 'POST' }).catch(() => undefined);
    setCsrfToken(undefined);
    // Session first: the app falls back to the sign-in form, then the signed-in data goes.
    qc.setQueryData(['session'], null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
  };
}
