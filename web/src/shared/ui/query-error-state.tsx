import { Button, EmptyState } from '@mantine/core';
import { IconAlertTriangle, IconLock, IconSearchOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error';
import { errorMessage, errorReference } from '../lib/error-message';

interface QueryErrorStateProps {
  error: unknown;
  onRetry?: () => void;
}

/** Replaces content that failed to load: no access, not found, or a retryable failure. */
export function QueryErrorState({ error, onRetry }: QueryErrorStateProps) {
  const { t } = useTranslation();
  const status = isApiError(error) ? error.status : 0;
  // An id in the page's address that is not an id at all (a link cut short when pasted): the
  // server rejects the path, not anything the user typed, so "correct the fields and try again"
  // would be a dead end. It is a page that does not exist.
  const badLink =
    isApiError(error) &&
    error.code === 'VALIDATION_FAILED' &&
    error.fields.length > 0 &&
    error.fields.every((f) => f.path.startsWith('/params/'));
  if (badLink) {
    return (
      <EmptyState
        py="xl"
        icon={<IconSearchOff />}
        title={t('states.notFoundTitle')}
        description={t('states.badLink')}
      />
    );
  }
  if (status === 403) {
    return (
      <EmptyState
        py="xl"
        icon={<IconLock />}
        title={t('states.forbiddenTitle')}
        description={errorMessage(error, t)}
      />
    );
  }
  if (status === 404) {
    return (
      <EmptyState
        py="xl"
        icon={<IconSearchOff />}
        title={t('states.notFoundTitle')}
        description={errorMessage(error, t)}
      />
    );
  }
  const reference = errorReference(error);
  return (
    <EmptyState
      py="xl"
      variant="light"
      color="red"
      icon={<IconAlertTriangle />}
      title={t('states.loadFailedTitle')}
      description={
        reference
          ? `${errorMessage(error, t)} ${t('errors.reference', { id: reference })}`
          : errorMessage(error, t)
      }
    >
      {onRetry ? (
        <EmptyState.Actions>
          <Button variant="default" onClick={onRetry}>
            {t('actions.retry')}
          </Button>
        </EmptyState.Actions>
      ) : null}
    </EmptyState>
  );
}
