import type { DestinationStream, LoggerOptions } from 'pino';
import { serializeError } from './log-error-serializer.js';

/** Paths pino must never print (M51): credentials, cookies, tokens. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.pass',
  '*.passwordEnc',
  '*.passwordHash',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.csrfToken',
  'auth.pass',
  'auth.accessToken',
];

/** OAuth callback parameters that are secrets or bind to one (M47): never printed in request URLs. */
const URL_SECRETS = /([?&](?:code|state|access_token|id_token|refresh_token|session_state)=)[^&#]*/gi;
export const scrubUrl = (url: string | undefined) => url?.replace(URL_SECRETS, '$1[redacted]');

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Fastify's request fields, with the query's secrets scrubbed (Fastify lets these override its own).
    serializers: {
      // Errors without the values of a failed query (log-error-serializer.ts).
      err: serializeError,
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: scrubUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
    base: { service: 'mailroom' },
  };
}

export type LogDestination = DestinationStream | NodeJS.WritableStream;

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
const QUIET_KEYS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service']);

/**
 * One pino JSON line as a line for people: `12:04:05 INFO  message key=value …`. Redaction has
 * already happened (pino redacts before it serialises), so nothing secret appears here either.
 */
export function humanLogLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof o.time === 'number' ? new Date(o.time).toISOString().slice(11, 19) : '';
  const level = LEVEL_NAMES[o.level as number] ?? String(o.level);
  const rest = Object.entries(o)
    .filter(([k]) => !QUIET_KEYS.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return [time, level, typeof o.msg === 'string' ? o.msg : '', ...rest].filter(Boolean).join(' ');
}

/** Human-readable lines on a terminal, JSON lines otherwise (files, pipes, log collectors). */
export function defaultLogDestination(out: NodeJS.WriteStream): LogDestination {
  if (!out.isTTY) return out;
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line) out.write(`${humanLogLine(line)}\n`);
      return true;
    },
  } as LogDestination;
}
