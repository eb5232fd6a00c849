import type { IncomingProber, SmtpProber } from '../ports/mail-probes.js';

/**
 * Probers whose adapter module (and its library: nodemailer, imapflow) loads on first use,
 * so a process that never tests a mailbox never pays for it at start-up.
 */
export function lazyProber<T extends SmtpProber | IncomingProber>(load: () => Promise<T>): T {
  let loaded: Promise<T> | null = null;
  const forward =
    (method: 'probe' | 'sendTest') =>
    async (...args: unknown[]) => {
      loaded ??= load();
      const prober = (await loaded) as unknown as Record<string, (...a: unknown[]) => unknown>;
      return prober[method]!(...args);
    };
  return { probe: forward('probe'), sendTest: forward('sendTest') } as unknown as T;
}
