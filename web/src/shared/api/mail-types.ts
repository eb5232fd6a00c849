/**
 * Wire types of the external email address API (SPEC §2, §3, §5, §7 M49), as the UI
 * consumes them. Response types are `Static<>` of the server's response schemas in
 * src/http/schemas/ (decision 0009), imported as types only; request bodies stay here.
 */
import type { AuditEntryView } from '../../../../src/http/schemas/audit.schema';
import type { CatalogueItem, Diagnosis } from '../../../../src/http/schemas/catalogue.schema';
import type {
  CertificateInfo,
  DirectionResult,
  StepFailure,
  StepId,
  TestResult,
  TestStep,
} from '../../../../src/http/schemas/connection-test.schema';
import type {
  AddressHealthStatus,
  EmailAddressView,
  EndpointView,
} from '../../../../src/http/schemas/email-address.schema';
import type {
  LocalizedText,
  MailPreset,
  PresetDetection,
  PresetEndpoint,
  PresetVariant,
} from '../../../../src/http/schemas/preset.schema';
import type {
  ExclusionReason,
  SenderOption,
  SenderPreview,
} from '../../../../src/http/schemas/sender-preview.schema';

export type {
  CatalogueItem,
  CertificateInfo,
  Diagnosis,
  DirectionResult,
  EndpointView,
  ExclusionReason,
  LocalizedText,
  MailPreset,
  PresetDetection,
  PresetEndpoint,
  PresetVariant,
  SenderOption,
  SenderPreview,
  StepFailure,
  StepId,
  TestResult,
  TestStep,
};

export type MailSecurity = 'tls' | 'starttls' | 'none';
export type IncomingProtocol = 'pop3' | 'imap';
export type AddressScope = 'company' | 'employee';
export type AddressHealth = AddressHealthStatus;

export type AddressOptions = EmailAddressView['options'];

/** One external email address (mailbox) as the API shows it; the password never leaves (M51). */
export type EmailAddress = EmailAddressView;

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
  /** A grant from "Connect with Google/Microsoft" (M47): XOAUTH2 instead of a password. */
  oauthGrantId?: string;
}

/** Body of POST /api/email-addresses/test. */
export interface TestInput extends AddressInput {
  addressId?: string;
  scope?: AddressScope;
  ownerEmployeeId?: string;
}

export type TestProtocol = DirectionResult['protocol'];

/** One row of the audit log (M49). */
export type AuditEntry = AuditEntryView;
