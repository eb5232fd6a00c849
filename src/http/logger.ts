import type { DestinationStream, LoggerOptions } from 'pino';

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

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'mailroom' },
  };
}

export type LogDestination = DestinationStream | NodeJS.WritableStream;
