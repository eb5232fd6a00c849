import { randomUUID } from 'node:crypto';
import type {
  EmailAddressFull,
  EmailAddressRepository,
} from '../../db/repositories/email-address.repository.js';
import type { TestEmailRepository, TestEmailRow } from '../../db/repositories/test-email.repository.js';
import { providerOfPreset } from '../../domain/catalogue/provider.js';
import { parseEmailAddress } from '../../domain/email-address.js';
import type { MailAuth } from '../../domain/mailbox/connection.js';
import {
  checkDelayMs,
  TEST_EMAIL_HEADER,
  type TestEmailTiming,
  testEmailTexts,
} from '../../domain/mailbox/test-email.js';
import type { IncomingProber, SmtpProber } from '../../ports/mail-probes.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { OAuthCredentials } from '../oauth/oauth-credentials.js';
import { type IsSandboxWorkspace, noSandboxWorkspace } from './sandbox-workspaces.js';
import { CONNECTION_TEST_TIMEOUT_MS, type DirectionResult, withDiagnosis } from './test-connection.js';

export interface TestEmailStepDeps {
  addresses: Pick<EmailAddressRepository, 'findById'>;
  testEmails: TestEmailRepository;
  secretBox: SecretBox;
  smtp: Pick<SmtpProber, 'sendTest'>;
  pop3: IncomingProber;
  imap: IncomingProber;
  /** OAuth addresses sign in with a fresh access token (M47). */
  oauth?: Pick<OAuthCredentials, 'authForAddress'>;
  /** The demo workspace's addresses may dial the sandbox (decision 0010); default: none is. */
  isSandboxWorkspace?: IsSandboxWorkspace;
  timing: TestEmailTiming;
  now: () => Date;
}

/** Jobs one worker pass runs side by side. */
const BATCH = 4;
/** Longer than one step can take (each probe ends by its 30 s deadline). */
const LEASE_MS = 2 * CONNECTION_TEST_TIMEOUT_MS;

const asJson = (r: DirectionResult) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>;

/**
 * The worker side of "send a test email" (M23, issue 8 item 9): each due job runs one step —
 * the send, or one arrival check — under a lease, and writes where it got to, so any worker
 * process continues it after a restart. Never changes the address itself.
 */
