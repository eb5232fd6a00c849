import { i18n } from '../../i18n/i18n';
import { ApiError } from './api-error';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
  /** Extra request headers (e.g. `Idempotency-Key`). */
  headers?: Record<string, string>;
}

// The CSRF token arrives with the session and must accompany every state-changing call.
let csrfToken: string | null = null;

/** Remembers the CSRF token of the current session (null after logout). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(method: Method, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': i18n.language || 'en',
    ...options.headers,
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const isLogin = method === 'POST' && path === '/api/session';
  if (method !== 'GET' && !isLogin && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw new ApiError(0, 'NETWORK_ERROR', '');
  }
}

async function readError(response: Response): Promise<ApiError> {
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    // A proxy's HTML error page or an empty body: fall through to the generic error.
  }
  const body = payload as {
    error?: { code?: unknown; message?: unknown; details?: unknown };
    requestId?: unknown;
  };
  if (body && typeof body.error === 'object' && body.error && typeof body.error.code === 'string') {
    return new ApiError(
      response.status,
      body.error.code,
      typeof body.error.message === 'string' ? body.error.message : '',
      body.error.details,
      typeof body.requestId === 'string' ? body.requestId : undefined,
    );
  }
  return new ApiError(response.status, 'BAD_RESPONSE', '');
}

async function refreshCsrfToken(): Promise<boolean> {
  const response = await send('GET', '/api/session', {});
  if (!response.ok) return false;
  const session = (await response.json()) as { csrfToken?: unknown };
  if (typeof session.csrfToken !== 'string') return false;
  csrfToken = session.csrfToken;
  return true;
}

/**
 * Calls the API and returns the parsed JSON body (undefined for 204). Throws ApiError for
 * any non-2xx answer. A CSRF rejection (token rotated by the server) is retried once with a
 * fresh token, so a long-open tab does not fail its first save.
 */
export async function apiRequest<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  let response = await send(method, path, options);
  if (response.status === 403 && method !== 'GET') {
    const error = await readError(response.clone());
    if (error.code === 'CSRF_FAILED' && (await refreshCsrfToken())) {
      response = await send(method, path, options);
    }
  }
  if (!response.ok) throw await readError(response);
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(response.status, 'BAD_RESPONSE', '');
  }
}
