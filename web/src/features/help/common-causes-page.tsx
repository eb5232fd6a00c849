import {
  Anchor,
  Badge,
  Box,
  Center,
  Code,
  EmptyState,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconExternalLink, IconSearchOff } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { mailApi } from '../../shared/api/mail-api';
import type { CatalogueItem } from '../../shared/api/mail-types';
import { PageHeader } from '../../shared/ui/page-header';
import { QueryErrorState } from '../../shared/ui/query-error-state';
import { SearchInput } from '../../shared/ui/search-input';

/** Provider ids of the catalogue as people know them. */
const PROVIDER_NAMES: Record<string, string> = {
  gmail: 'Gmail / Google Workspace',
  microsoft: 'Outlook.com / Microsoft 365',
  yahoo: 'Yahoo',
  yandex: 'Yandex',
  mailru: 'Mail.ru',
  icloud: 'iCloud',
  zoho: 'Zoho',
  gmx: 'GMX',
  wp: 'WP.pl',
  onet: 'Onet',
  interia: 'Interia',
  o2: 'o2.pl',
};

/** Areas in the order people meet them: signing in, then sending, then the rest. */
const AREAS = [
  'sign-in',
  'account',
  'connection',
  'encryption',
  'sending',
  'recipient',
  'receiving',
  'server',
];

const matches = (entry: CatalogueItem, query: string) => {
  const needle = query.trim().toLowerCase();
  if (!needle) return true;
  return [
    entry.id,
    entry.title,
    entry.cause,
    entry.userAction,
    entry.adminAction,
    ...entry.examples,
    ...entry.providers,
  ]
    .join('\n')
    .toLowerCase()
    .includes(needle);
};

function Section({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box>
      <Text size="xs" fw={700} tt="uppercase" c="dimmed" style={{ letterSpacing: '0.03em' }}>
        {label}
      </Text>
      {children}
    </Box>
  );
}

function EntryCard({ entry, highlighted }: { entry: CatalogueItem; highlighted: boolean }) {
  const { t } = useTranslation();
  return (
    <Paper
      id={entry.id}
      withBorder
      radius="md"
      p="lg"
      shadow={highlighted ? 'md' : 'xs'}
      component="article"
      aria-current={highlighted ? 'true' : undefined}
      data-highlighted={highlighted || undefined}
      style={{
        scrollMarginTop: 84,
        borderColor: highlighted ? 'var(--mantine-color-indigo-5)' : undefined,
        borderWidth: highlighted ? 2 : undefined,
        background: highlighted ? 'var(--mantine-color-indigo-0)' : undefined,
      }}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="xs">
          <Title order={3} size="h4">
            {entry.title}
          </Title>
          <Group gap={4}>
            {entry.retryable ? (
              <Badge color="blue" variant="light">
                {t('commonCauses.retryable')}
              </Badge>
            ) : (
              <Badge color="gray" variant="light">
                {t('commonCauses.notRetryable')}
              </Badge>
            )}
            {entry.pausesAddress ? (
              <Badge color="orange" variant="light">
                {t('commonCauses.pausesAddress')}
              </Badge>
            ) : null}
            {entry.appliesTo.map((source) => (
              <Badge key={source} color="gray" variant="outline" size="sm">
                {t(`commonCauses.sources.${source}`, { defaultValue: source.toUpperCase() })}
              </Badge>
            ))}
          </Group>
        </Group>
        {highlighted ? (
          <Text size="sm" c="indigo.8" fw={600}>
            {t('commonCauses.linkedHere')}
          </Text>
        ) : null}
        <Text size="sm">{entry.cause}</Text>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Section label={t('diagnosis.whatToDo')}>
            <Text size="sm">{entry.userAction}</Text>
          </Section>
          <Section label={t('diagnosis.forAdmin')}>
            <Text size="sm" c="dimmed">
              {entry.adminAction}
            </Text>
          </Section>
        </SimpleGrid>
        {entry.examples.length > 0 ? (
          <Section label={t('commonCauses.examples')}>
            <Stack gap={4} mt={4}>
              {entry.examples.map((example) => (
                <Code block key={example} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {example}
                </Code>
              ))}
            </Stack>
          </Section>
        ) : null}
        <Group gap="md">
          {entry.providers.length > 0 ? (
            <Text size="xs" c="dimmed">
              {t('commonCauses.providers', {
                list: entry.providers.map((p) => PROVIDER_NAMES[p] ?? p).join(', '),
              })}
            </Text>
          ) : null}
          {entry.helpUrl ? (
            <Anchor href={entry.helpUrl} target="_blank" rel="noopener noreferrer" size="sm">
              <Group gap={4} component="span" wrap="nowrap">
                <IconExternalLink size={14} />
                {t('commonCauses.officialHelp')}
              </Group>
            </Anchor>
          ) : null}
          <Text size="xs" c="dimmed" ff="monospace">
            #{entry.id}
          </Text>
        </Group>
      </Stack>
    </Paper>
  );
}

