import { Alert, Button, Group, Loader, Modal, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import {
  IconCheck,
  IconClockHour4,
  IconInbox,
  IconMailForward,
  IconSettings,
  IconX,
} from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EmailAddress } from '../../shared/api/mail-types';
import { isRunning, type TestEmail, testEmailApi } from '../../shared/api/test-email-api';
import { errorMessage } from '../../shared/lib/error-message';
import { formatDuration } from '../../shared/lib/format-relative';
import { plannedSteps } from './connection-test-plan';
import { TestDirectionCard } from './test-direction-card';
import { endpointLabel } from './use-connection-test';

interface TestEmailModalProps {
  /** The saved address to send a test email from; null keeps the dialog closed. */
  address: EmailAddress | null;
  onClose: () => void;
  onEdit?: (address: EmailAddress) => void;
}

type Phase = 'running' | 'ok' | 'failed' | 'pending';

function PhaseIcon({ phase }: { phase: Phase }) {
  if (phase === 'running') return <Loader size={22} type="oval" />;
  if (phase === 'pending')
    return (
      <ThemeIcon size={24} radius="xl" color="gray" variant="light">
        <IconClockHour4 size={15} />
      </ThemeIcon>
    );
  return (
    <ThemeIcon
      size={24}
      radius="xl"
      color={phase === 'ok' ? 'teal' : 'red'}
      variant={phase === 'ok' ? 'light' : 'filled'}
    >
      {phase === 'ok' ? <IconCheck size={15} stroke={3} /> : <IconX size={15} stroke={3} />}
    </ThemeIcon>
  );
}

function PhaseRow({ phase, title, children }: { phase: Phase; title: string; children?: ReactNode }) {
  return (
    <Group align="flex-start" wrap="nowrap" gap="sm">
      <PhaseIcon phase={phase} />
      <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
        <Text fw={600} size="sm">
          {title}
        </Text>
        {children}
      </Stack>
    </Group>
  );
}

function sendPhase(r: TestEmail | undefined): Phase {
  if (!r?.send) return r && !isRunning(r.status) ? 'failed' : 'running';
  return r.send.ok ? 'ok' : 'failed';
}

function arrivalPhase(r: TestEmail | undefined): Phase {
  if (!r || r.status === 'sending') return 'pending';
  if (r.status === 'waiting') return 'running';
  if (r.status === 'arrived') return 'ok';
  if (r.status === 'failed' && !r.send?.ok) return 'pending';
  return 'failed';
}

