import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconBrandGoogle, IconBrandWindows, IconLink, IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AddressOwner } from '../../shared/api/mail-api';
import type { EmailAddress, MailPreset } from '../../shared/api/mail-types';
import { type OAuthProvider, oauthApi } from '../../shared/api/oauth-api';
import { notifyError } from '../../shared/ui/notify';
import type { AddressValues } from './address-form-model';
import { currentPathWithout, OAUTH_PARAMS, ownerId, saveDraft } from './oauth-draft';

export const OAUTH_PROVIDERS_KEY = ['oauth-providers'] as const;

/** The provider a preset can connect with, when the operator configured it (M47). */
export function useOAuthProvider(preset: MailPreset | null): OAuthProvider | null {
  const providers = useQuery({
    queryKey: OAUTH_PROVIDERS_KEY,
    queryFn: ({ signal }) => oauthApi.providers(signal),
    staleTime: 5 * 60_000,
  });
  const wanted = preset?.auth.oauth;
  return wanted === 'google' || wanted === 'microsoft'
    ? (providers.data?.includes(wanted) ?? false)
      ? wanted
      : null
    : null;
}

interface Props {
  provider: OAuthProvider;
  owner: AddressOwner;
  address: EmailAddress | null;
  values: AddressValues;
  variantId: string | null;
  /** Drops a just-connected grant and goes back to the password. */
  onUsePassword: () => void;
}

/**
 * "Połącz z Google" / "Połącz z Microsoft" in the address dialog (M47): keeps the form in
 * session storage, goes to the provider, and the callback brings the browser back into this
 * dialog with the grant. Also "Połącz ponownie" for a saved OAuth address (M50).
 */
export function OAuthConnectPanel({ provider, owner, address, values, variantId, onUsePassword }: Props) {
  const { t } = useTranslation();
  const [going, setGoing] = useState(false);
  const name = t(`oauth.provider.${provider}`);
  const Icon = provider === 'google' ? IconBrandGoogle : IconBrandWindows;

  const connect = async () => {
    setGoing(true);
    try {
      saveDraft({ values, variantId, addressId: address?.id ?? null, owner: ownerId(owner) });
      const { authorizationUrl } = await oauthApi.start({
        provider,
        ...(address ? { addressId: address.id } : {}),
        returnPath: currentPathWithout(OAUTH_PARAMS),
      });
      window.location.assign(authorizationUrl);
    } catch (error) {
      setGoing(false);
      notifyError(error, t);
    }
  };

  if (values.oauthGrantId) {
    return (
      <Alert
        color="teal"
        variant="light"
        icon={<IconLink size={18} />}
        title={t('oauth.connectedTitle', { name })}
      >
        <Stack gap={6}>
          <Text size="sm">{t('oauth.connectedBody', { email: values.oauthEmail ?? '' })}</Text>
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={onUsePassword}>
              {t('oauth.usePassword')}
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  if (address?.authType === 'oauth2') {
    const lost = address.health === 'needs_reconnect';
    return (
      <Alert
        color={lost ? 'red' : 'blue'}
        variant="light"
        icon={<Icon size={18} />}
        title={lost ? t('oauth.lostTitle') : t('oauth.savedTitle', { name })}
      >
        <Stack gap={6}>
          <Text size="sm">
            {lost ? t('oauth.lostBody', { name }) : t('oauth.savedBody', { email: address.login })}
          </Text>
          <Group gap="xs">
            <Button
              size="xs"
              color={lost ? 'red' : undefined}
              variant={lost ? 'filled' : 'default'}
              leftSection={<IconRefresh size={14} />}
              loading={going}
              onClick={() => void connect()}
            >
              {t('oauth.reconnect')}
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  return (
    <Stack gap={4}>
      <Button variant="light" leftSection={<Icon size={16} />} loading={going} onClick={() => void connect()}>
        {t(`oauth.connect.${provider}`)}
      </Button>
      <Text size="xs" c="dimmed">
        {t('oauth.connectHint', { name })}
      </Text>
    </Stack>
  );
}
