import {
  Alert,
  Button,
  Checkbox,
  FileButton,
  Group,
  Paper,
  Stack,
  Switch,
  Text,
  Textarea,
} from '@mantine/core';
import { IconPaperclip, IconSend, IconX } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isVisiblyBlank } from '../../../../src/domain/visible-text';
import { isApiError } from '../../shared/api/api-error';
import { errorMessage } from '../../shared/lib/error-message';
import { IconAction } from '../../shared/ui/icon-action';
import { notifySuccess } from '../../shared/ui/notify';
import { useSession } from '../auth/session-query';
import { SenderPicker, useTaskSenders } from './sender-picker';
import {
  ATTACHMENT_TOTAL_BYTES,
  fileToBase64,
  MAX_ATTACHMENTS,
  TASKS_KEY,
  type Task,
  tasksApi,
} from './tasks-api';

const newKey = () => crypto.randomUUID();

const FILENAME_PATH = /^\/body\/attachments\/\d+\/filename$/;

/**
 * The server's own sentence for each refused field (already in the UI language), once each; a
 * blank file name gets the composer's specific one instead of the generic "required".
 */
const fieldMessages = (error: unknown, blankFileName: string): string[] =>
  isApiError(error)
    ? [
        ...new Set(
          error.fields
            .map((f) => (f.code === 'required' && FILENAME_PATH.test(f.path) ? blankFileName : f.message))
            .filter((m): m is string => !!m),
        ),
      ]
    : [];

/**
 * Writes a comment; optionally notifies chosen contacts by email from a chosen sender. One
 * idempotency key per draft: a double click or a retried request creates one comment (M31).
 */
export function CommentComposer({ task }: { task: Task }) {
  const { t } = useTranslation();
  const { employee } = useSession();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [notify, setNotify] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  const [sender, setSender] = useState<string | null>(null);
  const [key, setKey] = useState(newKey);
  const senders = useTaskSenders(employee.id, task.projectId, task.id);
  const contacts = task.participants.filter((p) => p.kind === 'contact');
  const withEmail = contacts.filter((c) => c.email);
  const total = files.reduce((n, f) => n + f.size, 0);
  const tooLarge = total > ATTACHMENT_TOTAL_BYTES;
  const tooMany = files.length > MAX_ATTACHMENTS;
  // The server refuses such a name (domain/visible-text.ts); say so before the upload.
  const blankName = files.some((f) => isVisiblyBlank(f.name));
  const notifyIds = notify ? picked.filter((id) => withEmail.some((c) => c.id === id)) : [];

  const send = useMutation({
    mutationFn: async () => {
      const attachments = await Promise.all(
        files.map(async (f) => ({
          filename: f.name,
          contentType: f.type || undefined,
          content: await fileToBase64(f),
        })),
      );
      return tasksApi.comment(
        task.id,
        {
          body,
          ...(notifyIds.length > 0 ? { notifyContactIds: notifyIds } : {}),
          ...(notifyIds.length > 0 && sender ? { senderAddressId: sender } : {}),
          ...(attachments.length > 0 ? { attachments } : {}),
        },
        key,
      );
    },
    onSuccess: () => {
      setBody('');
      setFiles([]);
      setNotify(false);
      setPicked([]);
      setKey(newKey());
      void queryClient.invalidateQueries({ queryKey: [TASKS_KEY] });
      notifySuccess(t('tasks.composer.sent'));
    },
  });
  const empty = !body.trim() && files.length === 0;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="composer-title">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!empty && !tooLarge && !tooMany && !blankName) send.mutate();
        }}
      >
        <Stack gap="sm">
          <Text id="composer-title" fw={600}>
            {t('tasks.composer.label')}
          </Text>
          <Textarea
            aria-labelledby="composer-title"
            placeholder={t('tasks.composer.placeholder')}
            autosize
            minRows={3}
            maxRows={14}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            maxLength={100_000}
          />
          <Group gap="xs" wrap="wrap">
            <FileButton onChange={(added) => setFiles((f) => [...f, ...added])} multiple>
              {(props) => (
                <Button {...props} variant="default" size="xs" leftSection={<IconPaperclip size={14} />}>
                  {t('tasks.composer.attach')}
                </Button>
              )}
            </FileButton>
            <Text size="xs" c="dimmed">
              {t('tasks.composer.attachHint', { count: MAX_ATTACHMENTS })}
            </Text>
          </Group>
          {files.length > 0 ? (
            <Group gap="xs" wrap="wrap">
              {files.map((f, i) => (
                <Group key={`${f.name}-${f.size}-${f.lastModified}`} gap={4} wrap="nowrap">
                  <Text
                    size="sm"
                    style={{ overflowWrap: 'anywhere' }}
                    c={isVisiblyBlank(f.name) ? 'red' : undefined}
                  >
                    {isVisiblyBlank(f.name) ? t('tasks.composer.unnamedFile') : f.name}
                  </Text>
                  <IconAction
                    size="sm"
                    label={t('tasks.composer.removeFile', {
                      name: isVisiblyBlank(f.name) ? t('tasks.composer.unnamedFile') : f.name,
                    })}
                    onClick={() => setFiles((all) => all.filter((_, j) => j !== i))}
                    icon={<IconX size={14} />}
                  />
                </Group>
              ))}
            </Group>
          ) : null}
          {blankName ? <Alert color="red">{t('tasks.composer.blankFileName')}</Alert> : null}
          {tooLarge ? <Alert color="red">{t('tasks.composer.tooLarge')}</Alert> : null}
          {tooMany ? (
            <Alert color="red">{t('tasks.composer.tooMany', { count: MAX_ATTACHMENTS })}</Alert>
          ) : null}
          <Switch
            label={t('tasks.composer.notify')}
            checked={notify}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              setNotify(on);
              if (on && picked.length === 0) setPicked(withEmail.map((c) => c.id));
            }}
          />
          {notify ? (
            <Stack gap="sm" pl={{ base: 0, sm: 'md' }}>
              {withEmail.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('tasks.composer.noContacts')}
                </Text>
              ) : (
                <Checkbox.Group label={t('tasks.composer.notifyLegend')} value={picked} onChange={setPicked}>
                  <Stack gap={6} mt={6}>
                    {contacts.map((c) => (
                      <Checkbox
                        key={c.id}
                        value={c.id}
                        disabled={!c.email}
                        label={
                          c.email ? `${c.name} <${c.email}>` : `${c.name} (${t('tasks.contactNoEmail')})`
                        }
                      />
                    ))}
                  </Stack>
                </Checkbox.Group>
              )}
              <SenderPicker
                preview={senders.data}
                loading={senders.isLoading}
                employeeId={employee.id}
                value={sender}
                onChange={setSender}
              />
            </Stack>
          ) : null}
          {send.isError ? (
            <Alert color="red" role="alert">
              {errorMessage(send.error, t)}
              {fieldMessages(send.error, t('tasks.composer.blankFileName')).map((m) => (
                <Text key={m} size="sm">
                  {m}
                </Text>
              ))}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button
              type="submit"
              leftSection={<IconSend size={16} />}
              loading={send.isPending}
              disabled={empty || tooLarge || tooMany || blankName}
            >
              {notifyIds.length > 0 ? t('tasks.composer.sendAndNotify') : t('tasks.composer.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
