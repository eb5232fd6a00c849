import {
  Alert,
  Box,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertCircle, IconLock } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { storedLanguage } from '../../i18n/language';
import { isApiError } from '../../shared/api/api-error';
import { logIn, saveSessionLanguage } from '../../shared/api/session-api';
import type { Session } from '../../shared/api/types';
import { errorMessage } from '../../shared/lib/error-message';
import { useDocumentTitle } from '../../shared/lib/use-document-title';
import { useFormState } from '../../shared/lib/use-form-state';
import { createValidators } from '../../shared/lib/validators';
import { ProductMark } from '../../shared/ui/product-mark';
import { LanguageSwitch } from './language-switch';
import { SESSION_KEY, useSessionQuery } from './session-query';

/** Where to go after login: the page that sent us here, or the employees list. */
function targetAfterLogin(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : '/employees';
}

/**
 * A language picked on this device (e.g. on this page) is the user's explicit choice: it becomes
 * the account's too, so server messages and e-mails follow it. Failing to save it is not a
 * reason to refuse the sign-in; the device still remembers it.
 */
async function withDeviceLanguage(session: Session): Promise<Session> {
  const language = storedLanguage();
  if (!language || language === session.employee.language) return session;
  return saveSessionLanguage(language).catch(() => session);
}

/** The sign-in screen. */
export function LoginPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('login.title'));
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const session = useSessionQuery();
  const [failure, setFailure] = useState<{ message: string; rateLimited: boolean } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const validators = createValidators(t);
  const form = useFormState({ email: '', password: '' }, (values) => ({
    email: validators.email(values.email),
    password: validators.present(values.password),
  }));

  if (session.data) return <Navigate to={targetAfterLogin(location.state)} replace />;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submitting || !form.validate()) return;
    setSubmitting(true);
    setFailure(null);
    try {
      const next = await withDeviceLanguage(await logIn(form.values.email.trim(), form.values.password));
      queryClient.setQueryData(SESSION_KEY, next);
      navigate(targetAfterLogin(location.state), { replace: true });
    } catch (error) {
      setFailure({
        message: errorMessage(error, t),
        rateLimited: isApiError(error) && error.code === 'RATE_LIMITED',
      });
      form.setErrors({});
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Box mih="100vh" bg="var(--mantine-color-gray-0)">
      <Group justify="space-between" px="lg" py="md">
        <ProductMark />
        <LanguageSwitch />
      </Group>
      <Center px="md" py={48}>
        <Paper withBorder shadow="sm" radius="lg" p={32} w="100%" maw={420}>
          <form onSubmit={onSubmit} noValidate>
            <Stack gap="md">
              <Stack gap={4}>
                <Title order={1} size="h2" fw={650}>
                  {t('login.title')}
                </Title>
                <Text c="dimmed" size="sm">
                  {t('login.subtitle')}
                </Text>
              </Stack>
              {failure ? (
                <Alert
                  color={failure.rateLimited ? 'orange' : 'red'}
                  variant="light"
                  icon={failure.rateLimited ? <IconLock size={18} /> : <IconAlertCircle size={18} />}
                  role="alert"
                >
                  {failure.message}
                </Alert>
              ) : null}
              <TextInput
                label={t('login.email')}
                type="email"
                autoComplete="username"
                autoFocus
                required
                {...form.textProps('email')}
              />
              <PasswordInput
                label={t('login.password')}
                autoComplete="current-password"
                required
                visibilityToggleButtonProps={{ 'aria-label': t('login.togglePassword') }}
                {...form.textProps('password')}
              />
              <Button type="submit" fullWidth loading={submitting} mt="xs">
                {t('login.submit')}
              </Button>
              <Text size="xs" c="dimmed" ta="center">
                {t('login.firstStartHint')}
              </Text>
            </Stack>
          </form>
        </Paper>
      </Center>
    </Box>
  );
}
