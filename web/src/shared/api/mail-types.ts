/**
 * Wire types of the external email address API (SPEC §2, §3, §5, §7 M49), as the UI
 * consumes them. Source of truth: src/http/routes/email-addresses.schema.ts,
 * connection-test.presenter.ts, mail-reference.routes.ts and audit.routes.ts.
 */

export type MailSecurity = 'tls' | 'starttls' | 'none';
export type IncomingProtocol = 'pop3' | 'imap';
export type AddressScope = 'company' | 'employee';
export type AddressHealth = 'ok' | 'failing' | 'needs_attention' | 'needs_reconnect' | 'disabled';

export interface EndpointView {
  host: string;
  port: number;
  security: MailSecurity;
  pinnedCertSha256: string | null;
}

export interface AddressOptions {
  collectReplies: boolean;
  leaveOnServer: boolean;
  deleteAfterDays: number | null;
  createTasksFromNewMail: boolean;
  newMailProjectId: string | null;
  bccSelf: boolean;
}

/** One external email address (mailbox) as the API shows it; the password never leaves (M51). */
export interface EmailAddress {
  id: string;
  scope: AddressScope;
  ownerEmployeeId: string | null;
  /** Unicode form (M9). */
  email: string;
  /** Punycode form of the domain; differs from `email` for IDN domains. */
  emailAscii: string;
  displayName: string;
  replyTo: string | null;
  signatureHtml: string;
  signatureText: string;
  presetId: string | null;
  login: string;
  authType: string;
  passwordSet: boolean;
  smtp: EndpointView;
  incoming: EndpointView & { protocol: IncomingProtocol };
  options: AddressOptions;
  projectIds: string[];
  access: { employeeIds: string[]; groupIds: string[] };
  active: boolean;
  health: AddressHealth;
  healthDetail: Record<string, unknown> | null;
  lastTestOkAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PinnedCertInput {
  sha256: string;
  pem: string;
}

export interface EndpointInput {
  host?: string;
  port?: number;
  security?: MailSecurity;
  pinnedCert?: PinnedCertInput | null;
}

/** Body of create, PATCH and test (everything optional: PATCH sends only what changed). */
export interface AddressInput {
  email?: string;
  displayName?: string;
  replyTo?: string | null;
  signatureHtml?: string;
  signatureText?: string;
  presetId?: string | null;
  login?: string;
  password?: string;
  smtp?: EndpointInput;
  incoming?: EndpointInput & { protocol?: IncomingProtocol };
  options?: Partial<AddressOptions>;
  projectIds?: string[];
  access?: { employeeIds?: string[]; groupIds?: string[] };
  active?: boolean;
  testToken?: string;
}

/** Body of POST /api/email-addresses/test. */
export interface TestInput extends AddressInput {
  addressId?: string;
  scope?: AddressScope;
  ownerEmployeeId?: string;
}

/** A catalogue entry in the UI language, as attached to a failed step (M19, M43). */
export interface Diagnosis {
  id: string;
  title: string;
  cause: string;
  userAction: string;
  adminAction: string;
  retryable: boolean;
  pausesAddress: boolean;
  helpUrl: string | null;
}

export type StepId =
  | 'resolve'
  | 'connect'
  | 'tls'
  | 'greeting'
  | 'starttls'
  | 'ehlo'
  | 'capa'
  | 'auth'
  | 'mail_from'
  | 'rcpt_to'
  | 'data'
  | 'quit'
  | 'stat'
  | 'uidl'
  | 'select'
  | 'find';

export interface StepFailure {
  kind: string;
  code: string | null;
  responseCode: number | null;
  enhancedCode: string | null;
  certificateProblem: string | null;
}

export interface TestStep {
  id: StepId;
  outcome: 'ok' | 'failed' | 'skipped';
  durationMs: number;
  reply: string | null;
  info: Record<string, unknown> | null;
  failure: StepFailure | null;
  diagnosis: Diagnosis | null;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  sha256: string;
  altNames: string[];
  pem: string;
}

export type TestProtocol = 'smtp' | 'pop3' | 'imap';

export interface DirectionResult {
  ok: boolean;
  protocol: TestProtocol;
  steps: TestStep[];
  certificate: CertificateInfo | null;
  diagnosis: Diagnosis | null;
}

export interface TestResult {
  ok: boolean;
  durationMs: number;
  smtp: DirectionResult;
  incoming: DirectionResult;
  testToken?: string;
}

export interface LocalizedText {
  pl: string;
  en: string;
}

export interface PresetEndpoint {
  host: string;
  port: number;
  security: MailSecurity;
}

export interface PresetVariant {
  id: string;
  label: LocalizedText;
  domains: readonly string[];
  smtp?: readonly PresetEndpoint[];
  pop3?: PresetEndpoint | null;
  imap?: PresetEndpoint | null;
}

/** A popular mail service (M15); `other` is the "Other server" entry. */
export interface MailPreset {
  id: string;
  name: LocalizedText;
  domains: readonly string[];
  smtp: readonly PresetEndpoint[];
  pop3: PresetEndpoint | null;
  imap: PresetEndpoint | null;
  defaultIncoming: IncomingProtocol;
  auth: { appPassword: 'required' | 'recommended' | 'no'; appPasswordHasNoSpaces?: boolean; oauth?: string };
  notes: { pl: readonly string[]; en: readonly string[] };
  links: readonly { label: LocalizedText; url: string }[];
  variants?: readonly PresetVariant[];
}

export interface PresetDetection {
  presetId: string | null;
  variantId?: string;
  via: string;
}

/** One entry of the Common causes page (M44). */
export interface CatalogueItem extends Diagnosis {
  area: string;
  appliesTo: string[];
  providers: string[];
  examples: string[];
}

export type ExclusionReason =
  | 'disabled'
  | 'needs_attention'
  | 'needs_reconnect'
  | 'bound_to_other_projects'
  | 'no_access'
  | 'not_owner';

export interface SenderOption {
  kind: 'address' | 'system';
  addressId: string | null;
  email: string;
  displayName: string;
  step: 1 | 2 | 3 | 4 | 5;
  because: { rule: string; tieBreak?: string; tiedCount?: number };
}

/** GET /api/senders (M28). */
export interface SenderPreview {
  employeeId: string;
  projectId: string | null;
  default: SenderOption | null;
  choices: SenderOption[];
  excluded: {
    addressId: string;
    email: string;
    displayName: string;
    scope: AddressScope;
    reasons: ExclusionReason[];
  }[];
  systemSenderUsed: boolean;
  sentences: string[];
}

/** One row of the audit log (M49). */
export interface AuditEntry {
  id: string;
  actorEmployeeId: string | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}
