import { Alert, Group, List, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { IconAlertTriangle, IconCircleCheck, IconCircleX, IconRefreshAlert } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncomingProtocol, MailSecurity, TestResult } from '../../shared/api/mail-types';
import { errorMessage } from '../../shared/lib/error-message';
import { formatDuration } from '../../shared/lib/format-relative';
import { plannedSteps } from './connection-test-plan';
import { TestDirectionCard, type TrustControl } from './test-direction-card';

/** One run of "Test account": what was tested, and its outcome once it arrives. */
export interface TestRun {
  /** The connection key (address-form-model connectionKey) the run was started with. */
  key: string;
  startedAt: number;
  smtp: { endpoint: string; security: MailSecurity };
  incoming: { endpoint: string; security: MailSecurity; protocol: IncomingProtocol };
  result: TestResult | null;
  /** The request itself was refused (validation, permission, rate limit, network). */
  error: unknown;
}

interface ConnectionTestViewProps {
  run: TestRun;
  /** Settings changed since this run: its verdict no longer applies to the form. */
  stale?: boolean;
  trust?: { smtp: TrustControl; incoming: TrustControl };
  /** Messages of the refused request that belong to no visible field. */
  requestProblems?: string[];
}

function Elapsed({ startedAt }: { startedAt: number }) {
  const [now, setNow] = useState(Date.now());
  const interval = useInterval(() => setNow(Date.now()), 1000);
  useEffect(() => {
    interval.start();
    return interval.stop;
  }, [interval.start, interval.stop]);
  return <>{Math.max(0, Math.round((now - startedAt) / 1000))}</>;
}

/** The whole test result: a summary line, then both directions side by side (M18). */
export function ConnectionTestView({ run, stale, trust, requestProblems = [] }: ConnectionTestViewProps) {
  const { t, i18n } = useTranslation();
  const { result } = run;

  if (run.error) {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconAlertTriangle size={18} />}
        title={t('connectionTest.notRun')}
      >
        <Text size="sm">{errorMessage(run.error, t)}</Text>
        {requestProblems.length > 0 ? (
          <List size="sm" mt={4}>
            {requestProblems.map((problem) => (
              <List.Item key={problem}>{problem}</List.Item>
            ))}
          </List>
        ) : null}
      </Alert>
    );
  }

  const failures = result
    ? [
        result.smtp.ok
          ? null
          : { key: 'smtp', label: t('connectionTest.outgoingShort'), d: result.smtp.diagnosis },
        result.incoming.ok
          ? null
          : { key: 'incoming', label: t('connectionTest.incomingShort'), d: result.incoming.diagnosis },
      ].filter((x) => x !== null)
    : [];

  return (
    <Stack gap="sm" data-testid="connection-test" aria-live="polite">
      {!result ? (
        <Group gap="sm" wrap="nowrap">
          <Loader size="sm" />
          <div>
            <Text size="sm" fw={600}>
              {t('connectionTest.running')} <Elapsed startedAt={run.startedAt} /> s
            </Text>
            <Text size="xs" c="dimmed">
              {t('connectionTest.runningHint')}
            </Text>
          </div>
        </Group>
      ) : result.ok ? (
        <Alert
          color="teal"
          variant="light"
          icon={<IconCircleCheck size={18} />}
          title={t('connectionTest.passedTitle')}
        >
          {t('connectionTest.passedText', { duration: formatDuration(result.durationMs, i18n.language) })}
        </Alert>
      ) : (
        <Alert
          color="red"
          variant="light"
          icon={<IconCircleX size={18} />}
          title={t('connectionTest.failedTitle')}
        >
          <List size="sm" spacing={2}>
            {failures.map((failure) => (
              <List.Item key={failure.key}>
                <Text span size="sm" fw={600}>
                  {failure.label}:
                </Text>{' '}
                {failure.d?.title ?? t('connectionTest.failedNoDiagnosis')}
              </List.Item>
            ))}
          </List>
          <Text size="sm" mt={6}>
            {t('connectionTest.failedHint')}
          </Text>
        </Alert>
      )}
      {stale && result ? (
        <Alert color="yellow" variant="light" icon={<IconRefreshAlert size={18} />} p="xs">
          <Text size="sm">{t('connectionTest.stale')}</Text>
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" style={{ alignItems: 'start' }}>
        <TestDirectionCard
          direction="smtp"
          protocol="smtp"
          endpoint={run.smtp.endpoint}
          result={result?.smtp ?? null}
          planned={plannedSteps('smtp', run.smtp.security)}
          trust={trust?.smtp}
        />
        <TestDirectionCard
          direction="incoming"
          protocol={run.incoming.protocol}
          endpoint={run.incoming.endpoint}
          result={result?.incoming ?? null}
          planned={plannedSteps(run.incoming.protocol, run.incoming.security)}
          trust={trust?.incoming}
        />
      </SimpleGrid>
    </Stack>
  );
}
