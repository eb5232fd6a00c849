import { Anchor, Breadcrumbs, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../lib/use-document-title';

export interface Crumb {
  label: string;
  to?: string;
}

interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  breadcrumbs?: Crumb[];
  /** Buttons on the right (e.g. "Add employee"). */
  actions?: ReactNode;
  /** Shown before the title (e.g. an avatar on the employee card). */
  leading?: ReactNode;
}

/** Title row of a page: breadcrumbs, title, description and page actions. */
export function PageHeader({ title, description, breadcrumbs, actions, leading }: PageHeaderProps) {
  const { t } = useTranslation();
  useDocumentTitle(title);
  return (
    <Stack gap="xs" mb="lg">
      {breadcrumbs && breadcrumbs.length > 0 ? (
        // A navigation landmark of links; the last crumb is this page (issue 8 item 7).
        <nav aria-label={t('nav.breadcrumbs')}>
          <Breadcrumbs separatorMargin={6} fz="sm" style={{ flexWrap: 'wrap' }}>
            {breadcrumbs.map((crumb, i) =>
              crumb.to && i < breadcrumbs.length - 1 ? (
                <Anchor key={crumb.label} component={Link} to={crumb.to} c="dimmed" fz="sm">
                  {crumb.label}
                </Anchor>
              ) : (
                <Text
                  key={crumb.label}
                  c="dimmed"
                  fz="sm"
                  aria-current={i === breadcrumbs.length - 1 ? 'page' : undefined}
                >
                  {crumb.label}
                </Text>
              ),
            )}
          </Breadcrumbs>
        </nav>
      ) : null}
      {/* Wraps on narrow screens: the actions go below the title instead of over it. */}
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Group gap="md" wrap="nowrap" miw={0} style={{ flex: '1 1 16rem' }}>
          {leading}
          <Stack gap={4} miw={0}>
            {/* The page's one h1 (issue 8 item 7); sized like before. */}
            <Title order={1} size="h2" fw={650}>
              {title}
            </Title>
            {description ? (
              <Text c="dimmed" size="sm" maw={720}>
                {description}
              </Text>
            ) : null}
          </Stack>
        </Group>
        {actions ? (
          <Group gap="sm" wrap="nowrap">
            {actions}
          </Group>
        ) : null}
      </Group>
    </Stack>
  );
}
