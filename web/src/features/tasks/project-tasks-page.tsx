import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Pagination,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconChecklist, IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isVisiblyBlank } from '../../../../src/domain/visible-text';
import { projectsApi } from '../../shared/api/resources';
import { formatRelative } from '../../shared/lib/format-relative';
import { ListEmptyState } from '../../shared/ui/list-empty-state';
import { notifyError, notifySuccess } from '../../shared/ui/notify';
import { PageHeader } from '../../shared/ui/page-header';
import { QueryErrorState } from '../../shared/ui/query-error-state';
import { TASKS_KEY, tasksApi } from './tasks-api';

const PAGE = 25;

/** Project → Tasks: the project's tasks, most recently active first, and "New task". */
export function ProjectTasksPage() {
  const { t, i18n } = useTranslation();
  const { id: projectId = '' } = useParams();
  const [status, setStatus] = useState<'open' | 'closed' | 'all'>('open');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const project = useQuery({
    queryKey: [projectsApi.key, projectId],
    queryFn: ({ signal }) => projectsApi.get(projectId, signal),
  });
  const tasks = useQuery({
    queryKey: [TASKS_KEY, 'list', projectId, status, page],
    queryFn: ({ signal }) =>
      tasksApi.list(
        { projectId, status: status === 'all' ? undefined : status, limit: PAGE, offset: (page - 1) * PAGE },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  if (project.isError)
    return <QueryErrorState error={project.error} onRetry={() => void project.refetch()} />;
  const name = project.data?.name ?? '';
  return (
    <>
      <PageHeader
        title={t('tasks.projectTitle', { project: name })}
        description={t('tasks.description')}
        breadcrumbs={[{ label: t('projects.title'), to: '/projects' }, { label: name }]}
        actions={
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => setCreating(true)}
            disabled={project.data?.archived}
          >
            {t('tasks.add')}
          </Button>
        }
      />
      <SegmentedControl
        mb="md"
        aria-label={t('tasks.filter.label')}
        value={status}
        onChange={(v) => {
          setStatus(v as typeof status);
          setPage(1);
        }}
        data={(['open', 'closed', 'all'] as const).map((v) => ({ value: v, label: t(`tasks.filter.${v}`) }))}
      />
      {tasks.isError ? (
        <QueryErrorState error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : tasks.data && tasks.data.items.length === 0 ? (
        <ListEmptyState
          query=""
          onClearSearch={() => setStatus('all')}
          icon={<IconChecklist />}
          title={t('tasks.empty')}
          description={t('tasks.description')}
        />
      ) : (
        <Stack
          gap="sm"
          component="ul"
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
          aria-label={t('tasks.title')}
        >
          {(tasks.data?.items ?? []).map((task) => {
            const contacts = task.participants.filter((p) => p.kind === 'contact');
            return (
              <Card component="li" key={task.id} withBorder padding="md" radius="md">
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Anchor
                    component={Link}
                    to={`/tasks/${task.id}`}
                    fw={600}
                    style={{ overflowWrap: 'anywhere' }}
                  >
                    {task.title}
                  </Anchor>
                  <Badge variant="dot" color={task.status === 'open' ? 'teal' : 'gray'}>
                    {t(`tasks.status.${task.status}`)}
                  </Badge>
                </Group>
                <Text size="sm" c="dimmed" mt={4}>
                  {t('tasks.lastActivity', { when: formatRelative(task.lastActivityAt, i18n.language) })}
                  {contacts.length > 0 ? ` · ${contacts.map((c) => c.name).join(', ')}` : ''}
                </Text>
              </Card>
            );
          })}
        </Stack>
      )}
      {tasks.data && tasks.data.total > PAGE ? (
        <Pagination mt="md" total={Math.ceil(tasks.data.total / PAGE)} value={page} onChange={setPage} />
      ) : null}
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('tasks.add')} fullScreen={false}>
        <NewTaskForm projectId={projectId} onDone={() => setCreating(false)} />
      </Modal>
    </>
  );
}

function NewTaskForm({ projectId, onDone }: { projectId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  // As the server's rule: spaces or invisible characters only are no title.
  const blank = isVisiblyBlank(title);
  const create = useMutation({
    mutationFn: () => tasksApi.create({ projectId, title: title.trim() }),
    onSuccess: (task) => {
      void queryClient.invalidateQueries({ queryKey: [TASKS_KEY] });
      notifySuccess(t('tasks.created'));
      onDone();
      void navigate(`/tasks/${task.id}`);
    },
    onError: (error) => notifyError(error, t),
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!blank) create.mutate();
      }}
    >
      <Stack>
        <TextInput
          label={t('tasks.fields.title')}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          maxLength={300}
          required
          error={title !== '' && blank ? t('validation.required') : undefined}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending} disabled={blank}>
            {t('actions.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
