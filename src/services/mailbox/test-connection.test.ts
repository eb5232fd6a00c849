import { describe, expect, it } from 'vitest';
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
    const started: number[] = [];
    const slow = (protocol: 'smtp' | 'pop3'): Pick<SmtpProber, 'probe'> & IncomingProber => ({
      probe: async (_s: never, o: ProbeOptions) => {
        seen.push(o);
        started.push(Date.now());
        await new Promise((r) => setTimeout(r, 200));
        return ok(protocol);
      },
    });
    const tester = createConnectionTester({ smtp: slow('smtp'), pop3: slow('pop3'), imap: slow('pop3') });
    const r = await tester.test({ smtp, incoming: pop3 }, 5_000);
    expect(r.ok).toBe(true);
    expect(Math.abs(started[0]! - started[1]!)).toBeLessThan(150);
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
    const t0 = Date.now();
    const r = await tester.test({ smtp, incoming: pop3 }, 300);
    expect(Date.now() - t0).toBeLessThan(3_000);
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
