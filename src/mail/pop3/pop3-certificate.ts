import type { CertificateInfo } from '../../domain/mailbox/mail-failure.js';
import { fetchPresentedCertificate } from '../net/tls-options.js';
import { DEFAULT_POP3_LIMITS, DEFAULT_POP3_TIMEOUTS, type Pop3ConnectOptions } from './pop3-options.js';
import { Pop3Transport } from './pop3-transport.js';

const MAX_FETCH_MS = 5_000;

/**
 * After a certificate failure, reads the certificate the server presents on a second
 * connection so the user can decide to pin it (M54). For `starttls` the plain-text part
 * is greeting and STLS only: no CAPA, no credentials. Null on any problem.
 */
export async function presentedCertificate(
  opts: Pop3ConnectOptions,
  mode: 'tls' | 'starttls',
): Promise<CertificateInfo | null> {
  const budget = Math.min(MAX_FETCH_MS, (opts.deadline ?? Number.POSITIVE_INFINITY) - Date.now());
  if (budget <= 0) return null;
  const { target } = opts;
  if (mode === 'tls') {
    return fetchPresentedCertificate({
      address: target.address,
      port: target.port,
      servername: target.host,
      timeoutMs: budget,
    });
  }
  const t = await Pop3Transport.dial({
    target,
    limits: { ...DEFAULT_POP3_LIMITS, ...opts.limits },
    timeouts: { ...DEFAULT_POP3_TIMEOUTS, connectMs: budget, commandMs: budget },
    sessionDeadline: Date.now() + budget,
    signal: opts.signal,
    pinned: false,
  });
  try {
    t.reader.expect(1);
    t.startTimer('greeting');
    if (!isOk(await t.reader.readLine())) return null;
    t.send('STLS\r\n');
    t.startTimer('command');
    if (!isOk(await t.reader.readLine({ discardRest: true }))) return null;
    t.stopTimer();
    return await fetchPresentedCertificate({
      address: target.address,
      port: target.port,
      servername: target.host,
      socket: t.releaseSocket(),
      timeoutMs: Math.max(1, budget),
    });
  } finally {
    t.destroy();
  }
}

const isOk = (line: Buffer): boolean => /^\+OK/i.test(line.toString('latin1'));
