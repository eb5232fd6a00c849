import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconAlertTriangle, IconRoute, IconStarFilled } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ADDRESSES_KEY, mailApi } from '../../shared/api/mail-api';
import type { SenderPreview } from '../../shared/api/mail-types';
import { MAX_PAGE_SIZE, projectsApi } from '../../shared/api/resources';
import type { Employee } from '../../shared/api/types';
import { useResourceList } from '../../shared/lib/use-resource';
import { QueryErrorState } from '../../shared/ui/query-error-state';
import { useSession } from '../auth/session-query';
import { EmployeePicker } from '../employees/employee-picker';
import classes from './address-cards.module.css';

/**
 * The name an option is sent with. The preview leaves it empty for a company address
 * without its own name; such mail goes out under the workspace's name (M9).
 */
function senderName(name: string, rule: string, workspaceName: string): string {
  return name || (rule.startsWith('company_') ? workspaceName : '');
}

/** The preview as the server pages it: `excluded` is a slice of `excludedTotal` addresses. */
type PagedPreview = SenderPreview & { excludedTotal?: number };

/** Excluded addresses fetched at first, and how many more each "show more" asks for. */
const EXCLUDED_STEP = 50;

function PreviewResult({ preview, onMore }: { preview: PagedPreview; onMore: () => void }) {
  const { t } = useTranslation();
  // Phones: the tables become stacked cards (address-cards.module.css), no sideways scrolling.
  const narrow = useMediaQuery('(max-width: 47.99em)') ?? false;
  const { workspace } = useSession();
  return (
    <Stack gap="md" data-testid="sender-preview">
      {/* Each thing once (issue 8 item 7): the summary sentence says who sends as what and why;
          the other choices and the excluded addresses are in the tables below, not repeated
          as sentences, and "no sender" is the alert alone. */}
      {preview.default !== null && preview.sentences[0] ? (
        <Paper
          p="sm"
          radius="md"
          bg="var(--mantine-color-indigo-0)"
          style={{ borderLeft: '4px solid var(--mantine-color-indigo-5)' }}
        >
          <Text size="sm">{preview.sentences[0]}</Text>
        </Paper>
      ) : null}
      {preview.default === null ? (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />}>
          {t('senderPreview.noSender')}
        </Alert>
      ) : null}
      {preview.choices.length > 0 ? (
        <div>
          <Text fw={600} size="sm" mb={4}>
            {t('senderPreview.choices')}
          </Text>
          <Table.ScrollContainer minWidth={narrow ? 0 : 560}>
            <Table verticalSpacing="xs" aria-label={t('senderPreview.choices')} className={classes.cards}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('addresses.columns.address')}</Table.Th>
                  <Table.Th>{t('addresses.columns.senderName')}</Table.Th>
                  <Table.Th>{t('senderPreview.why')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.choices.map((choice) => {
                  const isDefault =
                    preview.default !== null &&
                    choice.addressId === preview.default.addressId &&
                    choice.kind === preview.default.kind;
                  return (
                    <Table.Tr key={`${choice.kind}:${choice.addressId ?? choice.email}`}>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <Text size="sm" fw={isDefault ? 600 : 400}>
                            {choice.email}
                          </Text>
                          {isDefault ? (
                            <Badge size="sm" color="indigo" leftSection={<IconStarFilled size={10} />}>
                              {t('senderPreview.default')}
                            </Badge>
                          ) : null}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {senderName(choice.displayName, choice.because.rule, workspace.name)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed">
                          {t(`senderPreview.rules.${choice.because.rule}`, {
                            defaultValue: choice.because.rule,
                          })}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </div>
      ) : null}
      {preview.excluded.length > 0 ? (
        <div>
          <Text fw={600} size="sm" mb={4}>
            {t('senderPreview.excluded')}
          </Text>
          <Table.ScrollContainer minWidth={narrow ? 0 : 560}>
            <Table verticalSpacing="xs" aria-label={t('senderPreview.excluded')} className={classes.cards}>
              <Table.Tbody>
                {preview.excluded.map((item) => (
                  <Table.Tr key={item.addressId}>
                    <Table.Td w="45%">
                      <Text size="sm">{item.email}</Text>
                      <Text size="xs" c="dimmed">
                        {t(`senderPreview.scope.${item.scope}`)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {item.reasons.map((reason) => (
                          <Badge key={reason} color="gray" variant="light" tt="none" fw={500}>
                            {t(`senderPreview.reasons.${reason}`, { defaultValue: reason })}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {(preview.excludedTotal ?? 0) > preview.excluded.length ? (
            <Button variant="subtle" size="xs" mt={4} onClick={onMore}>
              {t('senderPreview.showMoreExcluded', {
                count: (preview.excludedTotal ?? 0) - preview.excluded.length,
              })}
            </Button>
          ) : null}
        </div>
      ) : null}
    </Stack>
  );
}

/**
 * Sender preview (M28) for admins: for an employee and a project, which address an email
 * goes out from, why, and which addresses were left out and for what reason.
 */
export function SenderPreviewPanel({ fixedEmployee }: { fixedEmployee: Employee | null }) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<Employee | null>(null);
  const [projectId, setProjectId] = useState<string | null>(null);
  const employee = fixedEmployee ?? picked;
  const projects = useResourceList(projectsApi, { limit: MAX_PAGE_SIZE, offset: 0 });
  const [excludedLimit, setExcludedLimit] = useState(EXCLUDED_STEP);
  const preview = useQuery({
    queryKey: [ADDRESSES_KEY, 'senders', employee?.id, projectId, excludedLimit],
    queryFn: ({ signal }) => mailApi.senders(employee?.id ?? '', projectId, excludedLimit, signal),
    enabled: employee !== null,
    placeholderData: keepPreviousData,
  });

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      shadow="xs"
      component="section"
      aria-labelledby="sender-preview-title"
    >
      <Stack gap="md">
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <IconRoute size={20} style={{ marginTop: 2 }} />
          <div>
            <Title order={4} id="sender-preview-title">
              {t('senderPreview.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t(fixedEmployee ? 'senderPreview.descriptionFixed' : 'senderPreview.description', {
                name: fixedEmployee?.name ?? '',
              })}
            </Text>
          </div>
        </Group>
        <SimpleGrid
          cols={{ base: 1, sm: fixedEmployee ? 1 : 2 }}
          spacing="md"
          maw={fixedEmployee ? 420 : 860}
        >
          {fixedEmployee ? null : (
            <EmployeePicker
              label={t('senderPreview.employee')}
              placeholder={t('addresses.employee.pickPlaceholder')}
              selected={picked}
              onPick={setPicked}
            />
          )}
          <Select
            label={t('senderPreview.project')}
            placeholder={t('senderPreview.noProject')}
            data={(projects.data?.items ?? []).map((project) => ({ value: project.id, label: project.name }))}
            value={projectId}
            onChange={setProjectId}
            clearable
            searchable
            nothingFoundMessage={t('addressForm.nothingFound')}
          />
        </SimpleGrid>
        {employee === null ? (
          <Text size="sm" c="dimmed">
            {t('senderPreview.pickEmployee')}
          </Text>
        ) : preview.isError ? (
          <QueryErrorState error={preview.error} onRetry={() => void preview.refetch()} />
        ) : preview.data ? (
          <PreviewResult
            preview={preview.data}
            onMore={() => setExcludedLimit((n) => n + EXCLUDED_STEP * 4)}
          />
        ) : (
          <Loader size="sm" aria-label={t('states.loading')} />
        )}
      </Stack>
    </Paper>
  );
}
