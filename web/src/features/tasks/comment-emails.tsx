import { Paper, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { OutgoingMessage } from '../delivery/delivery-types';
import { MessageState } from '../delivery/MessageState';
import { TASKS_KEY } from './tasks-api';

/**
 * The emails a comment caused, each with its state (M32, M35: "wysłano" = accepted by your
 * mail server), its failure explained and Retry / Send again (`<MessageState>`, delivery).
 */
export function CommentEmails({ emails, canAct }: { emails: OutgoingMessage[]; canAct: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  if (emails.length === 0) return null;
  return (
    <Stack
      gap={6}
      mt="xs"
      aria-label={t('tasks.emails.label')}
      component="ul"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
    >
      {emails.map((e) => (
        <Paper
          component="li"
          key={e.id}
          withBorder
          p="xs"
          radius="sm"
          data-testid="comment-email"
          data-status={e.status}
        >
          <Text size="xs" c="dimmed" mb={4} style={{ overflowWrap: 'anywhere' }}>
            {t('tasks.emails.to', { to: e.to.map((r) => r.name || r.email).join(', ') })}
            {e.sender.email ? ` · ${t('tasks.emails.from', { from: e.sender.email })}` : ''}
          </Text>
          <MessageState
            message={e}
            canAct={canAct}
            onChanged={() => void queryClient.invalidateQueries({ queryKey: [TASKS_KEY] })}
          />
        </Paper>
      ))}
    </Stack>
  );
}
