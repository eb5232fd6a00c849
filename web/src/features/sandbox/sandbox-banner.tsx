import { Alert, Badge, Tooltip } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session-query';

/** Above every page of the demo workspace: its mail stays on the built-in sandbox server. */
export function SandboxBanner() {
  const { t } = useTranslation();
  const session = useSession();
  if (!session.workspace.sandbox) return null;
  return (
    <Alert
      color="grape"
      variant="light"
      mb="md"
      icon={<IconFlask size={20} />}
      title={t('sandbox.bannerTitle')}
      data-testid="sandbox-banner"
    >
      {t('sandbox.bannerText')}
    </Alert>
  );
}

/** Beside an address that lives on the sandbox mail server. */
export function SandboxBadge({ presetId }: { presetId: string | null }) {
  const { t } = useTranslation();
  if (presetId !== 'sandbox') return null;
  return (
    <Tooltip label={t('sandbox.badgeHint')} multiline maw={280}>
      <Badge
        color="grape"
        variant="light"
        size="sm"
        radius="sm"
        tt="none"
        // Its own line under the address, as wide as its text.
        w="fit-content"
        leftSection={<IconFlask size={12} />}
      >
        {t('sandbox.badge')}
      </Badge>
    </Tooltip>
  );
}
