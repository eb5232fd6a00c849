import {
  Alert,
  Anchor,
  Badge,
  Button,
  Collapse,
  Fieldset,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAlertCircle,
  IconArrowLeft,
  IconChevronDown,
  IconChevronRight,
  IconPlugConnected,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../shared/api/api-error';
import { ADDRESSES_KEY, type AddressOwner, mailApi } from '../../shared/api/mail-api';
import type { CertificateInfo, EmailAddress } from '../../shared/api/mail-types';
import { errorMessage } from '../../shared/lib/error-message';
import { useFormState } from '../../shared/lib/use-form-state';
import { notifyError, notifySuccess } from '../../shared/ui/notify';
import { AdditionalOptions } from './additional-options';
import { addressFieldErrors } from './address-field-errors';
import {
  type AddressValues,
  applyPreset,
  type EndpointValues,
  endpointChanged,
  needsTest,
  saveInput,
  valuesOf,
} from './address-form-model';
import { addressRules, connectionErrors, DISPLAYED_FIELDS } from './address-form-rules';
import { ConnectionTestView } from './connection-test-view';
import { EmailField } from './email-field';
import { OAuthConnectPanel, useOAuthProvider } from './oauth-connect-panel';
import { PasswordField } from './password-field';
import { localized, PresetNotes } from './preset-picker';
import { EndpointFields } from './server-fields';
import { useConnectionTest } from './use-connection-test';
import { usePresets } from './use-presets';

interface AddressFormProps {
  owner: AddressOwner;
  /** The saved address being edited; null when adding. */
  address: EmailAddress | null;
  /** Starting values (a new address: after the preset was applied). */
  startValues: AddressValues;
  variantId: string | null;
  /** The sender name used when the field is left empty (employee or workspace name, M9). */
  defaultSenderName: string;
  /** Back to the service picker (new addresses), with the address typed so far. */
  onBack?: (email: string) => void;
  /** Closes the form; with the saved address after a successful save. */
  onDone: (saved?: EmailAddress) => void;
}

const isDisplayed = (key: string) => DISPLAYED_FIELDS.has(key);

/**
 * The settings of one external address (SPEC §2.3–§2.5): account, servers, additional
 * options, "Test account", and Save — which stays disabled until the current connection
 * settings passed a test (M17, M20); the server enforces the same.
 */
/** The UI page of the row a 409 ADDRESS_EXISTS points at (the server sends its API link). */
function existingRowLink(details: unknown): string | null {
  const existing = (details as { existing?: { id: string; scope: string; ownerEmployeeId: string | null } })
    ?.existing;
  if (!existing) return null;
  return existing.scope === 'company'
    ? `/email/company-addresses?open=${existing.id}`
    : `/email/employee-addresses?employee=${existing.ownerEmployeeId}&open=${existing.id}`;
}

export function AddressForm({
  owner,
  address,
  startValues,
  variantId: startVariant,
  defaultSenderName,
  onBack,
  onDone,
}: AddressFormProps) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const presets = usePresets();
  const initial = useMemo(() => (address ? valuesOf(address) : null), [address]);
  const [variantId, setVariantId] = useState(startVariant);
  const [moreOpen, more] = useDisclosure(false);
  const [saving, setSaving] = useState(false);
  const [saveProblems, setSaveProblems] = useState<string[]>([]);
  /** Where the row holding this mailbox already is (409 ADDRESS_EXISTS, issue 8 item 3). */
  const [existingAt, setExistingAt] = useState<string | null>(null);
  const [requestProblems, setRequestProblems] = useState<string[]>([]);
  const isCompany = owner.scope === 'company';

  // Whether a password is required depends on the values themselves (M21).
  const contextOf = (v: AddressValues) => {
    const reenter = initial !== null && endpointChanged(initial, v);
    // OAuth (M47): a connected grant, or a saved OAuth address, needs no password.
    const oauth = v.oauthGrantId !== null || (address?.authType === 'oauth2' && v.password === '');
    return {
      passwordRequired: !oauth && (!address || reenter || !address.passwordSet),
      mustReenter: reenter && !oauth,
    };
  };
  const rules = (v: AddressValues) => addressRules(t, contextOf(v))(v);
  const form = useFormState<AddressValues>(startValues, rules);
  const { values } = form;
  const mustReenter = contextOf(values).mustReenter;

  const test = useConnectionTest({ values, initial, addressId: address?.id ?? null, owner });
  const preset = presets.data?.find((p) => p.id === values.presetId) ?? null;
  const oauthProvider = useOAuthProvider(preset);
  const usesOAuth = values.oauthGrantId !== null || address?.authType === 'oauth2';
  const requiresTest = needsTest(initial, values);
  const canSave = !requiresTest || test.token !== null;

  const set = <K extends keyof AddressValues>(field: K, value: AddressValues[K]) =>
    form.setFieldValue(field, value);
  const setEndpoint = (direction: 'smtp' | 'incoming', next: EndpointValues) =>
    form.updateValues((v) => ({ ...v, [direction]: { ...v[direction], ...next } }), direction);
  const trust = (direction: 'smtp' | 'incoming', certificate: CertificateInfo | null) =>
    setEndpoint(direction, {
      ...values[direction],
      pin: certificate ? { sha256: certificate.sha256, pem: certificate.pem } : null,
    });

  const runTest = async () => {
    const problems = connectionErrors(rules(values));
    if (Object.keys(problems).length > 0) {
      form.setErrors({ ...form.errors, ...problems });
      return;
    }
    setRequestProblems([]);
    setSaveProblems([]);
    const outcome = await test.start(values);
    if (outcome && 'error' in outcome) {
      const split = addressFieldErrors(outcome.error, isDisplayed, t);
      form.setErrors({ ...form.errors, ...split.fields });
      setRequestProblems(split.other);
    }
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving || !canSave || !form.validate()) return;
    setSaving(true);
    setSaveProblems([]);
    setExistingAt(null);
    try {
      const input = saveInput(values, initial, isCompany);
      if (requiresTest && test.token) input.testToken = test.token;
      const saved = address
        ? await mailApi.update(owner, address.id, input)
        : await mailApi.create(owner, input);
      await queryClient.invalidateQueries({ queryKey: [ADDRESSES_KEY] });
      notifySuccess(t(address ? 'addresses.updated' : 'addresses.created', { email: saved.email }));
      onDone(saved);
    } catch (error) {
      if (isApiError(error) && error.code === 'ADDRESS_EXISTS') {
        setExistingAt(existingRowLink(error.details));
        setSaveProblems([error.message]);
      } else if (isApiError(error) && error.code === 'TEST_REQUIRED') {
        test.reset();
        setSaveProblems([t('addressForm.testRequiredByServer')]);
      } else {
        const split = addressFieldErrors(error, isDisplayed, t);
        form.setErrors(split.fields);
        setSaveProblems(split.other.length > 0 ? split.other : [errorMessage(error, t)]);
      }
      notifyError(error, t);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="lg">
        <Group justify="space-between" gap="xs">
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {t('addressForm.service')}
            </Text>
            <Badge variant="light" size="lg" radius="sm" tt="none">
              {preset ? localized(preset.name, i18n.language) : t('addressForm.noService')}
            </Badge>
          </Group>
          {onBack ? (
            <Button
              variant="subtle"
              size="xs"
              leftSection={<IconArrowLeft size={14} />}
              onClick={() => onBack(values.email)}
            >
              {t('addressForm.changeService')}
            </Button>
          ) : null}
        </Group>
        {preset ? <PresetNotes preset={preset} /> : null}

        <Fieldset legend={t('addressForm.accountLegend')} radius="md" variant="filled">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <EmailField
              value={values.email}
              error={form.errors.email}
              presetId={values.presetId}
              onChange={(email) =>
                form.updateValues(
                  (v) => ({ ...v, email, login: v.login === '' || v.login === v.email ? email : v.login }),
                  'email',
                )
              }
              onUsePreset={(next, variant) => {
                setVariantId(variant);
                form.updateValues((v) => applyPreset(v, next, variant), 'smtp');
              }}
            />
            <TextInput
              label={t('addressForm.displayName')}
              description={t('addressForm.displayNameHint', { name: defaultSenderName })}
              placeholder={defaultSenderName}
              {...form.textProps('displayName')}
            />
            <TextInput
              label={t('addressForm.login')}
              description={t('addressForm.loginHint')}
              autoComplete="off"
              spellCheck={false}
              {...form.textProps('login')}
            />
            {usesOAuth ? null : (
              <PasswordField
                value={values.password}
                onChange={(password) => set('password', password)}
                preset={preset}
                passwordSet={address?.passwordSet ?? false}
                mustReenter={mustReenter}
                error={form.errors.password}
              />
            )}
          </SimpleGrid>
          {oauthProvider ? (
            <Stack mt="sm">
              <OAuthConnectPanel
                provider={oauthProvider}
                owner={owner}
                address={address}
                values={values}
                variantId={variantId}
                onUsePassword={() =>
                  form.updateValues((v) => ({ ...v, oauthGrantId: null, oauthEmail: null }), 'password')
                }
              />
            </Stack>
          ) : null}
        </Fieldset>

        <EndpointFields
          direction="smtp"
          value={values.smtp}
          onChange={(next) => setEndpoint('smtp', next)}
          errors={form.errors}
          preset={preset}
          variantId={variantId}
        />
        <EndpointFields
          direction="incoming"
          value={values.incoming}
          onChange={(next) => setEndpoint('incoming', next as EndpointValues)}
          errors={form.errors}
          preset={preset}
          variantId={variantId}
        />

        <div>
          <Button
            variant="subtle"
            color="gray"
            px={4}
            onClick={more.toggle}
            aria-expanded={moreOpen}
            leftSection={moreOpen ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
          >
            {t('addressForm.moreOptions')}
          </Button>
          <Text size="xs" c="dimmed" ml={30}>
            {t(isCompany ? 'addressForm.moreOptionsHintCompany' : 'addressForm.moreOptionsHint')}
          </Text>
          <Collapse expanded={moreOpen}>
            <Paper withBorder radius="md" p="md" mt="sm">
              <AdditionalOptions values={values} set={set} errors={form.errors} isCompany={isCompany} />
            </Paper>
          </Collapse>
        </div>

        <Paper withBorder radius="md" p="md" bg="var(--mantine-color-gray-0)">
          <Stack gap="md">
            <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
              <div>
                <Text fw={650}>{t('connectionTest.title')}</Text>
                <Text size="sm" c="dimmed">
                  {t('connectionTest.description')}
                </Text>
              </div>
              <Button
                leftSection={<IconPlugConnected size={16} />}
                onClick={() => void runTest()}
                loading={test.running}
                variant={test.token ? 'default' : 'filled'}
                style={{ flexShrink: 0 }}
              >
                {t('connectionTest.run')}
              </Button>
            </Group>
            {test.run ? (
              <ConnectionTestView
                run={test.run}
                stale={test.stale}
                requestProblems={requestProblems}
                trust={{
                  smtp: {
                    pinnedSha256: values.smtp.pin?.sha256 ?? null,
                    onTrustChange: (c) => trust('smtp', c),
                    onRetest: () => void runTest(),
                    retesting: test.running,
                  },
                  incoming: {
                    pinnedSha256: values.incoming.pin?.sha256 ?? null,
                    onTrustChange: (c) => trust('incoming', c),
                    onRetest: () => void runTest(),
                    retesting: test.running,
                  },
                }}
              />
            ) : null}
          </Stack>
        </Paper>

        <Text size="xs" c="dimmed" data-testid="both-scopes-note">
          {t('addressForm.bothScopesNote')}
        </Text>
        {saveProblems.length > 0 ? (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertCircle size={18} />}
            title={t('addressForm.saveFailed')}
          >
            <Stack gap={2}>
              {saveProblems.map((problem) => (
                <Text size="sm" key={problem}>
                  {problem}
                </Text>
              ))}
              {existingAt ? (
                <Anchor component={Link} to={existingAt} size="sm" fw={600} onClick={() => onDone()}>
                  {t('addressForm.openExisting')}
                </Anchor>
              ) : null}
            </Stack>
          </Alert>
        ) : null}
        <Group justify="space-between" gap="sm" wrap="wrap">
          <Text size="sm" c={canSave ? 'teal.8' : 'dimmed'} data-testid="save-status" maw={520}>
            {!requiresTest
              ? t('addressForm.saveNoTestNeeded')
              : canSave
                ? t('addressForm.saveReady')
                : test.stale
                  ? t('addressForm.saveNeedsRetest')
                  : t('addressForm.saveNeedsTest')}
          </Text>
          <Group gap="sm">
            <Button variant="default" onClick={() => onDone()} disabled={saving}>
              {t('actions.cancel')}
            </Button>
            <Button type="submit" loading={saving} disabled={!canSave || test.running}>
              {t(address ? 'actions.save' : 'addressForm.saveNew')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
