/**
 * Wire types of the external email address API (SPEC §2, §3, §5, §7 M49), as the UI
 * consumes them: `Static<>` of the server's request and response schemas in src/http/schemas/
 * (decision 0009), imported as types only.
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
import type { AddressInput, TestInput } from '../../../../src/http/schemas/email-address-input.schema';
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

export type MailSecurity = EmailAddressView['smtp']['security'];
export type IncomingProtocol = EmailAddressView['incoming']['protocol'];
export type AddressScope = EmailAddressView['scope'];
export type AddressHealth = AddressHealthStatus;

export type AddressOptions = EmailAddressView['options'];

/** One external email address (mailbox) as the API shows it; the password never leaves (M51). */
export type EmailAddress = EmailAddressView;

/** Body of create, PATCH and test (everything optional: PATCH sends only what changed). */
export type { AddressInput, TestInput };
export type EndpointInput = NonNullable<AddressInput['smtp']>;
export type PinnedCertInput = NonNullable<EndpointInput['pinnedCert']>;

export type TestProtocol = DirectionResult['protocol'];

/** One row of the audit log (M49). */
export type AuditEntry = AuditEntryView;
