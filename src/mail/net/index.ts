/** Network and TLS policy of the mail layer (M53, M54; SECURITY.md §1.2, §4.3). */
export { type AllowEntry, normalizeHostName, parseAllowList } from './allow-list.js';
export { type IpAddress, parseIpLiteral } from './ip-address.js';
export {
  HOST_NOT_FOUND_MESSAGE,
  hostNotFound,
  isMailTargetError,
  MailTargetError,
  TARGET_REFUSED_MESSAGE,
  targetRefused,
} from './mail-target-error.js';
export {
  createMailTargetResolver,
  DEFAULT_LOOKUP_TIMEOUT_MS,
  DEFAULT_MAIL_PORTS,
  type HostLookup,
  type MailTargetPolicyDeps,
} from './mail-target-policy.js';
export { type AddressVerdict, classifyAddress, isPublicAddress } from './special-ranges.js';
export {
  buildTlsOptions,
  certificateProblemOf,
  certificateSha256,
  describeCertificate,
  fetchPresentedCertificate,
  PIN_MISMATCH_CODE,
  parsePemCertificate,
  type TlsPolicyInput,
} from './tls-options.js';
