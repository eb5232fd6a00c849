import { Button, Center, EmptyState, Loader } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { storedLanguage } from '../../i18n/language';
import { errorMessage } from '../../shared/lib/error-message';
import { SessionContext, useSessionQuery } from './session-query';

/**
 * Renders its children only for a logged-in employee; otherwise sends the visitor to /login
 * (remembering where they wanted to go). Also adopts the account's language when this device
 * has no explicit choice yet.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const session = useSessionQuery();
  const accountLanguage = session.data?.employee.language;

  useEffect(() => {
    if (accountLanguage && !storedLanguage() && accountLanguage !== i18n.language) {
      void i18n.changeLanguage(accountLanguage);
    }
  }, [accountLanguage, i18n]);

  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label={t('states.loading')} />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center h="100vh" px="md">
        <EmptyState
          variant="light"
          color="red"
          icon={<IconPlugConnectedX />}
          title={t('states.serverUnavailableTitle')}
          description={errorMessage(session.error, t)}
        >
          <EmptyState.Actions>
            <Button onClick={() => void session.refetch()} loading={session.isFetching}>
              {t('actions.retry')}
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Center>
    );
  }
  if (!session.data) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <SessionContext.Provider value={session.data}>{children}</SessionContext.Provider>;
}