/**
 * Help → Common causes (M44): every catalogue entry, grouped by area and searchable. Each
 * entry has the anchor `#<id>` that every shown error links to; the linked one is highlighted.
 */
export function CommonCausesPage() {
  const { t, i18n } = useTranslation();
  const { hash } = useLocation();
  const target = decodeURIComponent(hash.replace(/^#/, ''));
  const [search, setSearch] = useState('');
  const catalogue = useQuery({
    queryKey: ['error-catalogue', i18n.language],
    queryFn: ({ signal }) => mailApi.catalogue(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });

  useEffect(() => {
    if (!catalogue.data || !target) return;
    document.getElementById(target)?.scrollIntoView({ block: 'start' });
  }, [catalogue.data, target]);

  const entries = (catalogue.data ?? []).filter((entry) => matches(entry, search));
  const areas = [...AREAS, ...new Set(entries.map((e) => e.area).filter((a) => !AREAS.includes(a)))];

  return (
    <>
      <PageHeader
        title={t('commonCauses.title')}
        description={t('commonCauses.description')}
        breadcrumbs={[
          { label: t('nav.email'), to: '/email/company-addresses' },
          { label: t('commonCauses.title') },
        ]}
      />
      <Group mb="lg" justify="space-between">
        <SearchInput value={search} onChange={setSearch} placeholder={t('commonCauses.search')} />
        {catalogue.data ? (
          <Text size="sm" c="dimmed">
            {t('commonCauses.count', { count: entries.length })}
          </Text>
        ) : null}
      </Group>
      {catalogue.isError ? (
        <Paper withBorder radius="md">
          <QueryErrorState error={catalogue.error} onRetry={() => void catalogue.refetch()} />
        </Paper>
      ) : !catalogue.data ? (
        <Center py={80}>
          <Loader aria-label={t('states.loading')} />
        </Center>
      ) : entries.length === 0 ? (
        <EmptyState
          py={48}
          icon={<IconSearchOff />}
          withIndicatorBackground
          title={t('list.noMatchesTitle', { query: search })}
          description={t('commonCauses.noMatches')}
        />
      ) : (
        <Stack gap="xl">
          {areas.map((area) => {
            const inArea = entries.filter((entry) => entry.area === area);
            if (inArea.length === 0) return null;
            return (
              <Stack gap="sm" key={area} component="section" aria-labelledby={`area-${area}`}>
                <Title order={2} size="h3" id={`area-${area}`}>
                  {t(`commonCauses.areas.${area}`, { defaultValue: area })}
                </Title>
                {inArea.map((entry) => (
                  <EntryCard key={entry.id} entry={entry} highlighted={entry.id === target} />
                ))}
              </Stack>
            );
          })}
        </Stack>
      )}
    </>
  );
}
