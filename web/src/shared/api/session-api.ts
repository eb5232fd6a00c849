import { isApiError } from './api-error';
import { apiRequest, setCsrfToken } from './http-client';
import type { Language, Session } from './types';

function remember(session: Session): Session {
  setCsrfToken(session.csrfToken);
  return session;
}

/** The current session, or null when nobody is logged in. */
export async function fetchSession(signal?: AbortSignal): Promise<Session | null> {
  try {
    // Signed out is an answer here, not an error: 204 (a 401 would be logged by the browser).
    const session = await apiRequest<Session | null>('GET', '/api/session', {
      query: { optional: 'true' },
      signal,
    });
    if (!session) {
      setCsrfToken(null);
      return null;
    }
    return remember(session);
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export async function logIn(email: string, password: string): Promise<Session> {
  return remember(await apiRequest<Session>('POST', '/api/session', { body: { email, password } }));
}

export async function logOut(): Promise<void> {
  try {
    await apiRequest<void>('DELETE', '/api/session');
  } finally {
    setCsrfToken(null);
  }
}

/** Saves the UI language on the logged-in employee. */
export async function saveSessionLanguage(language: Language): Promise<Session> {
  return remember(await apiRequest<Session>('PATCH', '/api/session', { body: { language } }));
}
