import {
  Alert,
  Anchor,
  Box,
  Button,
  Code,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAlertCircle,
  IconBook2,
  IconCircleCheck,
  IconClock,
  IconClockPause,
  IconHelpCircle,
  IconLoader2,
  IconMailOff,
  IconRefresh,
  IconSend,
} from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/lib/format-date';
import { notifyError, notifySuccess } from '../../shared/ui/notify';
import { deliveryApi, MESSAGES_KEY } from './delivery-api';
import type { OutgoingFailure, OutgoingMessage, OutgoingStatus } from './delivery-types';

const LOOK: Record<OutgoingStatus, { color: string; icon: ReactNode }> = {
  queued: { color: 'gray', icon: <IconClock size={16} /> },
  sending: { color: 'blue', icon: <IconLoader2 size={16} /> },
  sent: { color: 'teal', icon: <IconCircleCheck size={16} /> },
  deferred: { color: 'orange', icon: <IconClockPause size={16} /> },
  failed: { color: 'red', icon: <IconAlertCircle size={16} /> },
  uncertain: { color: 'yellow', icon: <IconHelpCircle size={16} /> },
  bounced: { color: 'red', icon: <IconMailOff size={16} /> },
};

interface MessageStateProps {
  message: OutgoingMessage;
  /** Show Retry / Send again (the server checks the caller may: author or admin). */
  canAct?: boolean;
  /** Called with the email after a retry (same id) or a send again (the new email). */
  onChanged?: (message: OutgoingMessage) => void;
}

/** The explanation of a failure (M43): cause and fix first, the server's reply beside, help link. */
function FailureExplained({ failure }: { failure: OutgoingFailure }) {
  const { t } = useTranslation();
  return (
    // Side by side only where the component itself is wide enough (a table cell is not).
    <SimpleGrid
      type="container"
      cols={{ base: 1, '560px': failure.serverReply ? 2 : 1 }}
      spacing="sm"
      data-testid="message-failure"
    >
      <Stack gap={4}>
        <Text size="sm" fw={650}>
          {failure.title}
        </Text>
        <Text size="sm">{failure.cause}</Text>
        <Text size="xs" fw={700} tt="uppercase" c="dimmed" mt={4}>
          {t('delivery.state.whatToDo')}
        </Text>
        <Text size="sm">{failure.fix}</Text>
        {failure.helpHref ? (
          <Anchor href={failure.helpHref} target="_blank" rel="noopener" size="sm" inline>
            <Group gap={4} component="span" wrap="nowrap">
              <IconBook2 size={14} />
              {t('delivery.state.commonCauses')}
            </Group>
          </Anchor>
        ) : null}
      </Stack>
      {failure.serverReply ? (
        <Box>
          <Text size="xs" fw={700} tt="uppercase" c="dimmed">
            {t('delivery.state.serverReply')}
          </Text>
          <Code
            block
            style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
            data-testid="message-server-reply"
          >
            {failure.serverReply}
          </Code>
        </Box>
      ) : null}
    </SimpleGrid>
  );
}

/** What happened to the copy in the Sent folder (M57): beside the state, never instead of it. */
function SentCopyNote({ copy }: { copy: NonNullable<OutgoingMessage['sentCopy']> }) {
  const { t } = useTranslation();
  const label = t(`delivery.sentCopy.${copy.status}`, { folder: copy.folder ?? '' });
  return (
    <Text size="xs" c={copy.status === 'failed' ? 'orange.8' : 'dimmed'} data-testid="message-sent-copy">
      {label}
      {copy.note ? ` ${copy.note}` : ''}
    </Text>
  );
}

/**
 * The state of one outgoing email (CONTRACTS.md): icon and words per state ("sent" = accepted
 * by your mail server, M35), the explanation of a failure, and what can be done about it.
 */
