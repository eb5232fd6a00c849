import { Alert, Anchor, Badge, Box, Button, Collapse, Group, Loader, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertTriangle, IconDownload, IconPhoto, IconRobot } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ReceivedView, receivedApi, receivedKey } from './received-api';
import { receivedDocument } from './received-document';

interface ReceivedCommentProps {
  commentId: string;
  /** The comment's text from the thread, shown while the reading view loads. */
  fallbackText?: string;
}

/**
 * A comment that arrived by email (issue 10 item 4): the new text first with the quoted
 * history folded, received HTML in a sandboxed frame with remote images blocked until
 * "Pokaż obrazy", "could not be read" for quarantined mail, and the original one click away.
 * The task thread renders it for comments with source 'email'.
 */
export function ReceivedComment({ commentId, fallbackText }: ReceivedCommentProps) {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: receivedKey(commentId),
    queryFn: ({ signal }) => receivedApi.get(commentId, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (query.isPending)
    return (
      <Stack gap={4}>
        {fallbackText ? <PlainText text={fallbackText} /> : null}
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="xs" c="dimmed">
            {t('inbound.received.loading')}
          </Text>
        </Group>
      </Stack>
    );
  if (query.isError)
    return (
      <Stack gap={4}>
        {fallbackText ? <PlainText text={fallbackText} /> : null}
        <Text size="xs" c="red">
          {t('inbound.received.loadFailed')}
        </Text>
      </Stack>
    );
  return <ReceivedBody view={query.data} />;
}

function ReceivedBody({ view }: { view: ReceivedView }) {
  const { t } = useTranslation();
  const [quoted, quotedToggle] = useDisclosure(false);
  const [showImages, setShowImages] = useState(false);
  return (
    <Stack gap="xs" data-testid="received-comment" data-comment-id={view.commentId}>
      {view.kind === 'auto_reply' ? (
        <Badge
          variant="light"
          color="grape"
          leftSection={<IconRobot size={12} />}
          data-testid="auto-reply-badge"
          w="fit-content"
        >
          {t('inbound.received.autoReply')}
        </Badge>
      ) : null}

      {view.unreadable ? (
        <Alert
          color="orange"
          icon={<IconAlertTriangle size={18} />}
          title={t('inbound.received.unreadableTitle')}
        >
          <Text size="sm">{t('inbound.received.unreadableBody')}</Text>
        </Alert>
      ) : view.html ? (
        <>
          {view.remoteImages > 0 && !showImages ? (
            <Group gap="xs" wrap="wrap" data-testid="images-blocked">
              <Text size="xs" c="dimmed" style={{ flex: '1 1 220px' }}>
                {t('inbound.received.imagesBlocked', { count: view.remoteImages })}
              </Text>
              <Button
                size="compact-xs"
                variant="default"
                leftSection={<IconPhoto size={14} />}
                onClick={() => setShowImages(true)}
              >
                {t('inbound.received.showImages')}
              </Button>
            </Group>
          ) : null}
          <MessageFrame view={view} showImages={showImages} showQuoted={quoted} />
          {view.html.includes('data-mr-quote') ? (
            <QuoteToggle open={quoted} onToggle={quotedToggle.toggle} />
          ) : null}
        </>
      ) : (
        <>
          <PlainText text={view.text} />
          {view.quotedText ? (
            <>
              <QuoteToggle open={quoted} onToggle={quotedToggle.toggle} />
              <Collapse expanded={quoted}>
                <Box pl="sm" style={{ borderLeft: '2px solid var(--mantine-color-gray-4)' }}>
                  <PlainText text={view.quotedText} dimmed />
                </Box>
              </Collapse>
            </>
          ) : null}
        </>
      )}

      {view.omittedAttachments.length > 0 ? (
        <Text size="xs" c="dimmed">
          {t('inbound.received.omitted', {
            names: view.omittedAttachments.map((a) => a.filename).join(', '),
          })}
        </Text>
      ) : null}
      <Anchor href={view.originalHref} size="xs" download data-testid="original-link">
        <Group gap={4} component="span" wrap="nowrap">
          <IconDownload size={14} />
          {t('inbound.received.original')}
        </Group>
      </Anchor>
    </Stack>
  );
}

function QuoteToggle({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  const { t } = useTranslation();
  return (
    <Button
      size="compact-xs"
      variant="subtle"
      color="gray"
      onClick={onToggle}
      aria-expanded={open}
      w="fit-content"
    >
      {open ? t('inbound.received.hideQuoted') : `⋯ ${t('inbound.received.showQuoted')}`}
    </Button>
  );
}

function PlainText({ text, dimmed }: { text: string; dimmed?: boolean }) {
  return (
    <Text
      size="sm"
      c={dimmed ? 'dimmed' : undefined}
      style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
    >
      {text}
    </Text>
  );
}

/**
 * The HTML in a frame without scripts (sandbox without allow-scripts), same-origin only so we
 * can size it to its content; links open outside the sandbox in a new tab.
 */
function MessageFrame({
  view,
  showImages,
  showQuoted,
}: {
  view: ReceivedView;
  showImages: boolean;
  showQuoted: boolean;
}) {
  const { t } = useTranslation();
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(40);
  const srcDoc = useMemo(
    () =>
      receivedDocument({
        html: view.html,
        origin: window.location.origin,
        inlineImages: view.inlineImages,
        showImages,
        showQuoted,
      }),
    [view, showImages, showQuoted],
  );
  const measure = useCallback(() => {
    const body = frame.current?.contentDocument?.documentElement;
    if (body) setHeight(Math.min(Math.max(body.scrollHeight, 24), 20_000));
  }, []);
  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    let observer: ResizeObserver | null = null;
    const onLoad = () => {
      measure();
      const body = el.contentDocument?.body;
      if (body && typeof ResizeObserver !== 'undefined') {
        observer?.disconnect();
        observer = new ResizeObserver(measure);
        observer.observe(body);
      }
    };
    el.addEventListener('load', onLoad);
    return () => {
      el.removeEventListener('load', onLoad);
      observer?.disconnect();
    };
  }, [measure]);
  return (
    <iframe
      ref={frame}
      title={t('inbound.received.frameTitle', { from: view.from.name || view.from.email })}
      sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
      referrerPolicy="no-referrer"
      srcDoc={srcDoc}
      data-testid="received-html"
      style={{ width: '100%', height, border: 0, display: 'block' }}
    />
  );
}
