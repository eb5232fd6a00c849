import {
  Badge,
  Button,
  Fieldset,
  Grid,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { IncomingProtocol, MailPreset, MailSecurity, PresetEndpoint } from '../../shared/api/mail-types';
import type { FormErrors } from '../../shared/lib/use-form-state';
import { DEFAULT_PORTS, type EndpointValues, presetServers } from './address-form-model';

type Protocol = 'smtp' | IncomingProtocol;
const SECURITIES: MailSecurity[] = ['tls', 'starttls', 'none'];

const isDefaultPort = (protocol: Protocol, port: number | '') =>
  port === '' || Object.values(DEFAULT_PORTS[protocol]).includes(port);

/** `AB:CD:EF:01…` — enough of a fingerprint to recognise it. */
const shortFingerprint = (sha: string) =>
  `${(sha.toUpperCase().match(/.{2}/g) ?? []).slice(0, 6).join(':')}…`;

interface EndpointFieldsProps {
  direction: 'smtp' | 'incoming';
  value: EndpointValues & { protocol?: IncomingProtocol };
  onChange: (next: EndpointValues & { protocol?: IncomingProtocol }) => void;
  errors: FormErrors;
  preset: MailPreset | null;
  variantId?: string | null;
}

/**
 * Host, port and security of one direction (M11, M12), and for incoming mail the protocol.
 * Changing the security suggests its usual port (465/587, 995/110, 993/143) unless the user
 * typed a port of their own; a trusted certificate shows as a badge that can be removed.
 */
export function EndpointFields({
  direction,
  value,
  onChange,
  errors,
  preset,
  variantId,
}: EndpointFieldsProps) {
  const { t } = useTranslation();
  const protocol: Protocol = direction === 'smtp' ? 'smtp' : (value.protocol ?? 'pop3');
  const servers = preset ? presetServers(preset, variantId) : null;
  const suggestedPort = DEFAULT_PORTS[protocol][value.security];
  const prefix = direction === 'smtp' ? 'smtp' : 'incoming';

  const setSecurity = (security: MailSecurity) => {
    const port = isDefaultPort(protocol, value.port) ? DEFAULT_PORTS[protocol][security] : value.port;
    onChange({ ...value, security, port });
  };

  const setProtocol = (next: IncomingProtocol) => {
    const fromPreset: PresetEndpoint | null | undefined = servers ? servers[next] : undefined;
    if (fromPreset) {
      onChange({
        ...value,
        protocol: next,
        host: fromPreset.host,
        port: fromPreset.port,
        security: fromPreset.security,
      });
      return;
    }
    const port = isDefaultPort(protocol, value.port) ? DEFAULT_PORTS[next][value.security] : value.port;
    onChange({ ...value, protocol: next, port });
  };

  const alternatives =
    direction === 'smtp' && servers
      ? servers.smtp.filter(
          (e) => !(e.host === value.host.trim() && e.port === value.port && e.security === value.security),
        )
      : [];
  const pop3Missing = servers !== null && servers.pop3 === null && preset?.id !== 'other';

  return (
    <Fieldset
      legend={t(direction === 'smtp' ? 'addressForm.outgoingLegend' : 'addressForm.incomingLegend')}
      radius="md"
      variant="filled"
    >
      <Stack gap="sm">
        {direction === 'incoming' ? (
          <div>
            <Text size="sm" fw={500} mb={4} id="incoming-protocol-label">
              {t('addressForm.protocol')}
            </Text>
            <SegmentedControl
              aria-labelledby="incoming-protocol-label"
              value={protocol}
              onChange={(next) => setProtocol(next as IncomingProtocol)}
              data={[
                {
                  value: 'pop3',
                  disabled: pop3Missing,
                  label: pop3Missing ? (
                    <Tooltip label={t('addressForm.pop3Unavailable')}>
                      <span>POP3</span>
                    </Tooltip>
                  ) : (
                    'POP3'
                  ),
                },
                { value: 'imap', label: 'IMAP' },
              ]}
            />
            <Text size="xs" c="dimmed" mt={4}>
              {pop3Missing
                ? t('addressForm.pop3Unavailable')
                : t(`addressForm.protocolHint.${value.protocol ?? 'pop3'}`)}
            </Text>
          </div>
        ) : null}
        <Grid gap="sm">
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput
              label={t('addressForm.host')}
              placeholder={direction === 'smtp' ? 'smtp.example.com' : 'pop.example.com'}
              required
              value={value.host}
              onChange={(event) => onChange({ ...value, host: event.currentTarget.value })}
              error={errors[`${prefix}.host`]}
              autoComplete="off"
              spellCheck={false}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 4, sm: 2 }}>
            <NumberInput
              label={t('addressForm.port')}
              required
              min={1}
              max={65535}
              // Never clamp 70000 to 65535 behind the user's back: out of range is a field error.
              clampBehavior="none"
              allowDecimal={false}
              allowNegative={false}
              hideControls
              value={value.port}
              onChange={(next) => onChange({ ...value, port: typeof next === 'number' ? next : '' })}
              error={errors[`${prefix}.port`]}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 8, sm: 4 }}>
            <Select
              label={t('addressForm.security')}
              required
              allowDeselect={false}
              data={SECURITIES.map((s) => ({ value: s, label: t(`addressForm.securityOptions.${s}`) }))}
              value={value.security}
              onChange={(next) => next && setSecurity(next as MailSecurity)}
              error={errors[`${prefix}.security`]}
            />
          </Grid.Col>
        </Grid>
        <Text size="xs" c="dimmed">
          {t(`addressForm.securityHints.${value.security}`)}
          {value.port !== '' && value.port !== suggestedPort && !isDefaultPort(protocol, value.port)
            ? ` ${t('addressForm.usualPort', { port: suggestedPort })}`
            : null}
        </Text>
        {alternatives.length > 0 ? (
          <Group gap="xs">
            <Text size="xs" c="dimmed">
              {t('addressForm.alternatives')}
            </Text>
            {alternatives.map((e) => (
              <Button
                key={`${e.host}:${e.port}`}
                size="compact-xs"
                variant="light"
                onClick={() =>
                  onChange({ ...value, host: e.host, port: e.port, security: e.security, pin: null })
                }
              >
                {e.host}:{e.port} · {t(`addressForm.securityOptions.${e.security}`)}
              </Button>
            ))}
          </Group>
        ) : null}
        {value.pin ? (
          <Group gap="xs">
            <Badge color="teal" variant="light" leftSection={<IconShieldCheck size={12} />}>
              {t('addressForm.pinned', { fingerprint: shortFingerprint(value.pin.sha256) })}
            </Badge>
            <Button
              size="compact-xs"
              variant="subtle"
              color="red"
              onClick={() => onChange({ ...value, pin: null })}
            >
              {t('addressForm.unpin')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Fieldset>
  );
}
