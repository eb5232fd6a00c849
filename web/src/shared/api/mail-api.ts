import type { AuditQueryParams } from '../../../../src/http/schemas/audit.schema';
import type { CatalogueListView } from '../../../../src/http/schemas/catalogue.schema';
import type { MailPresetListView, SandboxNewcomer } from '../../../../src/http/schemas/preset.schema';
import type { WorkspaceSettingsView } from '../../../../src/http/schemas/workspace.schema';
import { apiRequest } from './http-client';
import type {
  AddressInput,
  AuditEntry,
  EmailAddress,
  PresetDetection,
  SenderPreview,
  TestInput,
  TestResult,
} from './mail-types';
import type { ListParams, Page } from './types';

/** Which list an address belongs to: the company's, or one employee's (M3). */
export type AddressOwner = { scope: 'company' } | { scope: 'employee'; employeeId: string };

/** Query-key root of every cached address list and item. */
export const ADDRESSES_KEY = 'email-addresses';

const basePath = (owner: AddressOwner) =>
  owner.scope === 'company'
    ? '/api/company/email-addresses'
    : `/api/employees/${encodeURIComponent(owner.employeeId)}/email-addresses`;

const itemPath = (owner: AddressOwner, id: string) => `${basePath(owner)}/${encodeURIComponent(id)}`;

/** The owner of a saved address, from the address itself. */
export const ownerOf = (address: EmailAddress): AddressOwner =>
  address.scope === 'company' || !address.ownerEmployeeId
    ? { scope: 'company' }
    : { scope: 'employee', employeeId: address.ownerEmployeeId };

export const ownerKey = (owner: AddressOwner) =>
  [ADDRESSES_KEY, owner.scope === 'company' ? 'company' : owner.employeeId] as const;

/** Calls of the external email address API (SPEC §9). */
export const mailApi = {
  /** The first page (up to 100 addresses): enough to name audit targets. */
  list: (owner: AddressOwner, signal?: AbortSignal) =>
    apiRequest<Page<EmailAddress>>('GET', basePath(owner), { query: { limit: 100 }, signal }).then(
      (r) => r.items,
    ),
  /** One page of a list (the server pages them like every other list). */
  listPage: (owner: AddressOwner, params: ListParams, signal?: AbortSignal) =>
    apiRequest<Page<EmailAddress>>('GET', basePath(owner), { query: params, signal }),
  get: (owner: AddressOwner, id: string, signal?: AbortSignal) =>
    apiRequest<EmailAddress>('GET', itemPath(owner, id), { signal }),
  create: (owner: AddressOwner, input: AddressInput) =>
    apiRequest<EmailAddress>('POST', basePath(owner), { body: input }),
  update: (owner: AddressOwner, id: string, input: AddressInput) =>
    apiRequest<EmailAddress>('PATCH', itemPath(owner, id), { body: input }),
  remove: (owner: AddressOwner, id: string) => apiRequest<void>('DELETE', itemPath(owner, id)),
  test: (input: TestInput, signal?: AbortSignal) =>
    apiRequest<TestResult>('POST', '/api/email-addresses/test', { body: input, signal }),
  presets: (signal?: AbortSignal) =>
    apiRequest<MailPresetListView>('GET', '/api/mail-presets', { signal }).then((r) => r.items),
  detect: (email: string, signal?: AbortSignal) =>
    apiRequest<PresetDetection>('GET', '/api/mail-presets/detect', { query: { email }, signal }),
  /** The demo workspace only: the password that opens a new sandbox mailbox (404 elsewhere). */
  sandboxNewcomer: (signal?: AbortSignal) =>
    apiRequest<SandboxNewcomer>('GET', '/api/sandbox/newcomer', { signal }),
  catalogue: (signal?: AbortSignal) =>
    apiRequest<CatalogueListView>('GET', '/api/error-catalogue', { signal }).then((r) => r.items),
  /** The preview lists excluded addresses a slice at a time (`excludedLimit`, default 50). */
  senders: (employeeId: string, projectId: string | null, excludedLimit?: number, signal?: AbortSignal) =>
    apiRequest<SenderPreview>('GET', '/api/senders', {
      query: { employeeId, projectId: projectId ?? undefined, excludedLimit },
      signal,
    }),
  /** The workspace's settings (M48: may employees manage their own addresses). */
  workspace: (signal?: AbortSignal) => apiRequest<WorkspaceSettingsView>('GET', '/api/workspace', { signal }),
  auditLog: (params: AuditQueryParams, signal?: AbortSignal) =>
    apiRequest<Page<AuditEntry>>('GET', '/api/audit-log', { query: params, signal }),
};
