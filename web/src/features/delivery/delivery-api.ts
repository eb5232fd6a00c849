import { apiRequest } from '../../shared/api/http-client';
import type { DeliveryLogFilters, DeliveryLogPage, OutgoingMessage } from './delivery-types';

/** Query key root of everything the Delivery log caches (actions refresh it). */
export const MESSAGES_KEY = 'messages';

export const deliveryApi = {
  list: (filters: DeliveryLogFilters, signal?: AbortSignal) =>
    apiRequest<DeliveryLogPage>('GET', '/api/messages', { query: { ...filters }, signal }),
  /** A failed email (or a deferred one, "try now") goes back to the queue. */
  retry: (id: string) => apiRequest<OutgoingMessage>('POST', `/api/messages/${encodeURIComponent(id)}/retry`),
  /** An uncertain email is sent once more as a new email (the recipient may get it twice). */
  sendAgain: (id: string) =>
    apiRequest<OutgoingMessage>('POST', `/api/messages/${encodeURIComponent(id)}/send-again`),
};
