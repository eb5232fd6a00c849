import { Anchor, Code, CopyButton, Group, Text } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { mailApi } from '../../shared/api/mail-api';
import { IconAction } from '../../shared/ui/icon-action';
import { useSession } from '../auth/session-query';

/** The demo workspace only: the password that opens a new sandbox mailbox on its first sign-in. */
function useSandboxNewcomer() {
  const { workspace } = useSession();
  const query = useQuery({
    // Keyed by workspace: another workspace signed in later never reads this one's answer.
    queryKey: ['sandbox-newcomer', workspace.id],
    queryFn: ({ signal }) => mailApi.sandboxNewcomer(signal),
    enabled: workspace.sandbox,
    staleTime: Number.POSITIVE_INFINITY,
    // 404 when the sandbox does not run in this process: then there is simply nothing to show.
    retry: false,
  });
  return workspace.sandbox ? (query.data ?? null) : null;
}

function PasswordWithCopy({ password }: { password: string }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} component="span" wrap="nowrap" display="inline-flex">
      <Code data-testid="sandbox-newcomer-password">{password}</Code>
      <CopyButton value={password}>
        {({ copied, copy }) => (
          <IconAction
            color="grape"
            size="sm"
            onClick={copy}
            label={t('sandbox.copyPassword')}
            tooltip={copied ? t('sandbox.copied') : t('sandbox.copyPassword')}
            icon={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
          />
        )}
      </CopyButton>
    </Group>
  );
}

/**
 * Where a newcomer needs the password: in the banner (with a link to the address lists), and in
 * the sandbox service's notes on the add-address form (issue 12 item 1).
 */
export function SandboxNewcomer({ where }: { where: 'banner' | 'form' }) {
  const { t } = useTranslation();
  const newcomer = useSandboxNewcomer();
  if (!newcomer) return null;
  const banner = where === 'banner';
  return (
    <Text
      size="sm"
      mt={banner ? 4 : 'xs'}
      fw={banner ? undefined : 500}
      data-testid={`sandbox-newcomer-${where}`}
    >
      {t(banner ? 'sandbox.newcomerBanner' : 'sandbox.newcomerHint', { domain: newcomer.domain })}{' '}
      <PasswordWithCopy password={newcomer.password} />
      {banner ? (
        <>
          {' '}
          <Anchor component={Link} to="/email/employee-addresses" size="sm" fw={600}>
            {t('sandbox.newcomerLink')}
          </Anchor>
        </>
      ) : null}
    </Text>
  );
}
