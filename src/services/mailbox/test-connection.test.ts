import { describe, expect, it, vi } from 'vitest';
import type { IncomingSettings, SmtpSettings } from '../../domain/mailbox/connection.js';
import type { ProbeResult } from '../../domain/mailbox/probe.js';
import type { IncomingProber, ProbeOptions, SmtpProber } from '../../ports/mail-probes.js';
import { createConnectionTester } from './test-connection.js';

const auth = { type: 'password' as const, user: 'u', pass: 'p' };
const smtp: SmtpSettings = {
  host: 'smtp.example.com',
  port: 465,
  security: 'tls',
  auth,
  address: 'u@example.com',
};
const pop3: IncomingSettings = {
  protocol: 'pop3',
  host: 'pop.example.com',
  port: 995,
  security: 'tls',
  auth,
};

const ok = (protocol: 'smtp' | 'pop3' | 'imap'): ProbeResult => ({
  ok: true,
  protocol,
  steps: [{ id: 'connect', outcome: 'ok', durationMs: 1 }],
});

// Fakes of our own ports: the real probers are tested against real servers elsewhere.
describe('connection tester', () => {
  it('runs both directions in parallel with one shared deadline', async () => {
    const seen: ProbeOptions[] = [];
    // A barrier instead of a timing window: each prober finishes only once both have started,
    // so probing one direction after the other never finishes (the tester's deadline ends it).
    let bothStarted!: () => void;
    const barrier = new Promise<void>((r) => {
      bothStarted = r;
    });
    const waiting = (protocol: 'smtp' | 'pop3'): Pick<SmtpProber, 'probe'> & IncomingProber => ({
      probe: async (_s: never, o: ProbeOptions) => {
        seen.push(o);
        if (seen.length === 2) bothStarted();
        await barrier;
        return ok(protocol);
      },
    });
    const tester = createConnectionTester({
      smtp: waiting('smtp'),
      pop3: waiting('pop3'),
      imap: waiting('pop3'),
    });
    const r = await tester.test({ smtp, incoming: pop3 }, 5_000);
    expect(r.ok).toBe(true);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.deadline).toBe(seen[1]!.deadline);
  });

  it('ends by its timeout even when a prober ignores the deadline, reporting a session timeout and aborting', async () => {
    let aborted = false;
    const hanging: IncomingProber = {
      probe: (_s, o) =>
        new Promise<ProbeResult>(() => {
          o.signal?.addEventListener('abort', () => {
            aborted = true;
          });
        }),
    };
    const tester = createConnectionTester({
      smtp: { probe: async () => ok('smtp') },
      pop3: hanging,
      imap: hanging,
    });
    // Fake timers: the timeout is proven to fire at its deadline, whatever the machine's load.
    vi.useFakeTimers();
    let r: Awaited<ReturnType<typeof tester.test>>;
    try {
      const pending = tester.test({ smtp, incoming: pop3 }, 30_000);
      let done = false;
      void pending.then(() => {
        done = true;
      });
      await vi.advanceTimersByTimeAsync(29_999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      r = await pending;
    } finally {
      vi.useRealTimers();
    }
    expect(r.ok).toBe(false);
    expect(r.smtp.ok).toBe(true);
    expect(r.incoming.failure).toMatchObject({ kind: 'timeout', timeout: 'session' });
    expect(r.incoming.diagnosis?.entryId).toBeTruthy();
    expect(aborted).toBe(true);
  });

  it('routes IMAP settings to the IMAP prober and diagnoses a failed step from the catalogue', async () => {
    const imap: IncomingProber = {
      probe: async () => {
        const failure = {
          kind: 'auth' as const,
          protocol: 'imap' as const,
          step: 'auth',
          response: 'NO [AUTHENTICATIONFAILED] Authentication failed.',
        };
        return {
          ok: false,
          protocol: 'imap',
          steps: [{ id: 'auth', outcome: 'failed', durationMs: 3, failure }],
          failure,
        };
      },
    };
    const never: IncomingProber = { probe: async () => Promise.reject(new Error('pop3 must not be used')) };
    const tester = createConnectionTester({ smtp: { probe: async () => ok('smtp') }, pop3: never, imap });
    const r = await tester.test({ smtp, incoming: { ...pop3, protocol: 'imap', port: 993 } });
    expect(r.incoming.protocol).toBe('imap');
    expect(r.incoming.steps[0]!.diagnosis?.entryId).toBe('wrong-password');
  });
});
