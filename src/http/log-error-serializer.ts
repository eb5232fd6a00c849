import { stdSerializers } from 'pino';

/**
 * pino's `err` serializer minus what a failed query carries of the data: drizzle's
 * DrizzleQueryError puts every bound parameter into its message (and so its stack) and into
 * `params`; PostgreSQL's own error may repeat values in `detail` ("Key (email)=(…)") and
 * `where`. A failed session insert would print a CSRF token, a failed update a name or an
 * address. Redaction paths cannot reach text inside a message, so the error is rewritten here:
 * the SQL text and the SQLSTATE (`code`, constraint, table) stay, the values go.
 */
export function serializeError(err: unknown): unknown {
  return stdSerializers.err(withoutQueryValues(err, 0) as Error);
}

const VALUE_FIELDS = ['params', 'detail', 'where', 'internalQuery', 'parameters'] as const;
const MAX_CAUSES = 5;

function withoutQueryValues(err: unknown, depth: number): unknown {
  if (!(err instanceof Error) || depth > MAX_CAUSES) return err;
  const e = err as Error & { query?: unknown; params?: unknown; cause?: unknown };
  const isQueryError = typeof e.query === 'string' && Array.isArray(e.params);
  const hasValues = VALUE_FIELDS.some((k) => k in e);
  const cause = withoutQueryValues(e.cause, depth + 1);
  if (!isQueryError && !hasValues && cause === e.cause) return err;
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) if (!(VALUE_FIELDS as readonly string[]).includes(k)) copy[k] = v;
  const message = isQueryError ? `Failed query: ${e.query as string}` : e.message;
  const frames = (e.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  const clean = Object.assign(new Error(message), copy, {
    name: e.name,
    stack: [`${e.name}: ${message}`, ...frames].join('\n'),
    ...(cause === undefined ? {} : { cause }),
  });
  if (Array.isArray(e.params)) Object.assign(clean, { paramCount: e.params.length });
  // pino folds a cause into the stack text only: lift the database's SQLSTATE to the top.
  const state = (e.cause as { code?: unknown } | undefined)?.code;
  if (isQueryError && typeof state === 'string') Object.assign(clean, { sqlState: state });
  return clean;
}
