import {
  type ConnectionShape,
  connectionChange,
  connectionIdentity,
} from '../../../../src/domain/mailbox/connection-change';
import type {
  AddressInput,
  EmailAddress,
  IncomingProtocol,
  MailPreset,
  MailSecurity,
  PinnedCertInput,
  PresetEndpoint,
  TestInput,
} from '../../shared/api/mail-types';

/**
 * A pinned certificate in the form: `pem` is known only for one the user just trusted; a
 * saved pin comes back from the API as its fingerprint alone.
 */
export interface PinValue {
  sha256: string;
  pem?: string;
}

export interface EndpointValues {
  host: string;
  port: number | '';
  security: MailSecurity;
  pin: PinValue | null;
}

/** Everything the add/edit dialog edits (SPEC §2.3). */
export interface AddressValues {
  presetId: string | null;
  email: string;
  displayName: string;
  login: string;
  password: string;
  smtp: EndpointValues;
  incoming: EndpointValues & { protocol: IncomingProtocol };
  replyTo: string;
  signatureText: string;
  signatureHtml: string;
  projectIds: string[];
  accessEmployeeIds: string[];
  accessGroupIds: string[];
  bccSelf: boolean;
  collectReplies: boolean;
  leaveOnServer: boolean;
  /** '' = delete as soon as the message is stored here. */
  deleteAfterDays: number | '';
  createTasksFromNewMail: boolean;
  newMailProjectId: string | null;
  active: boolean;
  /** A grant just connected with "Connect with Google/Microsoft" (M47), with its mailbox. */
  oauthGrantId: string | null;
  oauthEmail: string | null;
}

/** Default ports per protocol and security (the same table as the server's DEFAULT_PORTS). */
export const DEFAULT_PORTS: Record<'smtp' | IncomingProtocol, Record<MailSecurity, number>> = {
  smtp: { tls: 465, starttls: 587, none: 25 },
  pop3: { tls: 995, starttls: 110, none: 110 },
  imap: { tls: 993, starttls: 143, none: 143 },
};

const emptyEndpoint = (port: number): EndpointValues => ({ host: '', port, security: 'tls', pin: null });

/** A new address before any preset is chosen: implicit TLS everywhere, POP3 incoming. */
export function emptyValues(): AddressValues {
  return {
    presetId: null,
    email: '',
    displayName: '',
    login: '',
    password: '',
    smtp: emptyEndpoint(DEFAULT_PORTS.smtp.tls),
    incoming: { ...emptyEndpoint(DEFAULT_PORTS.pop3.tls), protocol: 'pop3' },
    replyTo: '',
    signatureText: '',
    signatureHtml: '',
    projectIds: [],
    accessEmployeeIds: [],
    accessGroupIds: [],
    bccSelf: false,
    collectReplies: true,
    leaveOnServer: true,
    deleteAfterDays: '',
    createTasksFromNewMail: false,
    newMailProjectId: null,
    active: true,
    oauthGrantId: null,
    oauthEmail: null,
  };
}

/** The form's values for a saved address (the password field starts empty: write-only, M51). */
export function valuesOf(address: EmailAddress): AddressValues {
  const pin = (sha: string | null): PinValue | null => (sha ? { sha256: sha } : null);
  return {
    presetId: address.presetId,
    email: address.email,
    displayName: address.displayName,
    login: address.login,
    password: '',
    smtp: {
      host: address.smtp.host,
      port: address.smtp.port,
      security: address.smtp.security,
      pin: pin(address.smtp.pinnedCertSha256),
    },
    incoming: {
      protocol: address.incoming.protocol,
      host: address.incoming.host,
      port: address.incoming.port,
      security: address.incoming.security,
      pin: pin(address.incoming.pinnedCertSha256),
    },
    replyTo: address.replyTo ?? '',
    signatureText: address.signatureText,
    signatureHtml: address.signatureHtml,
    projectIds: address.projectIds,
    accessEmployeeIds: address.access.employeeIds,
    accessGroupIds: address.access.groupIds,
    bccSelf: address.options.bccSelf,
    collectReplies: address.options.collectReplies,
    leaveOnServer: address.options.leaveOnServer,
    deleteAfterDays: address.options.deleteAfterDays ?? '',
    createTasksFromNewMail: address.options.createTasksFromNewMail,
    newMailProjectId: address.options.newMailProjectId,
    active: address.active,
    oauthGrantId: null,
    oauthEmail: null,
  };
}

