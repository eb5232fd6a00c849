import { Alert, Anchor, Badge, Collapse, Text, Tooltip } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { IconFlask } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../auth/session-query';
import { SandboxNewcomer } from './sandbox-newcomer';

/**
 * Above every page of the demo workspace: its mail stays on the built-in sandbox server, and
 * where the walk-through starts (the demo account lands on the employees' list). On a phone
 * the title stays and the rest folds behind "Więcej", so the page itself is not pushed below
 * the fold on every screen.
 */
export function SandboxBanner() {
  const { t } = useTranslation();
  const session = useSession();
  const phone = useMediaQuery('(max-width: 48em)');
  const [details, toggle] = useDisclosure(false);
  if (!session.workspace.sandbox) return null;
  const body = (
    <>
      <Text size="sm">{t('sandbox.bannerText')}</Text>
      <Text size="sm" mt={4}>
        {t('sandbox.startHere')}{' '}
        <Anchor component={Link} to="/projects" size="sm" fw={600}>
          {t('sandbox.startLink')}
        </Anchor>
      </Text>
      <SandboxNewcomer where="banner" />
    </>
  );
  return (
    <Alert
      color="grape"
      variant="light"
      mb="md"
      icon={<IconFlask size={20} />}
      title={t('sandbox.bannerTitle')}
      data-testid="sandbox-banner"
    >
      {phone ? (
        <>
          <Collapse expanded={details}>{body}</Collapse>
          <Anchor component="button" type="button" size="sm" onClick={toggle.toggle} aria-expanded={details}>
            {details ? t('sandbox.less') : t('sandbox.more')}
          </Anchor>
        </>
      ) : (
        body
      )}
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
