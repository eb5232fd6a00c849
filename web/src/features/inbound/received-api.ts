import type { ReceivedView } from '../../../../src/http/schemas/received.schema';
import { apiRequest } from '../../shared/api/http-client';

/** A comment that arrived by email, as GET /api/comments/:id/received gives it. */
export type { ReceivedView };

export const receivedKey = (commentId: string) => ['received-comment', commentId] as const;

export const receivedApi = {
  get: (commentId: string, signal?: AbortSignal) =>
    apiRequest<ReceivedView>('GET', `/api/comments/${encodeURIComponent(commentId)}/received`, { signal }),
};
