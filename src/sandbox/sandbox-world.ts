/**
 * The demo world of the sandbox (issue 12 item 1): who lives on it and how each simulated
 * person answers. One place for the mail server (who answers what) and the seeding (which
 * contacts and addresses the demo workspace gets), so the two cannot drift apart.
 * The `.test` top-level domain is reserved (RFC 2606): nothing here can exist outside.
 */
export const SANDBOX_COMPANY_DOMAIN = 'firma-demo.test';
export const SANDBOX_CLIENT_DOMAIN = 'klient-demo.test';
/** Name the sandbox gives in its greeting, EHLO and DSN Reporting-MTA. */
export const SANDBOX_HOST_NAME = 'piaskownica.mailroom.test';
/** Marks a sandbox address in `email_addresses.preset_id` (no real preset has this id). */
export const SANDBOX_PRESET_ID = 'sandbox';

export type PersonaBehaviour =
  /** Answers every email after a few seconds with a real reply (In-Reply-To, References). */
  | 'replies'
  /** Answers with an out-of-office notice (Auto-Submitted: auto-replied). */
  | 'out_of_office'
  /** Keeps the email, never answers. */
  | 'silent'
  /**
   * Her server refuses each email once for now (451 4.3.0 at the end of DATA) and takes the
   * retry: the "deferred" state and its explanation, then "sent". Never answers.
   */
  | 'defers_once';

export interface SandboxPersona {
  email: string;
  name: string;
  company: string;
  behaviour: PersonaBehaviour;
}

/** Simulated people outside the company. Any other address on the sandbox bounces (RFC 3464). */
export const SANDBOX_PERSONAS: readonly SandboxPersona[] = [
  {
    email: `jan.kowalski@${SANDBOX_CLIENT_DOMAIN}`,
    name: 'Jan Kowalski',
    company: 'Klient Demo S.A.',
    behaviour: 'replies',
  },
  {
    email: `ewa.wisniewska@${SANDBOX_CLIENT_DOMAIN}`,
    name: 'Ewa Wiśniewska',
    company: 'Klient Demo S.A.',
    behaviour: 'out_of_office',
  },
  {
    email: `marek.lewandowski@${SANDBOX_CLIENT_DOMAIN}`,
    name: 'Marek Lewandowski',
    company: 'Hurtownia Demo',
    behaviour: 'silent',
  },
  {
    email: `zofia.zajeta@${SANDBOX_CLIENT_DOMAIN}`,
    name: 'Zofia Zajęta',
    company: 'Klient Demo S.A.',
    behaviour: 'defers_once',
  },
];

/** A contact whose address exists nowhere: mail to it comes back as a bounce. */
export const SANDBOX_BOUNCING_CONTACT = {
  email: `nieznany.adres@${SANDBOX_CLIENT_DOMAIN}`,
  name: 'Tomasz Nieobecny',
  company: 'Klient Demo S.A.',
} as const;

export function personaOf(email: string): SandboxPersona | undefined {
  const e = email.toLowerCase();
  return SANDBOX_PERSONAS.find((p) => p.email === e);
}
