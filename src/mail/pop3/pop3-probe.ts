import type { IncomingSettings } from '../../domain/mailbox/connection.js';
import type { CertificateInfo, MailFailure } from '../../domain/mailbox/mail-failure.js';
import type { ProbeResult, ProbeStep, ProbeStepId } from '../../domain/mailbox/probe.js';
import type { FindMessage, IncomingProber, ProbeOptions } from '../../ports/mail-probes.js';
import { hasMessageId } from '../message/header-value.js';
import type { Pop3Client } from './pop3-client.js';
import type { Pop3UidEntry } from './pop3-listing.js';
import { failureOf, openPop3Session, type Pop3Deps, type StepReport, sessionSteps } from './pop3-session.js';

/** Records each step with its duration, outcome, sanitised reply and facts (M18). */
class StepRecorder {
  readonly steps: ProbeStep[] = [];
  failure: MailFailure | undefined;

  async run<T>(id: ProbeStepId, fn: () => Promise<T>, report?: (value: T) => StepReport): Promise<T> {
    const started = performance.now();
    const durationMs = (): number => Math.round(performance.now() - started);
    try {
      const value = await fn();
      this.steps.push({ id, outcome: 'ok', durationMs: durationMs(), ...(report ? report(value) : {}) });
      return value;
    } catch (err) {
      const failure = failureOf(err, id);
      this.failure = failure;
      this.steps.push({
        id,
        outcome: 'failed',
        durationMs: durationMs(),
        ...(failure.response ? { reply: failure.response } : {}),
        failure,
      });
      throw err;
    }
  }
}

/**
 * POP3 connection test (M18): resolve → connect → TLS/STLS → greeting → CAPA → login →
 * STAT → UIDL → QUIT. Never throws: every outcome is a ProbeResult. Steps after a
 * failure are listed as skipped. Replies are sanitised and never contain the credentials.
 */
export function createPop3Prober(deps: Pop3Deps): IncomingProber {
  return {
    async probe(
      settings: IncomingSettings,
      options: ProbeOptions & { find?: FindMessage },
    ): Promise<ProbeResult> {
      const rec = new StepRecorder();
      let certificate: CertificateInfo | undefined;
      let client: Pop3Client | undefined;
      try {
        const opened = await openPop3Session(settings, deps, options, rec);
        client = opened.client;
        certificate = opened.certificate;
        const session = client;
        await rec.run(
          'stat',
          () => session.stat(),
          (s) => ({ info: { messages: s.count, octets: s.size } }),
        );
        const listing = await rec.run(
          'uidl',
          () => session.uidl(),
          (u) => ({ info: { entries: u.entries.length, valid: u.valid } }),
        );
        const find = options.find;
        if (find) {
          await rec.run(
            'find',
            () => findMessage(session, listing.entries, find),
            (r) => ({ info: { ...r } }),
          );
        }
        await rec.run(
          'quit',
          () => session.quit(),
          (reply) => ({ reply }),
        );
      } catch {
        client?.destroy();
      }
      const planned: ProbeStepId[] = [
        ...sessionSteps(settings.security),
        'stat',
        'uidl',
        ...(options.find ? ['find' as const] : []),
        'quit',
      ];
      for (const id of planned.slice(rec.steps.length))
        rec.steps.push({ id, outcome: 'skipped', durationMs: 0 });
      const failure = rec.failure;
      const presented = certificate ?? failure?.certificate;
      return {
        ok: failure === undefined,
        protocol: 'pop3',
        steps: rec.steps,
        ...(presented ? { certificate: presented } : {}),
        ...(failure ? { failure } : {}),
      };
    },
  };
}

// New mail is at the end of a POP3 listing; a test email is among the newest few.
const NEWEST_TO_CHECK = 25;

/**
 * The M23 arrival check: headers (TOP n 0) of the newest messages not looked at before,
 * compared by Message-ID. Returns the UIDs it looked at so the next check skips them.
 */
async function findMessage(
  session: Pop3Client,
  entries: readonly Pop3UidEntry[],
  find: FindMessage,
): Promise<{ found: boolean; checked: string[] }> {
  const skip = new Set(find.skipUids ?? []);
  const candidates = entries
    .filter((e) => !(e.valid && e.uid !== null && skip.has(e.uid)))
    .slice(-NEWEST_TO_CHECK)
    .reverse();
  const checked: string[] = [];
  for (const entry of candidates) {
    const headers = await session.topBuffer(entry.number, 0);
    if (hasMessageId(headers, find.messageId)) return { found: true, checked };
    if (entry.valid && entry.uid !== null) checked.push(entry.uid);
  }
  return { found: false, checked };
}
