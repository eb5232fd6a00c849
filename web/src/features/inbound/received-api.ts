import { apiRequest } from '../../shared/api/http-client';

/** A comment that arrived by email, as GET /api/comments/:id/received gives it. */
export interface ReceivedView {
  commentId: string;
  kind: 'comment' | 'reply' | 'auto_reply';
  from: { email: string; name: string };
  subject: string;
  text: string;
  quotedText: string;
  /** Sanitized on the server; remote images carry `data-mr-src` instead of `src`. */
  html: string;
  remoteImages: number;
  unreadable: boolean;
  autoReplyReason: string | null;
  omittedAttachments: { filename: string; size: number }[];
  inlineImages: { contentId: string; attachmentId: string }[];
  originalHref: string;
}

export const receivedKey = (commentId: string) => ['received-comment', commentId] as const;

export const receivedApi = {
  get: (commentId: string, signal?: AbortSignal) =>
    apiRequest<ReceivedView>('GET', `/api/comments/${encodeURIComponent(commentId)}/received`, { signal }),
};
