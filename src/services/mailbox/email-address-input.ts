import type { EmailAddressFull } from '../../db/repositories/email-address.repository.js';
import { parseEmailAddress } from '../../domain/email-address.js';
import type { FieldIssue } from '../../domain/errors.js';
import type { IncomingProtocol, MailSecurity, PinnedCertificate } from '../../domain/mailbox/connection.js';
import {
  connectionChanged as domainConnectionChanged,
  endpointChanged as domainEndpointChanged,
} from '../../domain/mailbox/connection-change.js';
import type { ConnectionFields } from './test-token.js';

export interface EndpointInput {
  host?: string;
  port?: number;
  security?: MailSecurity;
  pinnedCert?: PinnedCertificate | null;
}

/** The API's shape for creating, changing or testing an address (all optional for PATCH). */
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
  options?: {
    collectReplies?: boolean;
    leaveOnServer?: boolean;
    deleteAfterDays?: number | null;
    createTasksFromNewMail?: boolean;
    newMailProjectId?: string | null;
    bccSelf?: boolean;
  };
  projectIds?: string[];
  access?: { employeeIds?: string[]; groupIds?: string[] };
  active?: boolean;
  testToken?: string;
  /** A grant from "Connect with Google/Microsoft" (M47): sign in with XOAUTH2 instead of a password. */
  oauthGrantId?: string;
}

/** The merged, validated state of an address (before persistence). */
export interface AddressState {
  email: string;
  displayName: string;
  replyTo: string | null;
  signatureHtml: string;
  signatureText: string;
  presetId: string | null;
  login: string;
  smtp: { host: string; port: number; security: MailSecurity; pinnedCert: PinnedCertificate | null };
  incoming: {
    protocol: IncomingProtocol;
    host: string;
    port: number;
    security: MailSecurity;
    pinnedCert: PinnedCertificate | null;
  };
  options: {
    collectReplies: boolean;
    leaveOnServer: boolean;
    deleteAfterDays: number | null;
    createTasksFromNewMail: boolean;
    newMailProjectId: string | null;
    bccSelf: boolean;
  };
  projectIds: string[];
  access: { employeeIds: string[]; groupIds: string[] };
  active: boolean;
}

export function stateOfRow(r: EmailAddressFull): AddressState {
  return {
    email: r.email,
    displayName: r.displayName,
    replyTo: r.replyTo,
    signatureHtml: r.signatureHtml,
    signatureText: r.signatureText,
    presetId: r.presetId,
    login: r.login,
    smtp: {
      host: r.smtpHost,
      port: r.smtpPort,
      security: r.smtpSecurity,
      pinnedCert: r.smtpPinnedCert ?? null,
    },
    incoming: {
      protocol: r.incomingProtocol,
      host: r.incomingHost,
      port: r.incomingPort,
      security: r.incomingSecurity,
      pinnedCert: r.incomingPinnedCert ?? null,
    },
    options: {
      collectReplies: r.collectReplies,
      leaveOnServer: r.leaveOnServer,
      deleteAfterDays: r.deleteAfterDays,
      createTasksFromNewMail: r.createTasksFromNewMail,
      newMailProjectId: r.newMailProjectId,
      bccSelf: r.bccSelf,
    },
    projectIds: r.projectIds,
    access: { employeeIds: r.accessEmployeeIds, groupIds: r.accessGroupIds },
    active: r.active,
  };
}

const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
const IPV6_LITERAL = /^\[?[0-9a-f:.]+\]?$/i;

export interface MergeDeps {
  /**
   * Whether plaintext (`none`) may be used for this host:port (operator allow-list, M11; with
   * `sandbox`, the demo workspace's, which adds the built-in sandbox's ports: decision 0010).
   */
  isPlaintextAllowed(host: string, port: number, sandbox: boolean): boolean;
  /** SHA-256 (hex) of a PEM certificate, or null when it does not parse. */
  certificateSha256(pem: string): string | null;
}

/**
 * Merges input over `base` (null for a new address) and validates everything that does not
 * need the database. Returns the state and the field issues (paths under /body).
 */
