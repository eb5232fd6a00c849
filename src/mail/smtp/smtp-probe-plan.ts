import type { MailAuth, MailSecurity } from '../../domain/mailbox/connection.js';
import type { ProbeStepId } from '../../domain/mailbox/probe.js';

/** Per-step timeouts; every one is further cut to what is left of the probe deadline. */
export interface SmtpProbeTimeouts {
  connectMs: number;
  /** Greeting, and each of STARTTLS and the TLS handshake. */
  greetingMs: number;
  /** Socket inactivity while waiting for any reply. */
  socketMs: number;
  /** Reading the presented certificate after a certificate failure. */
  certificateMs: number;
}

export const DEFAULT_SMTP_PROBE_TIMEOUTS: SmtpProbeTimeouts = {
  connectMs: 10_000,
  greetingMs: 10_000,
  socketMs: 15_000,
  certificateMs: 5_000,
};

/** The steps of an SMTP probe for one security mode, in order (M18); `data` when sending (M23). */
export function smtpProbePlan(security: MailSecurity, sending = false): ProbeStepId[] {
  const handshake: ProbeStepId[] =
    security === 'tls'
      ? ['tls', 'greeting', 'ehlo']
      : security === 'starttls'
        ? ['greeting', 'starttls', 'tls', 'ehlo']
        : ['greeting', 'ehlo'];
  return [
    'resolve',
    'connect',
    ...handshake,
    'auth',
    'mail_from',
    'rcpt_to',
    ...(sending ? ['data' as const] : []),
    'quit',
  ];
}

/** The AUTH mechanism the probe uses: XOAUTH2 for OAuth, else PLAIN, else LOGIN; null if none fits. */
export function smtpAuthMethod(
  auth: MailAuth,
  offered: readonly string[],
): 'PLAIN' | 'LOGIN' | 'XOAUTH2' | null {
  if (auth.type === 'oauth2') return offered.includes('XOAUTH2') ? 'XOAUTH2' : null;
  if (offered.includes('PLAIN')) return 'PLAIN';
  return offered.includes('LOGIN') ? 'LOGIN' : null;
}
