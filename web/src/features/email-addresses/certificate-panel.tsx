import { Alert, Button, Checkbox, Code, DataList, Paper, Stack, Text } from '@mantine/core';
import { IconCertificate, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CertificateInfo } from '../../shared/api/mail-types';
import { formatDateTime } from '../../shared/lib/format-date';

/** `ab12cd…` → `AB:12:CD:…` in lines of 16 bytes, the way certificate viewers show it. */
export function groupFingerprint(sha256: string): string {
  const pairs = sha256.toUpperCase().match(/.{1,2}/g) ?? [];
  const lines: string[] = [];
  for (let i = 0; i < pairs.length; i += 16) lines.push(pairs.slice(i, i + 16).join(':'));
  return lines.join('\n');
}

interface CertificatePanelProps {
  certificate: CertificateInfo;
  /** The certificate problem the server reported (`self_signed`, `pin_mismatch`, …). */
  problem: string | null;
  trusted: boolean;
  onTrustChange: (trusted: boolean) => void;
  onRetest?: () => void;
  retesting?: boolean;
}

/**
 * The certificate a server presented, with its SHA-256 fingerprint and the choice to trust
 * exactly this certificate for this server (M14, M54). Trusting changes the settings, so
 * the account must be tested again.
 */
export function CertificatePanel(props: CertificatePanelProps) {
  const { t, i18n } = useTranslation();
  const { certificate } = props;
  return (
    <Paper withBorder radius="md" p="sm" bg="var(--mantine-color-gray-0)" data-testid="certificate-panel">
      <Stack gap="xs">
        <Text size="sm" fw={650}>
          <IconCertificate size={16} style={{ verticalAlign: 'text-bottom', marginRight: 6 }} />
          {t('certificate.title')}
        </Text>
        {props.problem === 'pin_mismatch' ? (
          <Alert color="orange" variant="light" p="xs">
            <Text size="sm">{t('certificate.pinChanged')}</Text>
          </Alert>
        ) : null}
        <DataList size="sm" gap={6} labelWidth={120}>
          <DataList.Item>
            <DataList.ItemLabel>{t('certificate.subject')}</DataList.ItemLabel>
            <DataList.ItemValue style={{ wordBreak: 'break-word' }}>{certificate.subject}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>{t('certificate.issuer')}</DataList.ItemLabel>
            <DataList.ItemValue style={{ wordBreak: 'break-word' }}>{certificate.issuer}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>{t('certificate.validity')}</DataList.ItemLabel>
            <DataList.ItemValue>
              {t('certificate.validRange', {
                from: formatDateTime(certificate.validFrom, i18n.language),
                to: formatDateTime(certificate.validTo, i18n.language),
              })}
            </DataList.ItemValue>
          </DataList.Item>
          {certificate.altNames.length > 0 ? (
            <DataList.Item>
              <DataList.ItemLabel>{t('certificate.altNames')}</DataList.ItemLabel>
              <DataList.ItemValue style={{ wordBreak: 'break-word' }}>
                {certificate.altNames.join(', ')}
              </DataList.ItemValue>
            </DataList.Item>
          ) : null}
        </DataList>
        <div>
          <Text size="xs" fw={700} tt="uppercase" c="dimmed" style={{ letterSpacing: '0.03em' }}>
            {t('certificate.fingerprint')}
          </Text>
          <Code block data-testid="certificate-fingerprint" style={{ fontSize: 12 }}>
            {groupFingerprint(certificate.sha256)}
          </Code>
        </div>
        <Checkbox
          checked={props.trusted}
          onChange={(event) => props.onTrustChange(event.currentTarget.checked)}
          label={t('certificate.trust')}
          description={t('certificate.trustHint')}
        />
        {props.trusted && props.onRetest ? (
          <Alert color="indigo" variant="light" p="xs">
            <Stack gap={6} align="flex-start">
              <Text size="sm">{t('certificate.retestHint')}</Text>
              <Button
                size="xs"
                leftSection={<IconRefresh size={14} />}
                onClick={props.onRetest}
                loading={props.retesting}
              >
                {t('connectionTest.retest')}
              </Button>
            </Stack>
          </Alert>
        ) : null}
      </Stack>
    </Paper>
  );
}
