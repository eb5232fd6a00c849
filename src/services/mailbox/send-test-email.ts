import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import type {
  EmailAddressFull,
  EmailAddressRepository,
} from '../../db/repositories/email-address.repository.js';
import type { TestEmailRepository, TestEmailRow } from '../../db/repositories/test-email.repository.js';
import type { WorkspaceRepository } from '../../db/repositories/workspace.repository.js';
import type { Actor } from '../../domain/actor.js';
import { parseEmailAddress } from '../../domain/email-address.js';
import { AppError, notFound } from '../../domain/errors.js';
import {
  DEFAULT_TEST_EMAIL_TIMING,
  FINAL_TEST_EMAIL_STATUSES,
  type TestEmailTiming,
  testEmailMessageId,
  testEmailState,
} from '../../domain/mailbox/test-email.js';
import type { IncomingProber, SmtpProber } from '../../ports/mail-probes.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { OAuthCredentials } from '../oauth/oauth-credentials.js';
import type { RateLimiter } from '../rate-limiter.js';
import { requireManage, scopeOfAddress } from './email-address-permissions.js';
import type { IsSandboxWorkspace } from './sandbox-workspaces.js';
import type { DirectionResult } from './test-connection.js';
import { createTestEmailSteps } from './test-email-steps.js';

export interface TestEmailDeps {
  addresses: Pick<EmailAddressRepository, 'findById'>;
  testEmails: TestEmailRepository;
  workspaces: Pick<WorkspaceRepository, 'findById'>;
  secretBox: SecretBox;
  smtp: Pick<SmtpProber, 'sendTest'>;
  pop3: IncomingProber;
  imap: IncomingProber;
  /** OAuth addresses send their test email with a fresh access token (M47). */
  oauth?: Pick<OAuthCredentials, 'authForAddress'>;
  /** The demo workspace's addresses may dial the sandbox (decision 0010). */
  isSandboxWorkspace?: IsSandboxWorkspace;
  rateLimiter: RateLimiter;
  audit: AuditRecorder;
  /** Shared with "Test account" (same key): tests per employee per minute (M22). */
  perEmployeePerMinute: number;
  /** Per address: how many test emails in ten minutes. */
  perAddressPer10Minutes?: number;
  timing?: TestEmailTiming;
  now?: () => Date;
}

/** One round trip as the API shows it: both directions diagnosed from the catalogue. */
export interface TestEmailRecord {
  row: TestEmailRow;
  send: DirectionResult | null;
  arrival: DirectionResult | null;
}

const RECENT = 5;

/**
 * "Send a test email" (M23): the saved address sends a message to itself over SMTP, then its
 * POP3/IMAP server is checked (backing off) until the message is there or the wait is over.
 * The request writes a durable job; the worker runs it step by step (test-email-steps.ts),
 * so a restart or another worker process continues it. The row is the state every process
 * reads. Never changes the address itself: it is a check, not a gate.
 */
export function createTestEmailService(deps: TestEmailDeps) {
  const now = deps.now ?? (() => new Date());
  const timing = deps.timing ?? DEFAULT_TEST_EMAIL_TIMING;
  const steps = createTestEmailSteps({ ...deps, timing, now });
  const progress = new EventEmitter();
  progress.setMaxListeners(0);

  const load = async (actor: Actor, addressId: string): Promise<EmailAddressFull> => {
    const row = await deps.addresses.findById(actor.workspaceId, addressId);
    if (!row) throw notFound('email address', addressId);
    const ws = await deps.workspaces.findById(actor.workspaceId);
    requireManage(actor, scopeOfAddress(row), ws?.employeesManageOwnAddresses ?? true);
    return row;
  };

  const record = (row: TestEmailRow): TestEmailRecord => ({
    row,
    send: (row.send as DirectionResult | null) ?? null,
    arrival: (row.arrival as DirectionResult | null) ?? null,
  });

  return {
    /** Queues a round trip (or returns the one still under way for this address). */
    async start(actor: Actor, addressId: string, lang: 'pl' | 'en'): Promise<TestEmailRecord> {
      const address = await load(actor, addressId);
      if (!address.active) throw new AppError('ADDRESS_DISABLED');
      const oauth = address.authType === 'oauth2' && deps.oauth;
      if (!address.passwordEnc && !oauth) throw new AppError('ADDRESS_NEEDS_PASSWORD');
      const [latest] = await deps.testEmails.recent(actor.workspaceId, addressId, 1);
      if (
        latest &&
        testEmailState(latest, now()) === latest.status &&
        !FINAL_TEST_EMAIL_STATUSES.has(latest.status)
      )
        return record(latest);
      await deps.rateLimiter.consume(`test:employee:${actor.employeeId}`, deps.perEmployeePerMinute, 60_000);
      await deps.rateLimiter.consume(
        `test-email:address:${addressId}`,
        deps.perAddressPer10Minutes ?? 5,
        600_000,
      );

      const id = randomUUID();
      const parsed = parseEmailAddress(address.email);
      const started = now();
      const row = await deps.testEmails.insert({
        id,
        workspaceId: actor.workspaceId,
        addressId,
        requestedByEmployeeId: actor.employeeId,
        status: 'sending',
        lang,
        messageId: testEmailMessageId(id, parsed.ok ? parsed.ascii : address.email),
        deadlineAt: new Date(started.getTime() + timing.arrivalTimeoutMs),
        nextStepAt: started,
        createdAt: started,
      });
      await deps.audit.record(actor, {
        action: 'email_address.test_email_sent',
        targetType: 'email_address',
        targetId: addressId,
        details: { email: address.email, testEmailId: id },
      });
      // The worker in this process starts at once; others find it on their next poll.
      progress.emit('wake');
      return record(row);
    },

    async get(actor: Actor, addressId: string, testEmailId: string): Promise<TestEmailRecord> {
      await load(actor, addressId);
      const row = await deps.testEmails.find(actor.workspaceId, addressId, testEmailId);
      if (!row) throw notFound('test email', testEmailId);
      return record(row);
    },

    async recent(actor: Actor, addressId: string): Promise<TestEmailRecord[]> {
      await load(actor, addressId);
      return (await deps.testEmails.recent(actor.workspaceId, addressId, RECENT)).map(record);
    },

    /**
     * One worker pass (the `test-emails` loop): true when more jobs may be due at once, else
     * the milliseconds until the next step is due (null: nothing pending).
     */
    async runDue(signal: AbortSignal, onError: (err: unknown) => void): Promise<boolean | number | null> {
      const more = await steps.runDue(signal, onError);
      progress.emit('step');
      if (more) return true;
      const next = await deps.testEmails.nextDue();
      return next === null ? null : Math.max(0, next.getTime() - now().getTime());
    },

    /** Subscribes the worker loop to new round trips queued in this process. */
    onWake(listener: () => void): () => void {
      progress.on('wake', listener);
      return () => progress.off('wake', listener);
    },

    /** Resolves after the worker's next pass in this process (tests). */
    async afterStep(): Promise<void> {
      await once(progress, 'step');
    },

    /** Resolves once no round trip is left unfinished (tests, with a worker running). */
    async idle(): Promise<void> {
      while ((await deps.testEmails.nextDue()) !== null) {
        await once(progress, 'step');
      }
    },
  };
}

export type TestEmailService = ReturnType<typeof createTestEmailService>;
