import { apiRequest } from './http-client';
import type { ListParams, Page } from './types';

/** CRUD calls of one `/api/<resource>` collection; the bodies are the server's create/patch schemas' types. */
export interface ResourceApi<T, TCreate, TPatch> {
  /** Query-key root: every cached query of this resource starts with it. */
  readonly key: string;
  list(params: ListParams, signal?: AbortSignal): Promise<Page<T>>;
  get(id: string, signal?: AbortSignal): Promise<T>;
  create(input: TCreate): Promise<T>;
  update(id: string, input: TPatch): Promise<T>;
  remove(id: string): Promise<void>;
}

/** Builds the CRUD calls for a collection path such as `/api/projects`. */
export function createResourceApi<T, TCreate, TPatch>(
  key: string,
  basePath: string,
): ResourceApi<T, TCreate, TPatch> {
  const itemPath = (id: string) => `${basePath}/${encodeURIComponent(id)}`;
  return {
    key,
    list: (params, signal) =>
      apiRequest<Page<T>>('GET', basePath, {
        query: { limit: params.limit, offset: params.offset, q: params.q?.trim() || undefined },
        signal,
      }),
    get: (id, signal) => apiRequest<T>('GET', itemPath(id), { signal }),
    create: (input) => apiRequest<T>('POST', basePath, { body: input }),
    update: (id, input) => apiRequest<T>('PATCH', itemPath(id), { body: input }),
    remove: (id) => apiRequest<void>('DELETE', itemPath(id)),
  };
}
