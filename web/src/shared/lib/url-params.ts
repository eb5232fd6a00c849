import { useCallback } from 'react';
import { type NavigateOptions, useSearchParams } from 'react-router';
import { withParam } from './with-param';

/**
 * `useSearchParams` whose updates start from the address bar. react-router hands a functional
 * update the parameters of the last render, so two changes before React renders again (a click
 * right after a picker closes, a debounced search landing with a filter click) made the second
 * undo the first: seen on the delivery log, where clearing "from" dropped a fresh "to".
 */
export function useUrlParams() {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (change: (current: string) => URLSearchParams, options?: NavigateOptions) =>
      setParams(() => change(window.location.search), options),
    [setParams],
  );
  const setParam = useCallback(
    (key: string, value: string | null | undefined, options?: NavigateOptions) =>
      update((current) => withParam(current, key, value), options),
    [update],
  );
  return { params, setParams, update, setParam };
}
