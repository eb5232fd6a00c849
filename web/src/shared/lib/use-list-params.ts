import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';

export const PAGE_SIZE = 20;

/**
 * Page number and search text of a list, kept in the URL (`?q=&page=`) so reload, back and
 * shared links keep the view. Typing is debounced before it reaches the URL and the API.
 */
export function useListParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const q = searchParams.get('q') ?? '';
  const parsedPage = Number.parseInt(searchParams.get('page') ?? '1', 10);
  const page = Number.isFinite(parsedPage) && parsedPage > 0 ? parsedPage : 1;
  const [search, setSearch] = useState(q);
  const [debounced] = useDebouncedValue(search, 300);

  useEffect(() => {
    if (debounced.trim() === q) return;
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (debounced.trim()) next.set('q', debounced.trim());
        else next.delete('q');
        next.delete('page');
        return next;
      },
      { replace: true },
    );
  }, [debounced, q, setSearchParams]);

  const setPage = useCallback(
    (value: number) =>
      setSearchParams((previous) => {
        const next = new URLSearchParams(previous);
        if (value > 1) next.set('page', String(value));
        else next.delete('page');
        return next;
      }),
    [setSearchParams],
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