export function mergeAddressInput(
  base: AddressState | null,
  input: AddressInput,
  deps: MergeDeps,
  workspace: { sandbox: boolean } = { sandbox: false },
): { state: AddressState; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const issue = (path: string, code: string, params?: Record<string, unknown>) =>
    issues.push({ path: `/body${path}`, code, ...(params ? { params } : {}) });

  let email = base?.email ?? '';
  if (input.email !== undefined) {
    const parsed = parseEmailAddress(input.email);
    if (parsed.ok) email = parsed.address;
    else issue('/email', parsed.error === 'non_ascii_local' ? 'non_ascii_local' : 'email');
  } else if (!base) issue('/email', 'required');

  let replyTo = input.replyTo === undefined ? (base?.replyTo ?? null) : input.replyTo;
  if (replyTo) {
    const parsed = parseEmailAddress(replyTo);
    if (parsed.ok) replyTo = parsed.address;
    else issue('/replyTo', 'email');
  }

  const endpoint = (key: 'smtp' | 'incoming') => {
    const b = base?.[key];
    const i = input[key] ?? {};
    if (!b && !input[key]) issue(`/${key}`, 'required');
    const host = (i.host ?? b?.host ?? '').trim().toLowerCase().replace(/\.$/, '');
    if (!host) issue(`/${key}/host`, 'required');
    else if (!HOST.test(host) && !IPV6_LITERAL.test(host)) issue(`/${key}/host`, 'host');
    const port = i.port ?? b?.port ?? 0;
    if (!port) issue(`/${key}/port`, 'required');
    const security = i.security ?? b?.security ?? 'tls';
    if (security === 'none' && host && port && !deps.isPlaintextAllowed(host, port, workspace.sandbox))
      issue(`/${key}/security`, 'plaintext_not_allowed');
    let pinnedCert = i.pinnedCert === undefined ? (b?.pinnedCert ?? null) : i.pinnedCert;
    if (pinnedCert) {
      const sha = deps.certificateSha256(pinnedCert.pem);
      if (!sha || sha !== pinnedCert.sha256.toLowerCase())
        issue(`/${key}/pinnedCert`, 'certificate_mismatch');
      else pinnedCert = { sha256: sha, pem: pinnedCert.pem };
    }
    return { host, port, security, pinnedCert };
  };
  const smtp = endpoint('smtp');
  const inc = endpoint('incoming');
  const protocol = input.incoming?.protocol ?? base?.incoming.protocol ?? 'pop3';

  const login = input.login !== undefined ? input.login : (base?.login ?? email);
  if (input.login !== undefined && input.login.trim() === '') issue('/login', 'required');

  const o = {
    ...(base?.options ?? {
      collectReplies: true,
      leaveOnServer: true,
      deleteAfterDays: null,
      createTasksFromNewMail: false,
      newMailProjectId: null,
      bccSelf: false,
    }),
    ...stripUndefined(input.options ?? {}),
  };
  if (o.createTasksFromNewMail && !o.newMailProjectId) issue('/options/newMailProjectId', 'required');
  if (o.leaveOnServer) o.deleteAfterDays = null;

  const state: AddressState = {
    email,
    displayName: input.displayName ?? base?.displayName ?? '',
    replyTo: replyTo || null,
    signatureHtml: input.signatureHtml ?? base?.signatureHtml ?? '',
    signatureText: input.signatureText ?? base?.signatureText ?? '',
    presetId: input.presetId === undefined ? (base?.presetId ?? null) : input.presetId,
    login: login.trim() || email,
    smtp,
    incoming: { protocol, ...inc },
    options: o,
    projectIds: input.projectIds ?? base?.projectIds ?? [],
    access: {
      employeeIds: input.access?.employeeIds ?? base?.access.employeeIds ?? [],
      groupIds: input.access?.groupIds ?? base?.access.groupIds ?? [],
    },
    active: input.active ?? base?.active ?? true,
  };
  return { state, issues };
}

const stripUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export function connectionFieldsOf(s: AddressState): ConnectionFields {
  return {
    email: s.email,
    login: s.login,
    authType: 'password',
    smtp: {
      host: s.smtp.host,
      port: s.smtp.port,
      security: s.smtp.security,
      pinnedCertSha256: s.smtp.pinnedCert?.sha256 ?? null,
    },
    incoming: {
      protocol: s.incoming.protocol,
      host: s.incoming.host,
      port: s.incoming.port,
      security: s.incoming.security,
      pinnedCertSha256: s.incoming.pinnedCert?.sha256 ?? null,
    },
  };
}

/** M21: a stored secret only goes to the endpoint it was saved for (the domain rule). */
export function endpointChanged(before: AddressState, after: AddressState): boolean {
  return domainEndpointChanged(connectionFieldsOf(before), connectionFieldsOf(after));
}

/** M20: the last test no longer vouches for these settings (the domain rule). */
export function connectionChanged(before: AddressState, after: AddressState): boolean {
  return domainConnectionChanged(connectionFieldsOf(before), connectionFieldsOf(after));
}

/** Names of changed fields for the audit log (never values of secrets). */
export function changedAddressFields(
  before: AddressState,
  after: AddressState,
  passwordChanged: boolean,
): string[] {
  const flat = (s: AddressState): Record<string, unknown> => ({
    email: s.email,
    displayName: s.displayName,
    replyTo: s.replyTo,
    signature: [s.signatureHtml, s.signatureText],
    presetId: s.presetId,
    login: s.login,
    'smtp.host': s.smtp.host,
    'smtp.port': s.smtp.port,
    'smtp.security': s.smtp.security,
    'smtp.pinnedCert': s.smtp.pinnedCert?.sha256 ?? null,
    'incoming.protocol': s.incoming.protocol,
    'incoming.host': s.incoming.host,
    'incoming.port': s.incoming.port,
    'incoming.security': s.incoming.security,
    'incoming.pinnedCert': s.incoming.pinnedCert?.sha256 ?? null,
    options: s.options,
    projectIds: [...s.projectIds].sort(),
    access: [[...s.access.employeeIds].sort(), [...s.access.groupIds].sort()],
    active: s.active,
  });
  const a = flat(before);
  const b = flat(after);
  const changed = Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  if (passwordChanged) changed.push('password');
  return changed;
}
