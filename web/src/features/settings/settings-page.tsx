import { Skeleton, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../shared/ui/page-header';
import { QueryErrorState } from '../../shared/ui/query-error-state';
import { useIsAdmin } from '../auth/session-query';
import { ApiTokensSection } from './api-tokens-section';
import { CompanySettingsForm } from './company-settings-form';
import { settingsApi, WORKSPACE_KEY } from './settings-api';

/** Zarządzanie kontem → Ustawienia firmy (issue 8 item 1). */
export function SettingsPage() {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const settings = useQuery({ queryKey: WORKSPACE_KEY, queryFn: ({ signal }) => settingsApi.get(signal) });
  return (
    <>
      <PageHeader
        title={t('settings.title')}
        description={t('settings.description')}
        breadcrumbs={[
          { label: t('nav.accountManagement'), to: '/employees' },
          { label: t('settings.title') },
        ]}
      />
      <Stack gap="lg" maw={820}>
        {settings.error ? (
          <QueryErrorState error={settings.error} onRetry={() => void settings.refetch()} />
        ) : settings.data ? (
          <CompanySettingsForm key={settings.data.id} settings={settings.data} canEdit={isAdmin} />
        ) : (
          <Skeleton height={280} radius="md" />
        )}
        <ApiTokensSection />
      </Stack>
    </>
  );
}
