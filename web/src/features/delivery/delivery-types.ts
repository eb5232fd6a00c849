/**
 * Wire types of one outgoing email and the Delivery log: `Static<>` of the server's schemas
 * (src/http/schemas/outgoing-message.schema.ts, delivery-log.schema.ts; decision 0009).
 */
import type {
  DeliveryLogFilters,
  DeliveryLogItemView,
  DeliveryLogPageView,
  OutgoingMessageView,
  OutgoingStatusName,
} from '../../../../src/http/schemas/delivery-log.schema';

export type OutgoingStatus = OutgoingStatusName;
export type OutgoingMessage = OutgoingMessageView;
export type OutgoingFailure = NonNullable<OutgoingMessage['failure']>;
/** A Delivery log row: the email plus who wrote it and where (for the list and its filters). */
export type DeliveryLogItem = DeliveryLogItemView;
export type DeliveryLogPage = DeliveryLogPageView;
export type { DeliveryLogFilters };