function RoundTrip({
  address,
  onClose,
  onEdit,
  onAgain,
}: { address: EmailAddress; onAgain: () => void } & Omit<TestEmailModalProps, 'address'>) {
  const { t, i18n } = useTranslation();
  const start = useMutation({ mutationFn: () => testEmailApi.start(address.id) });
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    start.mutate();
  }, [start]);

  const id = start.data?.id;
  const poll = useQuery({
    queryKey: ['test-email', address.id, id],
    queryFn: ({ signal }) => testEmailApi.get(address.id, id!, signal),
    enabled: id !== undefined,
    initialData: start.data,
    refetchInterval: (q) => (q.state.data && isRunning(q.state.data.status) ? 1000 : false),
  });
  const r = poll.data ?? start.data;
  const protocol = address.incoming.protocol.toUpperCase();
  const finished = r !== undefined && !isRunning(r.status);
  const sendFailed = r?.send !== null && r?.send !== undefined && !r.send.ok;
  const arrivalFailed = r?.arrival !== null && r?.arrival !== undefined && !r.arrival.ok;
  const dataReply = r?.send?.steps.find((s) => s.id === 'data')?.reply ?? null;

  if (start.error) {
    return (
      <Stack gap="md">
        <Alert color="red" variant="light" title={t('testEmail.notStarted')}>
          <Text size="sm">{errorMessage(start.error, t)}</Text>
        </Alert>
        <Group justify="flex-end">
          <Button onClick={onClose}>{t('actions.close')}</Button>
        </Group>
      </Stack>
    );
  }

  return (
    <Stack gap="md" data-testid="test-email" data-status={r?.status ?? 'starting'}>
      <Text size="sm" c="dimmed">
        {t('testEmail.description', { email: address.email, protocol })}
      </Text>
      <Paper withBorder radius="md" p="md">
        <Stack gap="md">
          <PhaseRow phase={sendPhase(r)} title={t('testEmail.sendTitle', { email: address.email })}>
            {r?.send?.ok ? (
              <Text size="sm" c="dimmed">
                {t('testEmail.accepted')} {dataReply ? <code>{dataReply}</code> : null}
              </Text>
            ) : !r?.send ? (
              <Text size="sm" c="dimmed">
                {t('testEmail.sending', { endpoint: endpointLabel(address.smtp) })}
              </Text>
            ) : null}
          </PhaseRow>
          {sendFailed && r?.send ? (
            <TestDirectionCard
              direction="smtp"
              protocol="smtp"
              endpoint={endpointLabel(address.smtp)}
              result={r.send}
              planned={plannedSteps('smtp', address.smtp.security)}
            />
          ) : null}
          <PhaseRow phase={arrivalPhase(r)} title={t('testEmail.arrivalTitle', { protocol })}>
            {r?.status === 'waiting' ? (
              <Text size="sm" c="dimmed">
                {t('testEmail.waiting', { count: r.checks })}
              </Text>
            ) : null}
            {r?.status === 'arrived' && r.arrivalMs !== null ? (
              <Text size="sm">
                {t('testEmail.arrived', { duration: formatDuration(r.arrivalMs, i18n.language) })}
              </Text>
            ) : null}
          </PhaseRow>
          {arrivalFailed && r?.arrival ? (
            <TestDirectionCard
              direction="incoming"
              protocol={r.arrival.protocol}
              endpoint={endpointLabel(address.incoming)}
              result={r.arrival}
              planned={[]}
            />
          ) : null}
        </Stack>
      </Paper>
      {r?.status === 'arrived' ? (
        <Alert
          color="teal"
          variant="light"
          icon={<IconInbox size={18} />}
          title={t('testEmail.arrivedTitle')}
        >
          <Text size="sm">{t('testEmail.arrivedText')}</Text>
        </Alert>
      ) : null}
      {r?.status === 'not_arrived' ? (
        <Alert color="yellow" variant="light" title={t('testEmail.notArrivedTitle')}>
          <Text size="sm">{t('testEmail.notArrivedText', { count: r.checks })}</Text>
        </Alert>
      ) : null}
      {r?.status === 'interrupted' ? (
        <Alert color="yellow" variant="light" title={t('testEmail.interruptedTitle')}>
          <Text size="sm">{t('testEmail.interruptedText')}</Text>
        </Alert>
      ) : null}
      <Group justify="flex-end" gap="sm">
        {onEdit && (sendFailed || arrivalFailed) ? (
          <Button variant="default" leftSection={<IconSettings size={16} />} onClick={() => onEdit(address)}>
            {t('connectionTest.openSettings')}
          </Button>
        ) : null}
        {finished ? (
          <Button variant="default" leftSection={<IconMailForward size={16} />} onClick={onAgain}>
            {t('testEmail.again')}
          </Button>
        ) : null}
        <Button onClick={onClose} variant={finished ? 'filled' : 'default'}>
          {t('actions.close')}
        </Button>
      </Group>
    </Stack>
  );
}

/** "Send a test email" (M23): from the saved address to itself, then watched until it arrives. */
export function TestEmailModal({ address, onClose, onEdit }: TestEmailModalProps) {
  const { t } = useTranslation();
  const last = useRef<EmailAddress | null>(null);
  const [round, setRound] = useState(0);
  if (address) last.current = address;
  return (
    <Modal
      opened={address !== null}
      onClose={onClose}
      size="48rem"
      title={
        <Group gap="xs">
          <IconMailForward size={20} />
          <span>{t('testEmail.title', { email: last.current?.email ?? '' })}</span>
        </Group>
      }
      styles={{ title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {address ? (
        <RoundTrip
          key={`${address.id}:${round}`}
          address={address}
          onClose={onClose}
          onEdit={onEdit}
          onAgain={() => setRound((n) => n + 1)}
        />
      ) : null}
    </Modal>
  );
}
