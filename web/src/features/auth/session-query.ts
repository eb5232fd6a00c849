import { useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { fetchSession } from '../../shared/api/session-api';
import type { Session } from '../../shared/api/types';

/** Cache key of the current session (null = logged out). */
export const SESSION_KEY = ['session'] as const;

/** The session as loaded from `GET /api/session`. */
export function useSessionQuery() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: Number.POSITIVE_INFINITY,
    retry: 1,
  });
}

/**
 * The logged-in session as RequireAuth saw it. Pages read it from context rather than the
 * query, so when the session ends (a 401 anywhere) they are unmounted by the redirect
 * instead of rendering once more without a session.
 */
export const SessionContext = createContext<Session | null>(null);

/** The logged-in session; only for components rendered behind RequireAuth. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() used outside an authenticated route');
  return session;
}

/** Whether the logged-in employee may manage the workspace (create, edit, delete). */
export function useIsAdmin(): boolean {
  return useSession().employee.role === 'admin';
}
