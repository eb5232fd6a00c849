import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type {
  EmailAddressFull,
  EmailAddressRepository,
} from '../../db/repositories/email-address.repository.js';
import type { TestEmailRepository, TestEmailRow } from '../../db/repositories/test-email.repository.js';
import type { WorkspaceRepository } from '../../db/repositories/workspace.repository.js';
import type { Actor } from '../../domain/actor.js';
import { parseEmailAddress } from '../../domain/email-address.js';
import { AppError, notFound } from '../../domain/errors.js';
import type { MailAuth } from '../../domain/mailbox/connection.js';
import type { ProbeResult } from '../../domain/mailbox/probe.js';
import {
  checkDelayMs,
  DEFAULT_TEST_EMAIL_TIMING,
  TEST_EMAIL_HEADER,
  type TestEmailTiming,
  testEmailMessageId,
  testEmailTexts,
} from '../../domain/mailbox/test-email.js';
import type { IncomingProber, SmtpProber } from '../../ports/mail-probes.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { RateLimiter } from '../rate-limiter.js';
import { requireManage, scopeOfAddress } from './email-address-permissions.js';
import { CONNECTION_TEST_TIMEOUT_MS, type DirectionResult, withDiagnosis } from './test-connection.js';

export interface TestEmailDeps {
  addresses: Pick<EmailAddressRepository, 'findById'>;
  testEmails: TestEmailRepository;
  workspaces: Pick<WorkspaceRepository, 'findById'>;
  secretBox: SecretBox;
  smtp: Pick<SmtpProber, 'sendTest'>;
  pop3: IncomingProber;
  imap: IncomingProber;
  rateLimiter: RateLimiter;
  audit: AuditRecorder;
  /** Shared with "Test account" (same key): tests per employee per minute (M22). */
  perEmployeePerMinute: number;
  /** Per address: how many test emails in ten minutes. */
  perAddressPer10Minutes?: number;
  timing?: TestEmailTiming;
  now?: () => Date;
  onError?: (err: unknown) => void;
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
 * It runs in the background of the process that got the request; the row is the shared
 * state any process can read. Never changes the address itself: it is a check, not a gate.
 */
export function createTestEmailService(deps: TestEmailDeps) {
  const now = deps.now ?? (() => new Date());
  const timing = deps.timing ?? DEFAULT_TEST_EMAIL_TIMING;
  const running = new Map<string, Promise<void>>();
  const stopping = new AbortController();

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

  // Resolves early (never rejects) when the service stops.
  const sleep = (ms: number) => delay(ms, undefined, { signal: stopping.signal }).catch(() => {});

  async function run(address: EmailAddressFull, row: TestEmailRow, lang: 'pl' | 'en'): Promise<void> {
    const ws = address.workspaceId;
    const pass = deps.secretBox.decrypt(address.passwordEnc!, {
      workspaceId: ws,
      rowId: address.id,
      field: 'password',
    });
    const auth: MailAuth = { type: 'password', user: address.login, pass };
    const parsed = parseEmailAddress(address.email);
    const ascii = parsed.ok ? parsed.ascii : address.email;
    const texts = testEmailTexts(lang, address.email, row.id);
    const signal = stopping.signal;
    const smtpHints = { port: address.smtpPort, security: address.smtpSecurity };
    const sent = await deps.smtp.sendTest(
      {
        host: address.smtpHost,
        port: address.smtpPort,
        security: address.smtpSecurity,
        pinnedCert: address.smtpPinnedCert ?? null,
        auth,
        address: ascii,
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
    const send = withDiagnosis(sent, smtpHints);
    if (!sent.ok) {
      await deps.testEmails.update(ws, row.id, { status: 'failed', send: asJson(send), finishedAt: now() });
      return;
    }
    await deps.testEmails.update(ws, row.id, { status: 'waiting', send: asJson(send), sentAt: now() });

    const incoming = address.incomingProtocol === 'imap' ? deps.imap : deps.pop3;
    const incomingHints = { port: address.incomingPort, security: address.incomingSecurity };
    const skipUids = new Set<string>();
    for (let n = 0; ; n++) {
      const left = row.deadlineAt.getTime() - now().getTime();
      if (left <= 0 || signal.aborted) break;
      await sleep(Math.min(checkDelayMs(timing, n), left));
      if (signal.aborted) break;
      const checked: ProbeResult = await incoming.probe(
        {
          protocol: address.incomingProtocol,
          host: address.incomingHost,
          port: address.incomingPort,
          security: address.incomingSecurity,
          pinnedCert: address.incomingPinnedCert ?? null,
          auth,
        },
        {
          deadline: Date.now() + CONNECTION_TEST_TIMEOUT_MS,
          signal,
          find: { messageId: row.messageId, skipUids: [...skipUids] },
        },
      );
      const arrival = asJson(withDiagnosis(checked, incomingHints));
      const find = checked.steps.find((s) => s.id === 'find');
      for (const uid of (find?.info?.checked as string[] | undefined) ?? []) skipUids.add(uid);
      if (!checked.ok) {
        // Reading the mailbox failed (password changed, server down): the round trip cannot finish.
        await deps.testEmails.update(ws, row.id, {
          status: 'failed',
          arrival,
          checks: n + 1,
          finishedAt: now(),
        });
        return;
      }
      if (find?.info?.found === true) {
        const at = now();
        await deps.testEmails.update(ws, row.id, {
          status: 'arrived',
          arrival,
          checks: n + 1,
          arrivedAt: at,
          finishedAt: at,
        });
        return;
      }
      await deps.testEmails.update(ws, row.id, { arrival, checks: n + 1 });
    }
    // Stopped by shutdown: leave the row unfinished, it reads as interrupted after its deadline.
    if (signal.aborted) return;
    await deps.testEmails.update(ws, row.id, { status: 'not_arrived', finishedAt: now() });
  }

  return {
    /** Starts a round trip (or returns the one still running for this address). */
    async start(actor: Actor, addressId: string, lang: 'pl' | 'en'): Promise<TestEmailRecord> {
      const address = await load(actor, addressId);
      if (!address.active) throw new AppError('ADDRESS_DISABLED');
      if (!address.passwordEnc) throw new AppError('ADDRESS_NEEDS_PASSWORD');
      const [latest] = await deps.testEmails.recent(actor.workspaceId, addressId, 1);
      if (latest && running.has(latest.id)) return record(latest);
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
        messageId: testEmailMessageId(id, parsed.ok ? parsed.ascii : address.email),
        deadlineAt: new Date(started.getTime() + timing.arrivalTimeoutMs),
        createdAt: started,
      });
      await deps.audit.record(actor, {
        action: 'email_address.test_email_sent',
        targetType: 'email_address',
        targetId: addressId,
        details: { email: address.email, testEmailId: id },
      });
      const job = run(address, row, lang)
        .catch(async (err) => {
          deps.onError?.(err);
          await deps.testEmails
            .update(actor.workspaceId, id, { status: 'failed', finishedAt: now() })
            .catch(() => {});
        })
        .finally(() => running.delete(id));
      running.set(id, job);
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

    /** Stops waiting (shutdown); a round trip cut short reads as interrupted. */
    async close(): Promise<void> {
      stopping.abort();
      await Promise.allSettled([...running.values()]);
    },

    /** For tests: resolves once every round trip started so far has finished. */
    async idle(): Promise<void> {
      await Promise.allSettled([...running.values()]);
    },
  };
}

export type TestEmailService = ReturnType<typeof createTestEmailService>;

const asJson = (r: DirectionResult) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
