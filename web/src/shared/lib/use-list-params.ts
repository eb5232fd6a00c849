import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useState } from 'react';
import { useUrlParams } from './url-params';
import { withParam } from './with-param';

export const PAGE_SIZE = 20;

/**
 * Page number and search text of a list, kept in the URL (`?q=&page=`) so reload, back and
 * shared links keep the view. Typing is debounced before it reaches the URL and the API.
 */
export function useListParams() {
  const { params: searchParams, update, setParam } = useUrlParams();
  const q = searchParams.get('q') ?? '';
  const parsedPage = Number.parseInt(searchParams.get('page') ?? '1', 10);
  const page = Number.isFinite(parsedPage) && parsedPage > 0 ? parsedPage : 1;
  const [search, setSearch] = useState(q);
  const [debounced] = useDebouncedValue(search, 300);

  useEffect(() => {
    if (debounced.trim() === q) return;
    update((current) => withParam(current, 'q', debounced.trim()), { replace: true });
  }, [debounced, q, update]);

  const setPage = useCallback(
    (value: number) => setParam('page', value > 1 ? String(value) : null),
    [setParam],
  );

  return {
    search,
    setSearch,
    q,
    page,
    setPage,
    params: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, q: q || undefined },
  };
}
