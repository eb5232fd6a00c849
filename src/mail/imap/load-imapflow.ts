import type * as ImapFlowModule from 'imapflow';

let loading: Promise<typeof ImapFlowModule> | null = null;

/**
 * imapflow (with its MIME and charset libraries) loads on the first IMAP connection instead of
 * at start-up: it was the largest module graph on the path to the first request (decision 0012).
 */
export function loadImapFlow(): Promise<typeof ImapFlowModule> {
  loading ??= import('imapflow');
  return loading;
}