export function createTestEmailSteps(deps: TestEmailStepDeps) {
  const { now } = deps;

  async function step(row: TestEmailRow, lease: string, signal: AbortSignal): Promise<void> {
    const finish = (patch: Parameters<TestEmailRepository['finishStep']>[2]) =>
      deps.testEmails.finishStep(row.id, lease, patch);
    const address = await deps.addresses.findById(row.workspaceId, row.addressId);
    const oauth = address?.authType === 'oauth2' ? deps.oauth : undefined;
    if (!address?.active || (!address.passwordEnc && !oauth)) {
      await finish({ status: 'failed', finishedAt: now(), nextStepAt: null });
      return;
    }
    if (now().getTime() > row.deadlineAt.getTime()) {
      await finish({
        status: row.status === 'sending' ? 'failed' : 'not_arrived',
        finishedAt: now(),
        nextStepAt: null,
      });
      return;
    }
    let auth: MailAuth;
    if (oauth) {
      try {
        auth = await oauth.authForAddress(address.workspaceId, address.id, signal);
      } catch {
        // A lost grant is already recorded on the address (needs reconnect); an unreachable
        // token endpoint ends this check too: the employee starts another one.
        await finish({ status: 'failed', finishedAt: now(), nextStepAt: null });
        return;
      }
    } else {
      auth = {
        type: 'password',
        user: address.login,
        pass: deps.secretBox.decrypt(address.passwordEnc!, {
          workspaceId: address.workspaceId,
          rowId: address.id,
          field: 'password',
        }),
      };
    }
    const sandbox = await (deps.isSandboxWorkspace ?? noSandboxWorkspace)(address.workspaceId);
    if (row.status === 'sending') await send(row, address, { auth, sandbox }, signal, finish);
    else await check(row, address, { auth, sandbox }, signal, finish);
  }

  async function send(
    row: TestEmailRow,
    address: EmailAddressFull,
    { auth, sandbox }: { auth: MailAuth; sandbox: boolean },
    signal: AbortSignal,
    finish: (patch: Parameters<TestEmailRepository['finishStep']>[2]) => Promise<boolean>,
  ) {
    const parsed = parseEmailAddress(address.email);
    const texts = testEmailTexts(row.lang, address.email, row.id);
    const sent = await deps.smtp.sendTest(
      {
        host: address.smtpHost,
        port: address.smtpPort,
        security: address.smtpSecurity,
        pinnedCert: address.smtpPinnedCert ?? null,
        sandbox,
        auth,
        address: parsed.ok ? parsed.ascii : address.email,
      },
      {
        messageId: row.messageId,
        fromName: address.displayName,
        subject: texts.subject,
        text: texts.text,
        date: now(),
        headers: { [TEST_EMAIL_HEADER]: row.id, 'Auto-Submitted': 'auto-generated' },
      },
      { deadline: Date.now() + CONNECTION_TEST_TIMEOUT_MS, signal },
    );
    if (signal.aborted) return void (await finish({})); // shutdown: hand it back, a later pass resends
    const result = asJson(
      withDiagnosis(sent, {
        port: address.smtpPort,
        security: address.smtpSecurity,
        provider: providerOfPreset(address.presetId),
      }),
    );
    if (!sent.ok) {
      await finish({ status: 'failed', send: result, finishedAt: now(), nextStepAt: null });
      return;
    }
    const at = now();
    await finish({
      status: 'waiting',
      send: result,
      sentAt: at,
      // The arrival window opens when the server accepted the email: a slow send (greeting
      // delays, a loaded host) must not eat the time the mailbox gets to receive it.
      deadlineAt: new Date(at.getTime() + deps.timing.arrivalTimeoutMs),
      nextStepAt: new Date(at.getTime() + checkDelayMs(deps.timing, 0)),
    });
  }

  async function check(
    row: TestEmailRow,
    address: EmailAddressFull,
    { auth, sandbox }: { auth: MailAuth; sandbox: boolean },
    signal: AbortSignal,
    finish: (patch: Parameters<TestEmailRepository['finishStep']>[2]) => Promise<boolean>,
  ) {
    const incoming = address.incomingProtocol === 'imap' ? deps.imap : deps.pop3;
    const checked = await incoming.probe(
      {
        protocol: address.incomingProtocol,
        host: address.incomingHost,
        port: address.incomingPort,
        security: address.incomingSecurity,
        pinnedCert: address.incomingPinnedCert ?? null,
        sandbox,
        auth,
      },
      {
        deadline: Math.min(Date.now() + CONNECTION_TEST_TIMEOUT_MS, row.deadlineAt.getTime() + 5_000),
        signal,
        find: { messageId: row.messageId, skipUids: row.skipUids },
      },
    );
    if (signal.aborted) return void (await finish({})); // shutdown: hand the check back
    const arrival = asJson(
      withDiagnosis(checked, {
        port: address.incomingPort,
        security: address.incomingSecurity,
        provider: providerOfPreset(address.presetId),
      }),
    );
    const checks = row.checks + 1;
    const find = checked.steps.find((s) => s.id === 'find');
    if (!checked.ok) {
      // Reading the mailbox failed (password changed, server down): the round trip cannot finish.
      await finish({ status: 'failed', arrival, checks, finishedAt: now(), nextStepAt: null });
      return;
    }
    const at = now();
    if (find?.info?.found === true) {
      await finish({ status: 'arrived', arrival, checks, arrivedAt: at, finishedAt: at, nextStepAt: null });
      return;
    }
    const next = at.getTime() + checkDelayMs(deps.timing, checks);
    const seen = (find?.info?.checked as string[] | undefined) ?? [];
    const skipUids = [...new Set([...row.skipUids, ...seen])].slice(-1000);
    if (at.getTime() >= row.deadlineAt.getTime()) {
      await finish({ status: 'not_arrived', arrival, checks, skipUids, finishedAt: at, nextStepAt: null });
      return;
    }
    await finish({
      arrival,
      checks,
      skipUids,
      // The last check runs at the deadline, not after it.
      nextStepAt: new Date(Math.min(next, row.deadlineAt.getTime())),
    });
  }

  return {
    /**
     * One worker pass: claims due jobs and runs one step of each. Resolves true when a full
     * batch was claimed (more may be due at once). A failing step is left to its lease.
     */
    async runDue(signal: AbortSignal, onError: (err: unknown) => void): Promise<boolean> {
      const lease = randomUUID();
      const rows = await deps.testEmails.claimDue(BATCH, lease, now(), LEASE_MS);
      await Promise.all(rows.map((row) => step(row, lease, signal).catch(onError)));
      return rows.length === BATCH;
    },
  };
}
