import { Anchor, Avatar, Badge, Group, Text } from '@mantine/core';
import { IconFolder, IconFolders } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ADDRESSES_KEY } from '../../shared/api/mail-api';
import { projectsApi } from '../../shared/api/resources';
import type { Project } from '../../shared/api/types';
import { formatDateTime } from '../../shared/lib/format-date';
import type { Column } from '../../shared/ui/data-table';
import { ResourcePage } from '../../shared/ui/resource-page';
import { useIsAdmin } from '../auth/session-query';
import { ProjectForm } from './project-form';

/** Account management → Projects. */
export function ProjectsPage() {
  const { t, i18n } = useTranslation();
  const isAdmin = useIsAdmin();

  const columns: Column<Project>[] = [
    {
      key: 'name',
      header: t('projects.fields.name'),
      render: (project) => (
        <Group gap="sm" wrap="nowrap">
          <Avatar color={project.archived ? 'gray' : 'cyan'} radius="md" size={32}>
            <IconFolder size={18} />
          </Avatar>
          <Anchor
            component={Link}
            to={`/projects/${project.id}/tasks`}
            size="sm"
            fw={500}
            c={project.archived ? 'dimmed' : undefined}
            aria-label={t('tasks.openListNamed', { name: project.name })}
          >
            {project.name}
          </Anchor>
        </Group>
      ),
    },
    {
      key: 'description',
      header: t('projects.fields.description'),
      render: (project) => (
        <Text size="sm" c="dimmed" lineClamp={2}>
          {project.description || '—'}
        </Text>
      ),
    },
    {
      key: 'status',
      header: t('projects.fields.status'),
      width: 140,
      render: (project) => (
        <Badge variant="dot" color={project.archived ? 'gray' : 'teal'}>
          {t(project.archived ? 'projects.archived' : 'projects.active')}
        </Badge>
      ),
    },
    {
      key: 'updated',
      header: t('common.updatedAt'),
      wideOnly: true,
      width: 200,
      render: (project) => (
        <Text size="sm" c="dimmed">
          {formatDateTime(project.updatedAt, i18n.language)}
        </Text>
      ),
    },
  ];
  return (
    <ResourcePage
      area="projects"
      canManage={isAdmin}
      api={projectsApi}
      related={[ADDRESSES_KEY]}
      columns={columns}
      emptyIcon={<IconFolders />}
      renderForm={(project, close) => <ProjectForm project={project} onDone={close} />}
    />
  );
}
