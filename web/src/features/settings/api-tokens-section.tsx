import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Modal,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/lib/format-date';
import { createValidators, firstError } from '../../shared/lib/validators';
import { ConfirmDeleteModal } from '../../shared/ui/confirm-delete-modal';
import { notifyError, notifySuccess } from '../../shared/ui/notify';
import { QueryErrorState } from '../../shared/ui/query-error-state';
import { type ApiToken, settingsApi, TOKEN_NAME_MAX, TOKENS_KEY } from './settings-api';

/** The new token's secret, shown once: the server keeps only its hash. */
function NewTokenModal({
  token,
  onClose,
}: {
  token: (ApiToken & { token: string }) | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={token !== null}
      onClose={onClose}
      title={t('settings.tokens.createdTitle', { name: token?.name ?? '' })}
      closeButtonProps={{ 'aria-label': t('actions.closeDialog') }}
      centered
    >
      <Stack gap="md">
        <Alert color="yellow" variant="light">
          {t('settings.tokens.shownOnce')}
        </Alert>
        <Code block data-testid="new-token" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
          {token?.token}
        </Code>
        <Group justify="flex-end">
          <CopyButton value={token?.token ?? ''}>
            {({ copied, copy }) => (
              <Button variant="light" onClick={copy} data-autofocus>
                {copied ? t('settings.tokens.copied') : t('settings.tokens.copy')}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onClose}>{t('settings.tokens.done')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function TokenCard({ token, onRevoke }: { token: ApiToken; onRevoke: (token: ApiToken) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Card withBorder radius="md" p="md" component="li" aria-label={token.name}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Stack gap={2} miw={0} style={{ flex: '1 1 14rem' }}>
          <Group gap="xs" wrap="nowrap">
            <IconKey size={16} aria-hidden />
            <Text fw={600} truncate>
              {token.name}
            </Text>
          </Group>
          <Text size="xs" c="dimmed">
            <Code>{token.prefix}…</Code> ·{' '}
            {t('settings.tokens.created', { date: formatDateTime(token.createdAt, i18n.language) })}
          </Text>
          <Text size="xs" c="dimmed">
            {token.lastUsedAt
              ? t('settings.tokens.lastUsed', { date: formatDateTime(token.lastUsedAt, i18n.language) })
              : t('settings.tokens.neverUsed')}
          </Text>
        </Stack>
        <Group gap="xs">
          {token.expiresAt ? (
            <Badge variant="light" color="gray">
              {t('settings.tokens.expires', { date: formatDateTime(token.expiresAt, i18n.language) })}
            </Badge>
          ) : null}
          <Button variant="light" color="red" size="xs" onClick={() => onRevoke(token)}>
            {t('settings.tokens.revokeNamed', { name: token.name })}
          </Button>
        </Group>
      </Group>
    </Card>
  );
}

/** API tokens: create with a name (secret shown once), list, revoke (issue 8 item 1). */
export function ApiTokensSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: ({ signal }) => settingsApi.tokens(signal) });
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const [created, setCreated] = useState<(ApiToken & { token: string }) | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  const create = useMutation({
    mutationFn: (tokenName: string) => settingsApi.createToken(tokenName),
    onSuccess: async (token) => {
      setCreated(token);
      setName('');
      await queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
    onError: (error) => notifyError(error, t),
  });
  const revoke = useMutation({
    mutationFn: (token: ApiToken) => settingsApi.revokeToken(token.id),
    onSuccess: async (_, token) => {
      setRevoking(null);
      notifySuccess(t('settings.tokens.revoked', { name: token.name }));
      await queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
    onError: (error) => notifyError(error, t),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const v = createValidators(t);
    const error = firstError(v.required(name), v.maxLength(name.trim(), TOKEN_NAME_MAX));
    setNameError(error);
    if (!error) create.mutate(name.trim());
  };

  return (
    <Paper withBorder radius="md" p="lg">
      <Stack gap="md">
        <div>
          <Title order={2} size="h4">
            {t('settings.tokens.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('settings.tokens.description')}
          </Text>
        </div>
        <form onSubmit={onSubmit} noValidate>
          <Group align="flex-start" wrap="wrap" gap="sm">
            <TextInput
              label={t('settings.tokens.name')}
              placeholder={t('settings.tokens.namePlaceholder')}
              required
              value={name}
              error={nameError}
              onChange={(event) => setName(event.currentTarget.value)}
              style={{ flex: '1 1 14rem' }}
            />
            <Button type="submit" loading={create.isPending} mt={{ base: 0, xs: 25 }}>
              {t('settings.tokens.create')}
            </Button>
          </Group>
        </form>
        {tokens.error ? (
          <QueryErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />
        ) : tokens.data && tokens.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('settings.tokens.empty')}
          </Text>
        ) : (
          <Stack
            gap="sm"
            component="ul"
            p={0}
            m={0}
            style={{ listStyle: 'none' }}
            aria-label={t('settings.tokens.title')}
          >
            {(tokens.data ?? []).map((token) => (
              <TokenCard key={token.id} token={token} onRevoke={setRevoking} />
            ))}
          </Stack>
        )}
      </Stack>
      <NewTokenModal token={created} onClose={() => setCreated(null)} />
      <ConfirmDeleteModal
        opened={revoking !== null}
        title={t('settings.tokens.revokeTitle')}
        message={t('settings.tokens.revokeMessage', { name: revoking?.name ?? '' })}
        loading={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onClose={() => setRevoking(null)}
      />
    </Paper>
  );
}
