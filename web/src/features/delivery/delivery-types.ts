/**
 * Wire types of one outgoing email and the Delivery log (source of truth:
 * src/http/schemas/outgoing-message.schema.ts and src/http/routes/messages.routes.ts).
 */
export type OutgoingStatus = 'queued' | 'sending' | 'sent' | 'deferred' | 'failed' | 'uncertain' | 'bounced';

export interface OutgoingFailure {
  reason: string;
  catalogueId: string | null;
  title: string;
  cause: string;
  fix: string;
  serverReply: string | null;
  helpHref: string | null;
}

export interface OutgoingMessage {
  id: string;
  status: OutgoingStatus;
  to: { email: string; name: string; status: 'pending' | 'accepted' | 'rejected' | 'bounced' }[];
  sender: { addressId: string | null; email: string; name: string };
  subject: string;
  createdAt: string;
  sentAt: string | null;
  acceptedReply: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  failure: OutgoingFailure | null;
  sentCopy: {
    status: 'pending' | 'done' | 'failed' | 'skipped';
    folder: string | null;
    note: string | null;
  } | null;
  resendOfId: string | null;
  resentAsId: string | null;
  taskId: string;
  commentId: string;
}

/** A Delivery log row: the email plus who wrote it and where (for the list and its filters). */
export interface DeliveryLogItem extends OutgoingMessage {
  author: { employeeId: string | null; name: string };
  taskTitle: string;
  projectId: string;
}

export interface DeliveryLogPage {
  items: DeliveryLogItem[];
  total: number;
  limit: number;
  offset: number;
}

export interface DeliveryLogFilters {
  status?: OutgoingStatus | undefined;
  addressId?: string | undefined;
  employeeId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}
