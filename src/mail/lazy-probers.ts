import type { IncomingProber, SmtpProber } from '../ports/mail-probes.js';

/**
 * Probers whose adapter module (and its library: nodemailer, imapflow) loads on first use,
 * so a process that never tests a mailbox never pays for it at start-up.
 */
export function lazyProber<T extends SmtpProber | IncomingProber>(load: () => Promise<T>): T {
  let loaded: Promise<T> | null = null;
  return {
    probe: async (settings: never, options: never) => {
      loaded ??= load();
      return (await loaded).probe(settings, options);
    },
  } as unknown as T;
}
