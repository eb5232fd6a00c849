import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError, isUnauthenticated } from '../shared/api/api-error';
import { setCsrfToken } from '../shared/api/http-client';

const SESSION_ROOT = 'session';

/**
 * The app's query client. A 401 from any call means the session expired: the cached session
 * is cleared, which makes RequireAuth send the user to the login page.
 */
export function createQueryClient(): QueryClient {
  let client: QueryClient;
  const onError = (error: unknown) => {
    if (isUnauthenticated(error)) {
      setCsrfToken(null);
      client.setQueryData([SESSION_ROOT], null);
    }
  };
  client = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: true,
        // Client errors (404, 403, validation) will not change on retry; network and 5xx may.
        retry: (failures, error) =>
          failures < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
      },
      mutations: { retry: false },
    },
  });
  return client;
}
