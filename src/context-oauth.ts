import type { AppConfig } from './config/config.js';
import type { Db } from './db/database.js';
import type { EmailAddressRepository } from './db/repositories/email-address.repository.js';
import { createOAuthGrantRepository } from './db/repositories/oauth-grant.repository.js';
import type { WorkspaceRepository } from './db/repositories/workspace.repository.js';
import { createOAuthProviders } from './mail/oauth/oauth-providers.js';
import type { OAuthProviders } from './ports/oauth-provider.js';
import type { SecretBox } from './security/secret-box.js';
import type { AuditRecorder } from './services/audit/audit-recorder.js';
import type { HealthRecorder } from './services/mailbox/address-health-recorder.js';
import { createOAuthConnect } from './services/oauth/oauth-connect.js';
import { createOAuthCredentials } from './services/oauth/oauth-credentials.js';
import { createOAuthTokens } from './services/oauth/oauth-tokens.js';

/** Wires OAuth mailboxes (M47): grants, the providers the operator configured, access tokens. */
export function createOAuthContext(
  config: AppConfig,
  deps: {
    db: Db;
    secretBox: SecretBox;
    health: Pick<HealthRecorder, 'record'>;
    now?: () => Date;
    /** For the connect flow (absent in worker-only wiring and token tests). */
    connect?: {
      addresses: Pick<EmailAddressRepository, 'findById'>;
      workspaces: Pick<WorkspaceRepository, 'findById'>;
      audit: AuditRecorder;
    };
  },
  overrides: { providers?: OAuthProviders; pauseMs?: number } = {},
) {
  const grants = createOAuthGrantRepository(deps.db);
  const providers = overrides.providers ?? createOAuthProviders(config.oauth);
  const tokens = createOAuthTokens({
    grants,
    providers,
    secretBox: deps.secretBox,
    health: deps.health,
    ...(deps.now ? { now: deps.now } : {}),
    ...(overrides.pauseMs !== undefined ? { pauseMs: overrides.pauseMs } : {}),
  });
  const credentials = createOAuthCredentials({
    grants,
    tokens,
    mailHosts: (p) => config.oauth[p]?.mailHosts ?? [],
  });
  const connect = deps.connect
    ? createOAuthConnect({
        grants,
        providers,
        secretBox: deps.secretBox,
        ...deps.connect,
        ...(deps.now ? { now: deps.now } : {}),
      })
    : null;
  return { grants, providers, tokens, credentials, connect };
}

export type OAuthContext = ReturnType<typeof createOAuthContext>;
