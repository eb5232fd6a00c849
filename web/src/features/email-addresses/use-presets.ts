import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { emailDomain } from '../../../../src/domain/presets/detect';
import { mailApi } from '../../shared/api/mail-api';

/** All presets (M15); they change only with a release, so they are loaded once. */
export function usePresets() {
  return useQuery({
    queryKey: ['mail-presets'],
    queryFn: ({ signal }) => mailApi.presets(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * The preset suggested for a typed address (M16), asked for only once typing pauses and the
 * address looks complete. It never blocks anything: while it loads there is no suggestion.
 */
export function usePresetDetection(email: string) {
  const [debounced] = useDebouncedValue(email.trim(), 400);
  const plausible = emailDomain(debounced) !== null;
  return useQuery({
    queryKey: ['mail-presets', 'detect', debounced],
    queryFn: ({ signal }) => mailApi.detect(debounced, signal),
    enabled: plausible,
    staleTime: 10 * 60_000,
    retry: false,
  });
}
