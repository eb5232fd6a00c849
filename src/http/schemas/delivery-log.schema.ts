import { type Static, Type } from 'typebox';
import { Line, Timestamp, Uuid } from './common.js';
import { OutgoingMessage, OutgoingStatus } from './outgoing-message.schema.js';

/** The Delivery log (issue 9 item 6, M43): rows, page and filters of GET /api/messages. */
export const DeliveryLogItem = Type.Object({
  ...OutgoingMessage.properties,
  author: Type.Object({ employeeId: Type.Union([Uuid, Type.Null()]), name: Type.String({ maxLength: 300 }) }),
  taskTitle: Type.String({ maxLength: 1000 }),
  projectId: Uuid,
});

export const DeliveryLogPage = Type.Object({
  items: Type.Array(DeliveryLogItem),
  total: Type.Integer(),
  /** false: `total` is a lower bound (counting stopped past the page). */
  totalExact: Type.Boolean(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const DeliveryLogQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
    status: Type.Optional(OutgoingStatus),
    addressId: Type.Optional(Uuid),
    employeeId: Type.Optional(Uuid),
    taskId: Type.Optional(Uuid),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    q: Type.Optional(Line(200)),
  },
  { additionalProperties: false },
);

export type OutgoingMessageView = Static<typeof OutgoingMessage>;
export type OutgoingStatusName = Static<typeof OutgoingStatus>;
export type DeliveryLogItemView = Static<typeof DeliveryLogItem>;
export type DeliveryLogPageView = Static<typeof DeliveryLogPage>;
export type DeliveryLogFilters = Static<typeof DeliveryLogQuery>;
