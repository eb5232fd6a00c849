import { type Static, type TSchema, Type } from 'typebox';
import { FlatObject } from './flat-json.js';

/**
 * Single-line text: no C0/C1 control characters, no LINE/PARAGRAPH SEPARATOR (U+2028/2029: a
 * line break to mail programs, refused in a subject) and no bidi embedding, override or isolate
 * controls (they never belong in names or headers, and can disguise text: M55, SECURITY §3.3).
 */
export const Line = (maxLength: number, minLength = 0) =>
  Type.String({
    minLength,
    maxLength,
    pattern: '^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]*$',
  });
/**
 * A name that goes into email headers (display names of senders and contacts, the workspace
 * and employee names senders fall back to): as `Line`, and also no format characters (Unicode
 * category Cf: zero-width, bidi marks, BOM, soft hyphen…), no U+2028/2029 and nothing that a
 * mail program would decode as an RFC 2047 encoded word (M55; src/domain/message/header-safety.ts).
 */
export const NameLine = (maxLength: number, minLength = 0) =>
  Type.String({
    minLength,
    maxLength,
    pattern: '^(?![\\s\\S]*=\\?[^?\\s]*\\?[bBqQ]\\?[^?\\s]*\\?=)[^\\p{Cc}\\p{Cf}\\p{Cs}\\u2028\\u2029]*$',
  });
/** Multi-line text: tabs and newlines allowed, other controls not. */
export const Text = (maxLength: number) =>
  Type.String({ maxLength, pattern: '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$' });
export const Uuid = Type.String({ format: 'uuid' });
/**
 * An address as typed: the service trims and parses it strictly; here only its length and no
 * control characters inside. Line breaks and tabs at either end (a pasted address) are trimmed by
 * the service; the end classes hold no character of the middle one, so the pattern stays linear.
 * Its own pattern string, so a refusal reads as the `email` code (error-handler.ts).
 */
export const EMAIL_PATTERN =
  '^[\\t\\r\\n]*[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]+[\\t\\r\\n]*$';
export const EmailString = Type.String({ minLength: 3, maxLength: 254, pattern: EMAIL_PATTERN });
export const Timestamp = Type.String({ format: 'date-time' });
export const Language = Type.Union([Type.Literal('pl'), Type.Literal('en')]);

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const PageQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
    q: Type.Optional(Line(200)),
  },
  { additionalProperties: false },
);

/** `limit`/`offset`/`q` of a list request (the web's `ListParams`). */
export type PageParams = Static<typeof PageQuery>;

export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });

/** A whole (short) list in one answer: presets, the error catalogue, API tokens. */
export const ItemsOf = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

/** One problem with one request field (`details.fields`): JSON pointer, machine code, message. */
export const FieldIssueView = Type.Object({
  path: Type.String(),
  code: Type.String(),
  message: Type.String(),
  params: Type.Optional(FlatObject),
});

/**
 * What an error may say beyond its code and message. Every key is declared: anything else an
 * `AppError` carries stays on the server (decision 0009).
 */
export const ErrorDetailsView = Type.Object({
  /** VALIDATION_FAILED and other field-level refusals. */
  fields: Type.Optional(Type.Array(FieldIssueView)),
  /** ADDRESS_EXISTS: the row that already holds this mailbox (issue 8 item 3). */
  existing: Type.Optional(
    Type.Object({
      id: Uuid,
      email: Type.String(),
      scope: Type.Union([Type.Literal('company'), Type.Literal('employee')]),
      ownerEmployeeId: Type.Union([Uuid, Type.Null()]),
      href: Type.String(),
    }),
  ),
  /** RATE_LIMITED (also in the `retry-after` header). */
  retryAfterSeconds: Type.Optional(Type.Integer()),
});
export type FieldIssue = Static<typeof FieldIssueView>;
export type ErrorDetails = Static<typeof ErrorDetailsView>;

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(ErrorDetailsView),
    }),
    requestId: Type.String(),
  },
  { $id: 'ErrorBody' },
);

const errorRef = Type.Ref('ErrorBody');
/** Standard error responses for OpenAPI. */
export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, errorRef]));