export function MessageState({ message, canAct = true, onChanged }: MessageStateProps) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [confirmOpen, confirm] = useDisclosure(false);
  const look = LOOK[message.status];
  const done = (m: OutgoingMessage, text: string) => {
    notifySuccess(text);
    confirm.close();
    onChanged?.(m);
    return queryClient.invalidateQueries({ queryKey: [MESSAGES_KEY] });
  };
  const retry = useMutation({
    mutationFn: () => deliveryApi.retry(message.id),
    onSuccess: (m) => done(m, t('delivery.state.retried')),
    onError: (e) => notifyError(e, t),
  });
  const sendAgain = useMutation({
    mutationFn: () => deliveryApi.sendAgain(message.id),
    onSuccess: (m) => done(m, t('delivery.state.sentAgain')),
    onError: (e) => notifyError(e, t),
  });

  const when = (iso: string | null) => (iso ? formatDateTime(iso, i18n.language) : '');
  const hint =
    message.status === 'sent'
      ? t('delivery.state.hint.sent', { time: when(message.sentAt) })
      : message.status === 'deferred' || message.status === 'queued'
        ? message.nextAttemptAt && new Date(message.nextAttemptAt).getTime() > Date.now()
          ? t('delivery.state.hint.nextAttempt', { time: when(message.nextAttemptAt) })
          : t(`delivery.state.hint.${message.status}`)
        : t(`delivery.state.hint.${message.status}`);
  const showFailure = message.failure && message.status !== 'queued' && message.status !== 'sending';
  // A partial refusal (M32): the email went out, but not to everyone.
  const refused = message.to.filter((r) => r.status === 'rejected' || r.status === 'bounced');
  // Saved without a sender (M25) there is nothing to send: the explanation says what to do.
  const canRetry =
    canAct &&
    (message.status === 'failed' || message.status === 'deferred') &&
    message.failure?.reason !== 'no_sender';
  const canSendAgain = canAct && message.status === 'uncertain' && !message.resentAsId;

  return (
    <Stack gap={6} data-testid="message-state" data-status={message.status}>
      <Group gap={6} wrap="nowrap" align="flex-start">
        <Box c={look.color} mt={2} style={{ display: 'flex' }} aria-hidden>
          {look.icon}
        </Box>
        <Box style={{ minWidth: 0 }}>
          <Tooltip
            label={message.acceptedReply ?? ''}
            disabled={!message.acceptedReply}
            multiline
            maw={360}
            withinPortal
          >
            <Text size="sm" fw={600} c={`${look.color}.8`} component="span">
              {t(`delivery.state.label.${message.status}`)}
            </Text>
          </Tooltip>
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        </Box>
      </Group>
      {showFailure && message.failure ? (
        message.status === 'deferred' ? (
          <Text size="xs" c="dimmed">
            {message.failure.title}
            {message.failure.serverReply ? ` — ${message.failure.serverReply}` : ''}
          </Text>
        ) : (
          <FailureExplained failure={message.failure} />
        )
      ) : null}
      {refused.length > 0 && refused.length < message.to.length ? (
        <Text size="xs" c="red.8" data-testid="message-refused" style={{ overflowWrap: 'anywhere' }}>
          {t('delivery.state.refusedRecipients', { list: refused.map((r) => r.email).join(', ') })}
        </Text>
      ) : null}
      {message.sentCopy ? <SentCopyNote copy={message.sentCopy} /> : null}
      {message.resentAsId ? (
        <Text size="xs" c="dimmed" data-testid="message-resent">
          {t('delivery.state.resent')}
        </Text>
      ) : null}
      {message.resendOfId ? (
        <Text size="xs" c="dimmed">
          {t('delivery.state.isResend')}
        </Text>
      ) : null}
      {canRetry || canSendAgain ? (
        <Group gap="xs">
          {canRetry ? (
            <Button
              size="compact-sm"
              variant="light"
              leftSection={<IconRefresh size={14} />}
              loading={retry.isPending}
              onClick={() => retry.mutate()}
            >
              {message.status === 'deferred' ? t('delivery.state.tryNow') : t('delivery.state.retry')}
            </Button>
          ) : null}
          {canSendAgain ? (
            <Button
              size="compact-sm"
              variant="light"
              color="yellow"
              leftSection={<IconSend size={14} />}
              onClick={confirm.open}
            >
              {t('delivery.state.sendAgain')}
            </Button>
          ) : null}
        </Group>
      ) : null}
      <Modal opened={confirmOpen} onClose={confirm.close} title={t('delivery.state.sendAgainTitle')} centered>
        <Stack gap="md">
          <Alert color="yellow" icon={<IconHelpCircle size={18} />} data-testid="duplicate-warning">
            {t('delivery.state.duplicateWarning')}
          </Alert>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={confirm.close} disabled={sendAgain.isPending}>
              {t('actions.cancel')}
            </Button>
            <Button
              color="yellow"
              onClick={() => sendAgain.mutate()}
              loading={sendAgain.isPending}
              data-autofocus
            >
              {t('delivery.state.sendAgainConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
