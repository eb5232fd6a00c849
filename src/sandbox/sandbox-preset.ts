import type { MailPreset } from '../domain/presets/preset.types.js';
import type { SandboxMail } from '../ports/sandbox-mail.js';
import type { Sandbox } from './sandbox.js';
import { SANDBOX_COMPANY_DOMAIN, SANDBOX_PRESET_ID } from './sandbox-world.js';

/**
 * The sandbox as a mail "service" (issue 12 item 1): an address in the company domain fills in
 * 127.0.0.1 and this run's ports, plain text (the allow-list entries permit exactly these).
 * Offered only to the demo workspace (services/presets/workspace-presets.ts).
 */
export function sandboxPreset(
  sandbox: Pick<Sandbox, 'host' | 'smtpPort' | 'pop3Port' | 'imapPort'>,
): MailPreset {
  const at = (port: number) => ({ host: sandbox.host, port, security: 'none' as const });
  return {
    id: SANDBOX_PRESET_ID,
    name: { pl: 'Piaskownica (serwer demonstracyjny)', en: 'Sandbox (demo mail server)' },
    domains: [SANDBOX_COMPANY_DOMAIN],
    mxPatterns: [],
    smtp: [at(sandbox.smtpPort)],
    pop3: at(sandbox.pop3Port),
    imap: at(sandbox.imapPort),
    defaultIncoming: 'pop3',
    auth: { appPassword: 'no' },
    notes: {
      pl: [
        'Wbudowany serwer pocztowy na tym komputerze (127.0.0.1): serwery i porty są już wpisane.',
        'Połączenie bez szyfrowania jest tu w porządku: e-maile nie opuszczają tego komputera.',
      ],
      en: [
        'The built-in mail server on this computer (127.0.0.1): its servers and ports are filled in.',
        'An unencrypted connection is fine here: mail never leaves this computer.',
      ],
    },
    links: [],
    limits: { maxConnections: 2 },
    source: 'The built-in sandbox mail server (docs/decisions/0010-sandbox.md).',
  };
}

/** What the composition root gets while the sandbox runs in this process. */
export function sandboxMailOf(sandbox: Sandbox): SandboxMail {
  return {
    preset: () => sandboxPreset(sandbox),
    newcomerPassword: () => sandbox.store.newcomerPassword(),
  };
}
