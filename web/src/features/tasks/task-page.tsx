import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconPaperclip } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { formatDateTime } from '../../shared/lib/format-date';
import { notifyError } from '../../shared/ui/notify';
import { PageHeader } from '../../shared/ui/page-header';
import { QueryErrorState } from '../../shared/ui/query-error-state';
import { useIsAdmin, useSession } from '../auth/session-query';
import { ReceivedComment } from '../inbound/ReceivedComment';
import { CommentComposer } from './comment-composer';
import { CommentEmails } from './comment-emails';
import { ContactSearch } from './contact-search';
import { TASKS_KEY, type Task, type TaskComment, tasksApi } from './tasks-api';
import { threadRefreshMs } from './thread-refresh';

/** A task: its participants, the comment thread with each comment's emails, and the composer. */
export function TaskPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const task = useQuery({ queryKey: [TASKS_KEY, id], queryFn: ({ signal }) => tasksApi.get(id, signal) });
  const comments = useQuery({
    queryKey: [TASKS_KEY, id, 'comments'],
    queryFn: ({ signal }) => tasksApi.comments(id, signal),
    // Email states change in the background (the outbox worker): refresh often while any is
    // pending or was just sent (its answer or bounce comes in seconds). Replies arrive in the
    // background too, so a quiet thread is still refreshed while the page is in front of the user.
    refetchInterval: (q) => threadRefreshMs(q.state.data?.items, Date.now()),
  });
  const update = useMutation({
    mutationFn: (input: Parameters<typeof tasksApi.update>[1]) => tasksApi.update(id, input),
    onSuccess: (row) => {
      queryClient.setQueryData([TASKS_KEY, id], row);
      void queryClient.invalidateQueries({ queryKey: [TASKS_KEY, 'list'] });
    },
    onError: (error) => notifyError(error, t),
  });
  if (task.isError) return <QueryErrorState error={task.error} onRetry={() => void task.refetch()} />;
  if (!task.data) return null;
  const data = task.data;
  const contactIds = data.participants.filter((p) => p.kind === 'contact').map((p) => p.id);
  return (
    <>
      <PageHeader
        title={data.title}
        breadcrumbs={[
          { label: t('projects.title'), to: '/projects' },
          { label: data.projectName, to: `/projects/${data.projectId}/tasks` },
          { label: data.title },
        ]}
        actions={
          <Group gap="sm" wrap="wrap">
            <Badge variant="dot" color={data.status === 'open' ? 'teal' : 'gray'}>
              {t(`tasks.status.${data.status}`)}
            </Badge>
            <Button
              variant="default"
              size="xs"
              loading={update.isPending}
              onClick={() => update.mutate({ status: data.status === 'open' ? 'closed' : 'open' })}
            >
              {data.status === 'open' ? t('tasks.close') : t('tasks.reopen')}
            </Button>
          </Group>
        }
      />
      <Stack gap="lg">
        <Participants
          task={data}
          onAdd={(cid) => update.mutate({ contactIds: [...contactIds, cid] })}
          busy={update.isPending}
        />
        <section aria-labelledby="thread-title">
          <Title order={2} size="h4" id="thread-title" mb="sm">
            {t('tasks.thread')}
          </Title>
          {comments.isError ? (
            <QueryErrorState error={comments.error} onRetry={() => void comments.refetch()} />
          ) : comments.data && comments.data.items.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('tasks.noComments')}
            </Text>
          ) : (
            <Stack gap="sm" component="ol" p={0} m={0} style={{ listStyle: 'none' }} data-testid="thread">
              {comments.data && comments.data.offset > 0 ? (
                <Text size="sm" c="dimmed">
                  {t('tasks.earlierHidden', { count: comments.data.offset })}
                </Text>
              ) : null}
              {(comments.data?.items ?? []).map((c) => (
                <CommentItem key={c.id} comment={c} />
              ))}
            </Stack>
          )}
        </section>
        <CommentComposer task={data} />
      </Stack>
    </>
  );
}

function Participants({
  task,
  onAdd,
  busy,
}: {
  task: Task;
  onAdd: (contactId: string) => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="participants-title">
      <Title order={2} size="h4" id="participants-title" mb="xs">
        {t('tasks.participants')}
      </Title>
      {task.participants.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('tasks.noParticipants')}
        </Text>
      ) : (
        <Group gap="xs" wrap="wrap" mb="sm">
          {task.participants.map((p) => (
            <Badge
              key={`${p.kind}-${p.id}`}
              variant="light"
              color={p.kind === 'contact' ? 'grape' : 'blue'}
              tt="none"
              // On a phone a long "name <address>" wraps instead of being cut off with "…".
              h="auto"
              maw="100%"
              styles={{
                label: { whiteSpace: 'normal', overflowWrap: 'anywhere', lineHeight: 1.5, textAlign: 'left' },
              }}
              data-testid="participant"
            >
              {p.email ? `${p.name} <${p.email}>` : p.name}
            </Badge>
          ))}
        </Group>
      )}
      <ContactSearch
        exclude={task.participants.filter((p) => p.kind === 'contact').map((p) => p.id)}
        onPick={onAdd}
        disabled={busy}
      />
    </Paper>
  );
}

function CommentItem({ comment }: { comment: TaskComment }) {
  const { t, i18n } = useTranslation();
  const { employee } = useSession();
  const isAdmin = useIsAdmin();
  return (
    <Paper component="li" withBorder p="md" radius="md" data-testid="comment">
      <Group justify="space-between" gap="xs" wrap="wrap" mb={4}>
        <Text fw={600} size="sm">
          {comment.author.name}
          {comment.source === 'email' ? (
            <Text span c="dimmed" size="xs">
              {' '}
              · {t('tasks.viaEmail')}
            </Text>
          ) : null}
        </Text>
        <Text size="xs" c="dimmed">
          {formatDateTime(comment.createdAt, i18n.language)}
        </Text>
      </Group>
      {comment.source === 'email' ? (
        // Received mail: new text first, history folded, sanitized HTML, images on request (M41).
        <ReceivedComment commentId={comment.id} fallbackText={comment.bodyText} />
      ) : (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {comment.bodyText}
        </Text>
      )}
      {comment.attachments.length > 0 ? (
        <Group gap="xs" mt="xs" wrap="wrap" aria-label={t('tasks.attachments')}>
          {comment.attachments.map((a) => (
            <Anchor
              key={a.id}
              href={a.url}
              size="sm"
              download={a.filename}
              style={{ overflowWrap: 'anywhere' }}
            >
              <IconPaperclip size={14} style={{ verticalAlign: 'middle' }} /> {a.filename}
            </Anchor>
          ))}
        </Group>
      ) : null}
      <CommentEmails emails={comment.emails} canAct={isAdmin || comment.author.id === employee.id} />
    </Paper>
  );
}
