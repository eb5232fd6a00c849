/**
 * Types of the error catalogue (SPEC M42–M45, SECURITY.md §6): what a mail failure means
 * for the person who hit it, what they and an admin can do, and what the outbox and the
 * poller should do next.
 */

/** A text in every language the product speaks. */
export interface Localized {
  pl: string;
  en: string;
}

/** Where an entry can come from: a protocol reply, the network, TLS, or a bounce report. */
export type CatalogueSource = 'smtp' | 'pop3' | 'imap' | 'network' | 'tls' | 'bounce';

/** Group on the Common causes page (M44); matches the data module the entry lives in. */
export type CatalogueArea =
  | 'sign-in'
  | 'account'
  | 'sending'
  | 'recipient'
  | 'connection'
  | 'encryption'
  | 'receiving'
  | 'server';

/**
 * How loud to show it: `info` needs nobody to act (handled automatically), `warning` is
 * temporary and retried, `error` needs someone to change something.
 */
export type Severity = 'info' | 'warning' | 'error';

/** Retry spacing hint for the outbox: `long` is hours, `next-day` waits for a daily quota to renew. */
export type BackoffHint = 'normal' | 'long' | 'next-day';

/** Mail providers we recognise from the host name or from the reply text. */
export type Provider =
  | 'gmail'
  | 'microsoft'
  | 'yahoo'
  | 'yandex'
  | 'mailru'
  | 'icloud'
  | 'zoho'
  | 'gmx'
  | 'wp'
  | 'onet'
  | 'interia'
  | 'o2';

/** One explained cause. Texts speak to a non-technical employee first; `adminAction` to an admin. */
export interface CatalogueEntry {
  /** Stable kebab-case id: stored with failures, linked from the Common causes page. */
  id: string;
  area: CatalogueArea;
  title: Localized;
  cause: Localized;
  userAction: Localized;
  adminAction: Localized;
  /**
   * Whether the same work may succeed later without anyone changing anything (sending:
   * the outbox retries on its schedule; receiving: keep polling as usual).
   */
  retryable: boolean;
  /**
   * The address itself is unusable until someone changes its settings or account: stop its
   * queue and polling and tell the owner (M33, M50). Never true together with `retryable`.
   */
  pausesAddress: boolean;
  severity?: Severity;
  /** Only meaningful when `retryable`; absent means the normal schedule. */
  backoff?: BackoffHint;
  appliesTo: CatalogueSource[];
  /** Set when the entry is specific to these providers. */
  providers?: Provider[];
  /** The provider's own help page, where one is official. */
  helpUrl?: string;
  /** Typical server replies or library messages (Common causes page, tests). */
  examples: string[];
}

/** How a failure was matched: reply text, status code, code class, or the last-resort entry. */
export type Confidence = 'exact' | 'code' | 'class' | 'fallback';

/** The catalogue's verdict on one failure. */
export interface Classification {
  entry: CatalogueEntry;
  confidence: Confidence;
  /** The provider recognised from the host or the reply, when there was one. */
  provider?: Provider;
}
