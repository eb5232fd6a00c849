import type { MailSecurity, StepId, TestProtocol } from '../../shared/api/mail-types';

/**
 * The steps each probe runs, in order, per security mode (SPEC M18). They mirror the
 * server's probes (src/mail/smtp/smtp-probe.ts smtpProbePlan, pop3-session.ts, imap-probe.ts)
 * and are shown as a checklist while a test runs.
 */
export function plannedSteps(protocol: TestProtocol, security: MailSecurity): StepId[] {
  if (protocol === 'smtp') {
    const handshake: StepId[] =
      security === 'tls'
        ? ['tls', 'greeting', 'ehlo']
        : security === 'starttls'
          ? ['greeting', 'starttls', 'tls', 'ehlo']
          : ['greeting', 'ehlo'];
    return ['resolve', 'connect', ...handshake, 'auth', 'mail_from', 'rcpt_to', 'quit'];
  }
  if (protocol === 'pop3') {
    const session: StepId[] =
      security === 'tls'
        ? ['tls', 'greeting', 'capa']
        : security === 'starttls'
          ? ['greeting', 'capa', 'starttls']
          : ['greeting', 'capa'];
    return ['resolve', 'connect', ...session, 'auth', 'stat', 'uidl', 'quit'];
  }
  const handshake: StepId[] =
    security === 'tls'
      ? ['tls', 'greeting']
      : security === 'starttls'
        ? ['greeting', 'starttls', 'tls']
        : ['greeting'];
  return ['resolve', 'connect', ...handshake, 'auth', 'select', 'quit'];
}

/** i18n key of a step's label; AUTH reads differently per protocol. */
export function stepLabelKey(protocol: TestProtocol, step: StepId) {
  if (step === 'auth') return `connectionTest.steps.auth_${protocol}` as const;
  if (step === 'starttls' && protocol === 'pop3') return 'connectionTest.steps.stls' as const;
  return `connectionTest.steps.${step}` as const;
}
