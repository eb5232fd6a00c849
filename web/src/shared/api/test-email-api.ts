import type { TestEmailStatus, TestEmailView } from '../../../../src/http/schemas/test-email.schema';
import { apiRequest } from './http-client';

export type { TestEmailStatus };

/** One "send a test email" round trip (M23), as `GET /api/email-addresses/:id/test-emails/:id` returns it. */
export type TestEmail = TestEmailView;

export const isRunning = (status: TestEmailStatus) => status === 'sending' || status === 'waiting';

const base = (addressId: string) => `/api/email-addresses/${encodeURIComponent(addressId)}/test-emails`;

export const testEmailApi = {
  start: (addressId: string) => apiRequest<TestEmail>('POST', base(addressId)),
  get: (addressId: string, id: string, signal?: AbortSignal) =>
    apiRequest<TestEmail>('GET', `${base(addressId)}/${encodeURIComponent(id)}`, { signal }),
};
