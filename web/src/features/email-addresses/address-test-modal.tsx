import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconCertificate, IconMailForward, IconRefresh, IconSettings } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ADDRESSES_KEY, mailApi } from '../../shared/api/mail-api';
import type { EmailAddress } from '../../shared/api/mail-types';
import type { TestRun } from './connection-test-view';
import { ConnectionTestView } from './connection-test-view';
import { endpointLabel } from './use-connection-test';

interface AddressTestModalProps {
  /** The saved address to test; null keeps the dialog closed. */
  address: EmailAddress | null;
  onClose: () => void;
  /** Opens the settings (to fix what the test found, or to trust a certificate). */
  onEdit?: (address: EmailAddress) => void;
  /** After a passing test: go on to a real test email (M23). */
  onSendTestEmail?: (address: EmailAddress) => void;
}

function TestBody({
  address,
  onClose,
  onEdit,
  onSendTestEmail,
}: { address: EmailAddress } & Omit<AddressTestModalProps, 'address'>) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [run, setRun] = useState<TestRun | null>(null);
  const controller = useRef<AbortController | null>(null);

  const start = useCallback(async () => {
    controller.current?.abort();
    const mine = new AbortController();
    controller.current = mine;
    const base: TestRun = {
      key: address.id,
      startedAt: Date.now(),
      smtp: { endpoint: endpointLabel(address.smtp), security: address.smtp.security },
      incoming: {
        endpoint: endpointLabel(address.incoming),
        security: address.incoming.security,
        protocol: address.incoming.protocol,
      },
      result: null,
      error: null,
    };
    setRun(base);
    try {
      const result = await mailApi.test({ addressId: address.id }, mine.signal);
      if (mine.signal.aborted) return;
      setRun({ ...base, result });
      // A passing test of the saved settings updates "last successful test" and health (M50).
      await queryClient.invalidateQueries({ queryKey: [ADDRESSES_KEY] });
    } catch (error) {
      if (!mine.signal.aborted) setRun({ ...base, error });
    }
  }, [address, queryClient]);

  useEffect(() => {
    void start();
    return () => controller.current?.abort();
  }, [start]);

  const running = run !== null && run.result === null && run.error === null;
  const certificateProblem =
    run?.result &&
    [run.result.smtp, run.result.incoming].some(
      (d) => d.certificate && d.steps.some((s) => s.failure?.kind === 'certificate'),
    );

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('connectionTest.savedDescription')}
      </Text>
      {run ? <ConnectionTestView run={run} /> : null}
      {certificateProblem && onEdit ? (
        <Alert color="indigo" variant="light" icon={<IconCertificate size={18} />}>
          <Text size="sm">{t('connectionTest.trustInSettings')}</Text>
        </Alert>
      ) : null}
      <Group justify="flex-end" gap="sm">
        {onEdit && run?.result && !run.result.ok ? (
          <Button variant="default" leftSection={<IconSettings size={16} />} onClick={() => onEdit(address)}>
            {t('connectionTest.openSettings')}
          </Button>
        ) : null}
        {onSendTestEmail && run?.result?.ok && address.active ? (
          <Button
            variant="default"
            leftSection={<IconMailForward size={16} />}
            onClick={() => onSendTestEmail(address)}
          >
            {t('testEmail.action')}
          </Button>
        ) : null}
        <Button
          variant="default"
          leftSection={<IconRefresh size={16} />}
          onClick={() => void start()}
          loading={running}
        >
          {t('connectionTest.retest')}
        </Button>
        <Button onClick={onClose}>{t('actions.close')}</Button>
      </Group>
    </Stack>
  );
}

/** "Test account" for a saved address, from the list: the saved settings, as they are (M8). */
export function AddressTestModal({ address, onClose, onEdit, onSendTestEmail }: AddressTestModalProps) {
  const { t } = useTranslation();
  const last = useRef<EmailAddress | null>(null);
  if (address) last.current = address;
  return (
    <Modal
      opened={address !== null}
      onClose={onClose}
      size="64rem"
      title={t('connectionTest.modalTitle', { email: last.current?.email ?? '' })}
      styles={{ title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {address ? (
        <TestBody
          key={address.id}
          address={address}
          onClose={onClose}
          onEdit={onEdit}
          {...(onSendTestEmail ? { onSendTestEmail } : {})}
        />
      ) : null}
    </Modal>
  );
}