/** The login actually used: the typed one, or the address itself (M10). */
export const effectiveLogin = (v: AddressValues) => v.login.trim() || v.email.trim();

const normalHost = (host: string) => host.trim().toLowerCase().replace(/\.$/, '');

function endpointKey(e: EndpointValues) {
  return { host: normalHost(e.host), port: e.port, security: e.security, pin: e.pin?.sha256 ?? null };
}

/**
 * What a test token is bound to (M20): address, login, password, both endpoints and pins.
 * Any change of this key means the last test no longer speaks for the form.
 */
export function connectionKey(v: AddressValues): string {
  return JSON.stringify({
    connection: connectionIdentity(connectionShape(v)),
    password: v.password,
    oauth: v.oauthGrantId,
  });
}

/** The form's values in the shape of the shared rule (src/domain/mailbox/connection-change.ts). */
export function connectionShape(v: AddressValues): ConnectionShape {
  const e = (x: EndpointValues) => ({
    host: x.host,
    port: x.port,
    security: x.security,
    pinnedCertSha256: x.pin?.sha256 ?? null,
  });
  return {
    email: v.email,
    login: effectiveLogin(v),
    smtp: e(v.smtp),
    incoming: { ...e(v.incoming), protocol: v.incoming.protocol },
  };
}

/**
 * M21: host, port, security or login of a saved address changed, so the stored password
 * will not be sent there and must be typed again. The server's rule, shared.
 */
export function endpointChanged(initial: AddressValues, v: AddressValues): boolean {
  return connectionChange(connectionShape(initial), connectionShape(v)).needsPassword;
}

