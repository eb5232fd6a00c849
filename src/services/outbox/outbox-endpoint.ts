import type { SendingAddress } from '../../db/repositories/outbox.repository.js';
import type { MailFailure } from '../../domain/mailbox/mail-failure.js';
import { getPreset } from '../../domain/presets/detect.js';
import type { SenderEndpoint } from '../../ports/mail-sender.js';
import type { SecretBox } from '../../security/secret-box.js';
import { type IsSandboxWorkspace, noSandboxWorkspace } from '../mailbox/sandbox-workspaces.js';
import type { LaneLimits } from './address-lane.js';

/** OAuth access tokens for a saved address (ctx.oauth.tokens + the address's grant). */
export interface OutboxOAuth {
  accessTokenFor(
    workspaceId: string,
    addressId: string,
    options: { signal?: AbortSignal },
  ): Promise<{ user: string; accessToken: string }>;
  /** The server refused a token we believed valid: forget it so the next call refreshes (M47). */
  forget(workspaceId: string, addressId: string): Promise<void>;
}

/** Connections per address when neither the address nor its preset says (the `other` preset's). */
const DEFAULT_MAX_CONNECTIONS = 2;

/** M34: the address's own override, else its preset's conservative limits. */
export function laneLimits(
  address: Pick<SendingAddress, 'presetId' | 'sendMaxConnections' | 'sendPerMinute'>,
): LaneLimits {
  const preset = address.presetId ? getPreset(address.presetId) : null;
  const max = address.sendMaxConnections ?? preset?.limits.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const perMinute = address.sendPerMinute ?? preset?.limits.perMinute ?? null;
  return {
    maxConnections: Math.max(1, Math.min(max, 50)),
    perMinute: perMinute && perMinute > 0 ? perMinute : null,
  };
}

/**
 * The SMTP endpoint of an address with its credentials, built right before each connect: the
 * password decrypted as the test email does (AAD bound to the row), or a fresh OAuth token.
 */
export function endpointSource(
  deps: { secretBox: SecretBox; oauth?: OutboxOAuth; isSandboxWorkspace?: IsSandboxWorkspace },
  address: SendingAddress,
) {
  const isSandboxWorkspace = deps.isSandboxWorkspace ?? noSandboxWorkspace;
  return async (retry: boolean, signal: AbortSignal): Promise<SenderEndpoint> => {
    const base = {
      host: address.smtpHost,
      port: address.smtpPort,
      security: address.smtpSecurity,
      pinnedCert: address.smtpPinnedCert ?? null,
      // The demo workspace's address may dial the sandbox's ports (decision 0010).
      sandbox: await isSandboxWorkspace(address.workspaceId),
    };
    if (address.authType === 'oauth2') {
      if (!deps.oauth) throw new Error('OAuth is not configured');
      if (retry) await deps.oauth.forget(address.workspaceId, address.id);
      const t = await deps.oauth.accessTokenFor(address.workspaceId, address.id, { signal });
      return { ...base, auth: { type: 'oauth2', user: t.user, accessToken: t.accessToken } };
    }
    if (!address.passwordEnc) throw new Error('The address has no password');
    const pass = deps.secretBox.decrypt(address.passwordEnc, {
      workspaceId: address.workspaceId,
      rowId: address.id,
      field: 'password',
    });
    return { ...base, auth: { type: 'password', user: address.login, pass } };
  };
}

/** A refused XOAUTH2 login (535 / 334 challenge ending in an error): worth one token refresh. */
export function isAuthRejection(failure: MailFailure): boolean {
  return failure.kind === 'auth';
}
