import { apiRequest } from './http-client';
import type { DirectionResult } from './mail-types';

export type TestEmailStatus = 'sending' | 'waiting' | 'arrived' | 'failed' | 'not_arrived' | 'interrupted';

/** One "send a test email" round trip (M23), as `GET /api/email-addresses/:id/test-emails/:id` returns it. */
export interface TestEmail {
  id: string;
  addressId: string;
  status: TestEmailStatus;
  messageId: string;
  createdAt: string;
  sentAt: string | null;
  arrivedAt: string | null;
  finishedAt: string | null;
  deadlineAt: string;
  checks: number;
  arrivalMs: number | null;
  send: DirectionResult | null;
  arrival: DirectionResult | null;
}

export const isRunning = (status: TestEmailStatus) => status === 'sending' || status === 'waiting';

const base = (addressId: string) => `/api/email-addresses/${encodeURIComponent(addressId)}/test-emails`;

export const testEmailApi = {
  start: (addressId: string) => apiRequest<TestEmail>('POST', base(addressId)),
  get: (addressId: string, id: string, signal?: AbortSignal) =>
    apiRequest<TestEmail>('GET', `${base(addressId)}/${encodeURIComponent(id)}`, { signal }),
};
