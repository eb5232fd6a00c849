import { MantineProvider } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { i18n } from '../i18n/i18n';
import { createQueryClient } from './query-client';
import { themeFor } from './theme';

/** Mantine with the theme in the current UI language (dialog close buttons are named). */
function ThemedMantine({ children }: { children: ReactNode }) {
  const { t, i18n: current } = useTranslation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the label changes with the language
  const theme = useMemo(
    () => themeFor(t('actions.closeDialog'), t('actions.closeNotification')),
    [t, current.language],
  );
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      {children}
    </MantineProvider>
  );
}

/**
 * Toasts bottom-right; on a phone at the top, where they cover the header for a moment rather
 * than the composer's checkboxes and its send button (where the thumb is right after sending).
 */
function Toasts() {
  const phone = useMediaQuery('(max-width: 48em)');
  return <Notifications position={phone ? 'top-center' : 'bottom-right'} limit={4} />;
}

/** i18n, Mantine (theme + toasts) and TanStack Query around the whole app. */
export function AppProviders({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <I18nextProvider i18n={i18n}>
      <ThemedMantine>
        <Toasts />
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </ThemedMantine>
    </I18nextProvider>
  );
}
