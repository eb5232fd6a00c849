import { type TSchema, Type } from 'typebox';

/**
 * Single-line text: no C0/C1 control characters and no bidi embedding, override or isolate
 * controls (they never belong in names or headers, and can disguise text: M55, SECURITY §3.3).
 */
export const Line = (maxLength: number, minLength = 0) =>
  Type.String({
    minLength,
    maxLength,
    pattern: '^[^\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]*$',
  });
/** Multi-line text: tabs and newlines allowed, other controls not. */
export const Text = (maxLength: number) =>
  Type.String({ maxLength, pattern: '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$' });
export const Uuid = Type.String({ format: 'uuid' });
export const EmailString = Type.String({ minLength: 3, maxLength: 254 });
export const Timestamp = Type.String({ format: 'date-time' });
export const Language = Type.Union([Type.Literal('pl'), Type.Literal('en')]);

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const PageQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
    q: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
    requestId: Type.String(),
  },
  { $id: 'ErrorBody' },
);

const errorRef = Type.Ref('ErrorBody');
/** Standard error responses for OpenAPI. */
export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, errorRef]));
