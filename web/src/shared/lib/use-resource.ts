import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ResourceApi } from '../api/resource-api';
import type { ListParams } from '../api/types';

/** One page of a collection; the previous page stays visible while the next one loads. */
export function useResourceList<T, C, P>(api: ResourceApi<T, C, P>, params: ListParams, enabled = true) {
  return useQuery({
    queryKey: [api.key, 'list', params],
    queryFn: ({ signal }) => api.list(params, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** One item by id. */
export function useResourceItem<T, C, P>(api: ResourceApi<T, C, P>, id: string | undefined) {
  return useQuery({
    queryKey: [api.key, 'item', id],
    queryFn: ({ signal }) => api.get(id as string, signal),
    enabled: id !== undefined,
  });
}

/**
 * Create, update and delete for a collection. Every success refreshes all cached queries of
 * the resource (lists and items), because a change can move items between pages, and of the
 * `related` resources (group membership shows on employees, and the reverse).
 */
export function useResourceMutations<T, TCreate, TPatch>(
  api: ResourceApi<T, TCreate, TPatch>,
  related: readonly string[] = [],
) {
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([api.key, ...related].map((key) => queryClient.invalidateQueries({ queryKey: [key] })));
  const create = useMutation({ mutationFn: (input: TCreate) => api.create(input), onSuccess: refresh });
  const update = useMutation({
    mutationFn: ({ id, input }: { id: string; input: TPatch }) => api.update(id, input),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (id: string) => api.remove(id), onSuccess: refresh });
  return { create, update, remove };
}
