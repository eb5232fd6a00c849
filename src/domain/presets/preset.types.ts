/**
 * Shapes of the mail provider presets (SPEC M15, M16, M46). The data itself lives in
 * presets.data.ts; this file only says what one entry may hold.
 */
import type { IncomingProtocol, MailSecurity } from '../mailbox/connection.js';

/** A text shown to people, in both UI languages. */
export interface LocalizedText {
  readonly pl: string;
  readonly en: string;
}

/** One server a preset fills into the dialog. */
export interface PresetEndpoint {
  readonly host: string;
  readonly port: number;
  readonly security: MailSecurity;
}

/** Whether the provider wants an app password instead of the account password. */
export type AppPasswordPolicy = 'required' | 'recommended' | 'no';

/** OAuth providers mailroom can connect with (M47). */
export type OAuthProvider = 'google' | 'microsoft';

export interface PresetAuth {
  readonly appPassword: AppPasswordPolicy;
  /**
   * The provider's app passwords never contain spaces (Google shows its 16 letters in
   * groups of four): pasted spaces are display artefacts and may be stripped (M46).
   */
  readonly appPasswordHasNoSpaces?: boolean;
  /**
   * Anchored regex source the space-stripped value must match before we strip it. It keeps
   * us from silently changing an ordinary password that happens to contain spaces.
   */
  readonly appPasswordPattern?: string;
  readonly oauth?: OAuthProvider;
}

export interface PresetLink {
  readonly label: LocalizedText;
  /** An official help page of the provider. */
  readonly url: string;
}

/** Conservative, approximate sending limits; the outbox uses them as upper bounds. */
export interface PresetLimits {
  readonly maxConnections: number;
  readonly perMinute?: number;
  readonly perDay?: number;
  /** Where the numbers come from, and what they depend on (plan, account age). */
  readonly note?: string;
}

/**
 * A flavour of a preset with other hosts (Outlook.com vs Microsoft 365, Zoho EU, GMX .com).
 * Fields left out are taken from the preset.
 */
export interface PresetVariant {
  readonly id: string;
  readonly label: LocalizedText;
  /** Email domains that select this variant (each also listed in the preset's `domains`). */
  readonly domains: readonly string[];
  /** MX suffixes that select this variant (each also listed in the preset's `mxPatterns`). */
  readonly mxPatterns: readonly string[];
  readonly smtp?: readonly PresetEndpoint[];
  readonly pop3?: PresetEndpoint | null;
  readonly imap?: PresetEndpoint | null;
}

export interface MailPreset {
  readonly id: string;
  readonly name: LocalizedText;
  /** Email domains the provider serves (lower-case ASCII; exact match only). */
  readonly domains: readonly string[];
  /** MX host suffixes that mean "this provider hosts the domain" (custom domains). */
  readonly mxPatterns: readonly string[];
  /** Outgoing servers; the first is the default, the rest are alternatives. */
  readonly smtp: readonly PresetEndpoint[];
  readonly pop3: PresetEndpoint | null;
  readonly imap: PresetEndpoint | null;
  readonly defaultIncoming: IncomingProtocol;
  readonly auth: PresetAuth;
  /** What to do at the provider before the test can pass; same items in both languages. */
  readonly notes: { readonly pl: readonly string[]; readonly en: readonly string[] };
  readonly links: readonly PresetLink[];
  readonly limits: PresetLimits;
  readonly variants?: readonly PresetVariant[];
  /**
   * The provider itself files mail sent over SMTP in the mailbox's Sent folder (Gmail does):
   * Copy in Sent (M57) is skipped, or the employee would see every email twice. Set only where
   * the provider documents it; absent means "append a copy when the address has IMAP".
   */
  readonly filesSentMail?: boolean;
  /** Where the data comes from (provider help pages), so it can be re-checked. */
  readonly source: string;
}

/** The servers of a preset after applying a variant. */
export interface PresetServers {
  readonly smtp: readonly PresetEndpoint[];
  readonly pop3: PresetEndpoint | null;
  readonly imap: PresetEndpoint | null;
}

/** A detected preset and, where the domain or MX says so, its variant. */
export interface PresetMatch {
  readonly preset: MailPreset;
  readonly variant: PresetVariant | null;
}