/** Whether saving needs a passing test: always for a new address, else when connection fields changed. */
export function needsTest(initial: AddressValues | null, v: AddressValues): boolean {
  return connectionChange(initial && connectionShape(initial), connectionShape(v), {
    passwordChanged: v.password !== '',
    newGrant: v.oauthGrantId !== null,
  }).needsTest;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function pinInput(
  initial: PinValue | null | undefined,
  pin: PinValue | null,
): PinnedCertInput | null | undefined {
  if ((initial?.sha256 ?? null) === (pin?.sha256 ?? null)) return undefined;
  if (pin === null) return null;
  // A saved pin has no PEM here; it only changes through "Trust this certificate", which has one.
  return pin.pem ? { sha256: pin.sha256, pem: pin.pem } : undefined;
}

function endpointInput(initial: EndpointValues | undefined, e: EndpointValues) {
  const pinnedCert = pinInput(initial ? initial.pin : undefined, e.pin);
  return {
    host: e.host.trim(),
    port: e.port === '' ? 0 : e.port,
    security: e.security,
    ...(pinnedCert !== undefined ? { pinnedCert } : {}),
  };
}

/** Only the connection part of the body (what "Test account" needs). */
export function connectionInput(v: AddressValues, initial: AddressValues | null): AddressInput {
  const input: AddressInput = {};
  const changed = (pick: (x: AddressValues) => unknown) => !initial || !same(pick(initial), pick(v));
  if (changed((x) => x.email.trim())) input.email = v.email.trim();
  if (changed(effectiveLogin)) input.login = effectiveLogin(v);
  if (v.password !== '') input.password = v.password;
  if (v.oauthGrantId) input.oauthGrantId = v.oauthGrantId;
  if (changed((x) => endpointKey(x.smtp))) input.smtp = endpointInput(initial?.smtp, v.smtp);
  if (changed((x) => [endpointKey(x.incoming), x.incoming.protocol])) {
    input.incoming = { ...endpointInput(initial?.incoming, v.incoming), protocol: v.incoming.protocol };
  }
  if (changed((x) => x.presetId)) input.presetId = v.presetId;
  return input;
}

/** The body of "Test account": for a saved address its id plus what changed (M20). */
export function testInput(
  v: AddressValues,
  initial: AddressValues | null,
  addressId: string | null,
  owner: { scope: 'company' } | { scope: 'employee'; employeeId: string },
): TestInput {
  const base = connectionInput(v, initial);
  if (addressId) return { ...base, addressId };
  return owner.scope === 'company'
    ? { ...base, scope: 'company' }
    : { ...base, scope: 'employee', ownerEmployeeId: owner.employeeId };
}

/** The body of create (everything) or PATCH (what changed). */
export function saveInput(v: AddressValues, initial: AddressValues | null, isCompany: boolean): AddressInput {
  const input: AddressInput = connectionInput(v, initial);
  const put = <K extends keyof AddressInput>(
    key: K,
    value: AddressInput[K],
    pick: (x: AddressValues) => unknown,
  ) => {
    if (!initial || !same(pick(initial), pick(v))) input[key] = value;
  };
  put('displayName', v.displayName.trim(), (x) => x.displayName.trim());
  put('replyTo', v.replyTo.trim() || null, (x) => x.replyTo.trim());
  put('signatureText', v.signatureText, (x) => x.signatureText);
  put('signatureHtml', v.signatureHtml, (x) => x.signatureHtml);
  put('projectIds', v.projectIds, (x) => x.projectIds);
  if (isCompany) {
    put('access', { employeeIds: v.accessEmployeeIds, groupIds: v.accessGroupIds }, (x) => [
      x.accessEmployeeIds,
      x.accessGroupIds,
    ]);
  }
  const options = {
    bccSelf: v.bccSelf,
    collectReplies: v.collectReplies,
    leaveOnServer: v.leaveOnServer,
    deleteAfterDays: v.leaveOnServer || v.deleteAfterDays === '' ? null : v.deleteAfterDays,
    createTasksFromNewMail: v.createTasksFromNewMail,
    newMailProjectId: v.createTasksFromNewMail ? v.newMailProjectId : null,
  };
  put('options', options, (x) => [
    x.bccSelf,
    x.collectReplies,
    x.leaveOnServer,
    x.leaveOnServer ? '' : x.deleteAfterDays,
    x.createTasksFromNewMail,
    x.createTasksFromNewMail ? x.newMailProjectId : null,
  ]);
  put('active', v.active, (x) => x.active);
  return input;
}

/** The servers of a preset, with a variant's own hosts where it has them. */
export function presetServers(preset: MailPreset, variantId?: string | null) {
  const variant = variantId ? preset.variants?.find((x) => x.id === variantId) : undefined;
  return {
    smtp: variant?.smtp ?? preset.smtp,
    pop3: variant && variant.pop3 !== undefined ? variant.pop3 : preset.pop3,
    imap: variant && variant.imap !== undefined ? variant.imap : preset.imap,
  };
}

const endpointFrom = (e: PresetEndpoint | null | undefined, fallback: EndpointValues): EndpointValues =>
  e ? { host: e.host, port: e.port, security: e.security, pin: null } : { ...fallback, pin: null };

/** Fills the server fields from a preset (M15); the other fields stay as typed. */
export function applyPreset(v: AddressValues, preset: MailPreset, variantId?: string | null): AddressValues {
  const servers = presetServers(preset, variantId);
  const protocol: IncomingProtocol =
    preset.defaultIncoming === 'pop3' && servers.pop3 ? 'pop3' : servers.imap ? 'imap' : 'pop3';
  const incoming = protocol === 'pop3' ? servers.pop3 : servers.imap;
  return {
    ...v,
    presetId: preset.id,
    smtp: endpointFrom(servers.smtp[0], v.smtp),
    incoming: { ...endpointFrom(incoming, v.incoming), protocol },
  };
}
