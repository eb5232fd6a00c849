import { Alert, Anchor } from '@mantine/core';
import { IconBuildingStore } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useIsAdmin } from '../auth/session-query';
import { settingsApi, WORKSPACE_KEY } from './settings-api';

/**
 * Until an admin saves the company settings once, every page invites them to name the company:
 * the first start named it neutrally, and that name is the default sender name clients see.
 */
export function NameInvite() {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const { pathname } = useLocation();
  const settings = useQuery({
    queryKey: WORKSPACE_KEY,
    queryFn: ({ signal }) => settingsApi.get(signal),
    enabled: isAdmin,
  });
  if (!isAdmin || !settings.data || settings.data.settingsConfirmed || pathname === '/settings') return null;
  return (
    <Alert
      color="blue"
      variant="light"
      icon={<IconBuildingStore size={18} />}
      title={t('settings.invite.title')}
      mb="lg"
      data-testid="name-invite"
    >
      {t('settings.invite.text', { name: settings.data.name })}{' '}
      <Anchor component={Link} to="/settings" fw={600}>
        {t('settings.invite.link')}
      </Anchor>
    </Alert>
  );
}
