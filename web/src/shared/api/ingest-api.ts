import type { MailboxCollectionView } from '../../../../src/http/schemas/ingest.schema';
import { apiRequest } from './http-client';

/** Collection status of one address (M36), as `GET /api/email-addresses/:id/collection` returns it. */
export type MailboxCollection = MailboxCollectionView;

const base = (addressId: string) => `/api/email-addresses/${encodeURIComponent(addressId)}`;

export const ingestApi = {
  /** "Check now": the worker collects replies from the mailbox within seconds. */
  checkNow: (addressId: string) => apiRequest<MailboxCollection>('POST', `${base(addressId)}/check-now`),
  collection: (addressId: string, signal?: AbortSignal) =>
    apiRequest<MailboxCollection>('GET', `${base(addressId)}/collection`, { signal }),
};
