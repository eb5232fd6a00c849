import { Button, EmptyState } from '@mantine/core';
import { IconSearchOff } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface ListEmptyStateProps {
  /** The search text, when the list is empty because nothing matched it. */
  query: string;
  onClearSearch: () => void;
  icon: ReactNode;
  title: string;
  description: string;
  /** E.g. the "Add …" button (only for those allowed to add). */
  action?: ReactNode;
}

/** Empty list: either "nothing here yet" with a call to action, or "no matches" for a search. */
export function ListEmptyState({
  query,
  onClearSearch,
  icon,
  title,
  description,
  action,
}: ListEmptyStateProps) {
  const { t } = useTranslation();
  if (query) {
    return (
      <EmptyState
        py={48}
        icon={<IconSearchOff />}
        withIndicatorBackground
        title={t('list.noMatchesTitle', { query })}
        description={t('list.noMatchesDescription')}
      >
        <EmptyState.Actions>
          <Button variant="default" onClick={onClearSearch}>
            {t('list.clearSearch')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    );
  }
  return (
    <EmptyState py={48} icon={icon} variant="light" title={title} description={description}>
      {action ? <EmptyState.Actions>{action}</EmptyState.Actions> : null}
    </EmptyState>
  );
}
