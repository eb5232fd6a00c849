import type {
  EmailAddressFull,
  EmailAddressRepository,
} from '../../db/repositories/email-address.repository.js';
import type { EmployeeRepository } from '../../db/repositories/employee.repository.js';
import type { WorkspaceRepository } from '../../db/repositories/workspace.repository.js';
import type { Actor } from '../../domain/actor.js';
import { parseEmailAddress } from '../../domain/email-address.js';
import { notFound, validationFailed } from '../../domain/errors.js';
import { nextHealth } from '../../domain/mailbox/address-health.js';
import { decodeHealth, encodeHealth } from '../../domain/mailbox/address-health-codec.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { OAuthCredentials } from '../oauth/oauth-credentials.js';
import type { RateLimiter } from '../rate-limiter.js';
import {
  type AddressInput,
  connectionChanged,
  connectionFieldsOf,
  endpointChanged,
  type MergeDeps,
  mergeAddressInput,
  stateOfRow,
} from './email-address-input.js';
import { type AddressScope, requireManage, scopeOfAddress } from './email-address-permissions.js';
import { oauthAddressIssues } from './oauth-address-guard.js';
import { senderIssues } from './sender-guard.js';
import type { ConnectionTester, ConnectionTestResult } from './test-connection.js';
import { connectionFingerprint, issueTestToken } from './test-token.js';

export interface TestRequest extends AddressInput {
  /** Test an existing address (with changed fields, or as saved). */
  addressId?: string;
  /** For a new address: which list it is for (default: the caller's own). */
  scope?: 'company' | 'employee';
  ownerEmployeeId?: string;
}

interface Deps extends MergeDeps {
  addresses: Pick<EmailAddressRepository, 'findById' | 'update'>;
  employees: Pick<EmployeeRepository, 'findById'>;
  workspaces: Pick<WorkspaceRepository, 'findById'>;
  secretBox: SecretBox;
  tester: ConnectionTester;
  rateLimiter: RateLimiter;
  perEmployeePerMinute: number;
  perWorkspacePerHour: number;
  testTokenKey: () => Buffer;
  audit: AuditRecorder;
  /** OAuth mailboxes (M47): the test signs in with XOAUTH2 and the token binds the grant. */
  oauth?: Pick<OAuthCredentials, 'grantFor' | 'authFor' | 'fingerprintSecret' | 'hostAllowed'>;
  now?: () => Date;
}

/**
 * "Test account" (M17–M22): validates the settings, picks the secret (the one typed, or the
 * stored one when the endpoint is unchanged — M21), runs the connection test and, when it
 * passes, returns a token bound to exactly these settings. Rate-limited and audited.
 */
export function createEmailAddressTester(deps: Deps) {
  const now = deps.now ?? (() => new Date());
  return {
    async test(actor: Actor, req: TestRequest): Promise<ConnectionTestResult & { testToken?: string }> {
      let row: EmailAddressFull | null = null;
      let scope: AddressScope;
      if (req.addressId) {
        row = await deps.addresses.findById(actor.workspaceId, req.addressId);
        if (!row) throw notFound('email address', req.addressId);
        scope = scopeOfAddress(row);
      } else if (req.scope === 'company') {
        scope = { scope: 'company' };
      } else {
        const ownerEmployeeId = req.ownerEmployeeId ?? actor.employeeId;
        if (!(await deps.employees.findById(actor.workspaceId, ownerEmployeeId)))
          throw notFound('employee', ownerEmployeeId);
        scope = { scope: 'employee', ownerEmployeeId };
      }
      const ws = await deps.workspaces.findById(actor.workspaceId);
      requireManage(actor, scope, ws?.employeesManageOwnAddresses ?? true);
      await deps.rateLimiter.consume(`test:employee:${actor.employeeId}`, deps.perEmployeePerMinute, 60_000);
      await deps.rateLimiter.consume(
        `test:workspace:${actor.workspaceId}`,
        deps.perWorkspacePerHour,
        3_600_000,
      );

      const before = row ? stateOfRow(row) : null;
      const sandbox = ws?.sandbox === true;
      const { state, issues } = mergeAddressInput(before, req, deps, { sandbox });
      // OAuth: a grant just connected in the dialog, or the saved address's own (M47).
      const useOAuth =
        deps.oauth && (req.oauthGrantId !== undefined || (row?.authType === 'oauth2' && !req.password));
      const grant = useOAuth
        ? await deps.oauth!.grantFor(actor, req.oauthGrantId ?? null, row?.id ?? null)
        : null;
      if (grant) {
        state.login = grant.email;
        issues.push(
          ...oauthAddressIssues(deps.oauth!, grant, row && before && { id: row.id, state: before }, state),
        );
      }
      issues.push(...(await senderIssues(deps.employees, actor, scope, state, row?.email ?? null)));
      let secret = grant ? deps.oauth!.fingerprintSecret(grant) : req.password;
      if (!secret) {
        if (row && before && !endpointChanged(before, state) && row.passwordEnc) {
          secret = deps.secretBox.decrypt(row.passwordEnc, {
            workspaceId: row.workspaceId,
            rowId: row.id,
            field: 'password',
          });
        } else {
          issues.push({ path: '/body/password', code: row ? 'password_required_after_change' : 'required' });
        }
      }
      if (issues.length > 0) throw validationFailed(issues);

      const parsed = parseEmailAddress(state.email);
      const auth = grant
        ? await deps.oauth!.authFor(grant)
        : { type: 'password' as const, user: state.login, pass: secret! };
      const result = await deps.tester.test({
        smtp: { ...state.smtp, sandbox, auth, address: parsed.ok ? parsed.ascii : state.email },
        incoming: { ...state.incoming, sandbox, auth },
        presetId: state.presetId,
      });

      const resolved = (steps: ConnectionTestResult['smtp']['steps']) =>
        steps.find((s) => s.id === 'resolve')?.info?.address ?? null;
      await deps.audit.record(actor, {
        action: 'email_address.tested',
        targetType: 'email_address',
        targetId: row?.id ?? null,
        details: {
          ok: result.ok,
          email: state.email,
          smtp: {
            host: state.smtp.host,
            port: state.smtp.port,
            address: resolved(result.smtp.steps),
            ok: result.smtp.ok,
            cause: result.smtp.diagnosis?.entryId ?? null,
          },
          incoming: {
            protocol: state.incoming.protocol,
            host: state.incoming.host,
            port: state.incoming.port,
            address: resolved(result.incoming.steps),
            ok: result.incoming.ok,
            cause: result.incoming.diagnosis?.entryId ?? null,
          },
          durationMs: result.durationMs,
        },
      });
      if (!result.ok) return result;

      const sameGrant = !grant || grant.addressId === row?.id;
      if (row && before && !connectionChanged(before, state) && !req.password && sameGrant) {
        // The saved settings still work: record it and clear a failing status (M50).
        const verified = nextHealth(decodeHealth(row.health, row.healthDetail), {
          type: 'settings_verified',
          at: now().toISOString(),
        });
        await deps.addresses.update(actor.workspaceId, row.id, {
          lastTestOkAt: now(),
          ...(verified.ok ? encodeHealth(verified.health) : {}),
        });
      }
      const fields = { ...connectionFieldsOf(state), ...(grant ? { authType: 'oauth2' as const } : {}) };
      const fingerprint = connectionFingerprint(fields, secret!);
      return {
        ...result,
        testToken: issueTestToken(deps.testTokenKey(), actor.workspaceId, fingerprint, now()),
      };
    },
  };
}

export type EmailAddressTester = ReturnType<typeof createEmailAddressTester>;
