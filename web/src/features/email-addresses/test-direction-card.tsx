import { Badge, Box, Group, Loader, Paper, Stack, Text, ThemeIcon, VisuallyHidden } from '@mantine/core';
import { IconCheck, IconInbox, IconMinus, IconSend, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type {
  CertificateInfo,
  DirectionResult,
  StepId,
  TestProtocol,
  TestStep,
} from '../../shared/api/mail-types';
import { formatDuration } from '../../shared/lib/format-relative';
import { CertificatePanel } from './certificate-panel';
import { stepLabelKey } from './connection-test-plan';
import { DiagnosisPanel } from './diagnosis-panel';

/** How the dialog lets a user trust a presented certificate (absent in read-only views). */
export interface TrustControl {
  pinnedSha256: string | null;
  onTrustChange: (certificate: CertificateInfo | null) => void;
  onRetest: () => void;
  retesting: boolean;
}

interface TestDirectionCardProps {
  direction: 'smtp' | 'incoming';
  protocol: TestProtocol;
  /** "smtp.gmail.com:465 · SSL/TLS". */
  endpoint: string;
  /** The outcome, or null while the test is still running. */
  result: DirectionResult | null;
  /** Steps shown with a spinner while waiting. */
  planned: StepId[];
  trust?: TrustControl;
}

function StepIcon({ outcome }: { outcome: TestStep['outcome'] | 'running' }) {
  if (outcome === 'running') return <Loader size={16} type="oval" />;
  if (outcome === 'ok') {
    return (
      <ThemeIcon size={20} radius="xl" color="teal" variant="light">
        <IconCheck size={13} stroke={3} />
      </ThemeIcon>
    );
  }
  if (outcome === 'failed') {
    return (
      <ThemeIcon size={20} radius="xl" color="red" variant="filled">
        <IconX size={13} stroke={3} />
      </ThemeIcon>
    );
  }
  return (
    <ThemeIcon size={20} radius="xl" color="gray" variant="light">
      <IconMinus size={13} />
    </ThemeIcon>
  );
}

/**
 * One direction of "Test account" (SMTP, or POP3/IMAP): its steps as a vertical checklist
 * with outcome and time; a failed step unfolds into its explanation (M18, M19).
 */
export function TestDirectionCard(props: TestDirectionCardProps) {
  const { t, i18n } = useTranslation();
  const { result, protocol } = props;
  const title = t(props.direction === 'smtp' ? 'connectionTest.outgoing' : 'connectionTest.incoming', {
    protocol: protocol.toUpperCase(),
  });
  const steps: (TestStep | { id: StepId; outcome: 'running' })[] =
    result?.steps ?? props.planned.map((id) => ({ id, outcome: 'running' as const }));

  return (
    <Paper withBorder radius="md" p="md" data-testid={`test-${props.direction}`} aria-label={title}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="xs" wrap="nowrap">
          {props.direction === 'smtp' ? <IconSend size={18} /> : <IconInbox size={18} />}
          <div>
            <Text fw={650} size="sm">
              {title}
            </Text>
            <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
              {props.endpoint}
            </Text>
          </div>
        </Group>
        {result ? (
          <Badge color={result.ok ? 'teal' : 'red'} variant="light">
            {t(result.ok ? 'connectionTest.works' : 'connectionTest.fails')}
          </Badge>
        ) : (
          <Badge color="gray" variant="light">
            {t('connectionTest.checking')}
          </Badge>
        )}
      </Group>
      <Stack gap={6} mt="md" component="ol" p={0} m={0} style={{ listStyle: 'none' }}>
        {steps.map((step) => {
          const done = step.outcome !== 'running' ? (step as TestStep) : null;
          const failed = done?.outcome === 'failed';
          return (
            <Box component="li" key={step.id}>
              <Group gap="sm" wrap="nowrap" align="center">
                <StepIcon outcome={step.outcome} />
                <Text size="sm" fw={failed ? 650 : 400} c={step.outcome === 'skipped' ? 'dimmed' : undefined}>
                  {t(stepLabelKey(protocol, step.id))}
                </Text>
                <VisuallyHidden>{t(`connectionTest.outcome.${step.outcome}`)}</VisuallyHidden>
                <Box style={{ flex: 1 }} />
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {done
                    ? done.outcome === 'skipped'
                      ? t('connectionTest.skipped')
                      : formatDuration(done.durationMs, i18n.language)
                    : null}
                </Text>
              </Group>
              {failed && done ? (
                <Box
                  mt={6}
                  mb={4}
                  ml={30}
                  pl="sm"
                  style={{ borderLeft: '3px solid var(--mantine-color-red-4)' }}
                >
                  <Stack gap="sm">
                    <DiagnosisPanel diagnosis={done.diagnosis} reply={done.reply} failure={done.failure} />
                    {done.failure?.kind === 'certificate' && result?.certificate && props.trust ? (
                      <CertificatePanel
                        certificate={result.certificate}
                        problem={done.failure.certificateProblem}
                        trusted={props.trust.pinnedSha256 === result.certificate.sha256}
                        onTrustChange={(trusted) =>
                          props.trust?.onTrustChange(trusted ? (result.certificate ?? null) : null)
                        }
                        onRetest={props.trust.onRetest}
                        retesting={props.trust.retesting}
                      />
                    ) : null}
                  </Stack>
                </Box>
              ) : null}
            </Box>
          );
        })}
      </Stack>
    </Paper>
  );
}
