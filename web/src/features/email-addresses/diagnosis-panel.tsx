import { Anchor, Box, Button, Code, Collapse, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBook2, IconChevronDown, IconChevronRight, IconExternalLink } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Diagnosis, StepFailure } from '../../shared/api/mail-types';

interface DiagnosisPanelProps {
  diagnosis: Diagnosis | null;
  /** The server's own reply at the failed step (sanitised by the server; rendered as text). */
  reply: string | null;
  failure: StepFailure | null;
}

/** Link to an entry of the Common causes page (M44); a new tab keeps an open dialog intact. */
export function CommonCausesLink({ id, label }: { id: string; label?: string }) {
  const { t } = useTranslation();
  return (
    <Anchor
      href={`/help/common-causes#${encodeURIComponent(id)}`}
      target="_blank"
      rel="noopener"
      size="sm"
      inline
    >
      <Group gap={4} component="span" wrap="nowrap">
        <IconBook2 size={14} />
        {label ?? t('diagnosis.commonCauses')}
      </Group>
    </Anchor>
  );
}

/** The technical codes of a failure, for when the server said nothing readable. */
function technicalSummary(failure: StepFailure | null): string {
  if (!failure) return '';
  return [failure.responseCode, failure.enhancedCode, failure.code, failure.certificateProblem]
    .filter((part) => part !== null && part !== '')
    .join(' · ');
}

/**
 * A failed step explained (M19, M43): the plain-language cause first, what to do, what an
 * administrator can check, then the server's original reply and links to the catalogue.
 */
export function DiagnosisPanel({ diagnosis, reply, failure }: DiagnosisPanelProps) {
  const { t } = useTranslation();
  const [adminOpen, admin] = useDisclosure(false);
  const technical = technicalSummary(failure);

  return (
    <Stack gap={8} data-testid="diagnosis">
      {diagnosis ? (
        <>
          <Text size="sm" fw={650} c="red.8">
            {diagnosis.title}
          </Text>
          <Text size="sm">{diagnosis.cause}</Text>
          <Box>
            <Text size="xs" fw={700} tt="uppercase" c="dimmed" style={{ letterSpacing: '0.03em' }}>
              {t('diagnosis.whatToDo')}
            </Text>
            <Text size="sm">{diagnosis.userAction}</Text>
          </Box>
          <Box>
            <Button
              variant="subtle"
              size="compact-xs"
              px={0}
              color="gray"
              onClick={admin.toggle}
              aria-expanded={adminOpen}
              leftSection={adminOpen ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
            >
              {t('diagnosis.forAdmin')}
            </Button>
            <Collapse expanded={adminOpen}>
              <Text size="sm" c="dimmed" mt={4}>
                {diagnosis.adminAction}
              </Text>
            </Collapse>
          </Box>
        </>
      ) : (
        <Text size="sm">{t('diagnosis.noDiagnosis')}</Text>
      )}
      <Box>
        <Text size="xs" fw={700} tt="uppercase" c="dimmed" style={{ letterSpacing: '0.03em' }}>
          {t('diagnosis.serverReply')}
        </Text>
        {reply ? (
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="server-reply">
            {reply}
          </Code>
        ) : (
          <Text size="sm" c="dimmed">
            {t('diagnosis.noReply')}
          </Text>
        )}
        {technical ? (
          <Text size="xs" c="dimmed" mt={4}>
            {t('diagnosis.technical', { codes: technical })}
          </Text>
        ) : null}
      </Box>
      {diagnosis ? (
        <Group gap="md">
          <CommonCausesLink id={diagnosis.id} />
          {diagnosis.helpUrl ? (
            <Anchor href={diagnosis.helpUrl} target="_blank" rel="noopener noreferrer" size="sm" inline>
              <Group gap={4} component="span" wrap="nowrap">
                <IconExternalLink size={14} />
                {t('diagnosis.providerHelp')}
              </Group>
            </Anchor>
          ) : null}
        </Group>
      ) : null}
    </Stack>
  );
}
