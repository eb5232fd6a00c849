import type { EmailAddressFull } from '../../db/repositories/email-address.repository.js';
import type { IncomingSettings, MailAuth } from '../../domain/mailbox/connection.js';
import { getPreset, listPresets } from '../../domain/presets/detect.js';
import type { SecretBox } from '../../security/secret-box.js';
import { type IsSandboxWorkspace, noSandboxWorkspace } from '../mailbox/sandbox-workspaces.js';

/** Where a copy in Sent goes, or why there is none (mirrors mail/imap's SentCopyTarget). */
export type SentCopyTargetResult =
  | { kind: 'imap'; settings: IncomingSettings }
  | { kind: 'skip'; reason: 'no_imap' | 'provider_files_sent' | 'address_unavailable' };

/**
 * Whether the provider files mail sent over SMTP in the Sent folder itself (Gmail does), so a
 * copy of ours would be a duplicate: the address's preset says so, or its SMTP host is one of
 * such a preset's servers (an address saved as "other server" with smtp.gmail.com).
 */
export function providerFilesSentMail(presetId: string | null, smtpHost: string): boolean {
  const preset = presetId ? getPreset(presetId) : null;
  if (preset?.filesSentMail) return true;
  const host = smtpHost.trim().toLowerCase().replace(/\.$/, '');
  return listPresets().some((p) => p.filesSentMail && p.smtp.some((e) => e.host === host));
}

/**
 * Builds the IMAP settings (credentials decrypted right before use) of an address for the
 * Sent copier. Skips addresses without IMAP, whose provider files sent mail itself, or that
 * are gone or disabled. OAuth addresses sign in with a fresh access token.
 */
export function createSentCopyTargets(deps: {
  addresses: { findById(workspaceId: string, id: string): Promise<EmailAddressFull | null> };
  secretBox: SecretBox;
  /** The demo workspace's addresses may dial the sandbox (decision 0010); default: none is. */
  isSandboxWorkspace?: IsSandboxWorkspace;
  oauthToken?: (
    workspaceId: string,
    addressId: string,
    signal: AbortSignal,
  ) => Promise<{ user: string; accessToken: string }>;
}) {
  return async (
    workspaceId: string,
    addressId: string,
    signal: AbortSignal,
  ): Promise<SentCopyTargetResult> => {
    const a = await deps.addresses.findById(workspaceId, addressId);
    if (!a?.active) return { kind: 'skip', reason: 'address_unavailable' };
    if (a.incomingProtocol !== 'imap') return { kind: 'skip', reason: 'no_imap' };
    if (providerFilesSentMail(a.presetId, a.smtpHost)) return { kind: 'skip', reason: 'provider_files_sent' };
    let auth: MailAuth;
    if (a.authType === 'oauth2') {
      if (!deps.oauthToken) return { kind: 'skip', reason: 'address_unavailable' };
      const t = await deps.oauthToken(workspaceId, addressId, signal);
      auth = { type: 'oauth2', user: t.user, accessToken: t.accessToken };
    } else {
      if (!a.passwordEnc) return { kind: 'skip', reason: 'address_unavailable' };
      const pass = deps.secretBox.decrypt(a.passwordEnc, { workspaceId, rowId: a.id, field: 'password' });
      auth = { type: 'password', user: a.login, pass };
    }
    return {
      kind: 'imap',
      settings: {
        protocol: 'imap',
        host: a.incomingHost,
        port: a.incomingPort,
        security: a.incomingSecurity,
        pinnedCert: a.incomingPinnedCert ?? null,
        sandbox: await (deps.isSandboxWorkspace ?? noSandboxWorkspace)(workspaceId),
        auth,
      },
    };
  };
}
