import type { CertificateInfo } from '../../domain/mailbox/mail-failure.js';
import { buildTlsOptions, describeCertificate } from '../net/tls-options.js';
import { presentedCertificate } from './pop3-certificate.js';
import type { Pop3Commands } from './pop3-commands.js';
import { isPop3Error, pop3Error } from './pop3-errors.js';
import { type Pop3Capabilities, parseCapabilities } from './pop3-listing.js';
import type { Pop3ConnectOptions, Pop3Limits } from './pop3-options.js';
import type { Pop3Transport } from './pop3-transport.js';

/** Session negotiation steps of the POP3 client: CAPA (RFC 2449) and the TLS handshake. */

/** Sends CAPA (the caller holds the command lock); null when the server does not support it. */
export async function readCapabilities(
  c: Pop3Commands,
  t: Pop3Transport,
  limits: Pop3Limits,
): Promise<Pop3Capabilities | null> {
  try {
    await c.simple('capa', 'CAPA', 2);
  } catch (err) {
    if (!isPop3Error(err) || err.kind !== 'reply') throw err;
    return null;
  }
  return parseCapabilities(
    await c.timed(() =>
      t.reader.readLines({
        what: 'CAPA reply',
        maxLineBytes: limits.maxCapaBytes,
        maxLines: limits.maxCapaBytes, // the byte cap binds first
        maxBytes: limits.maxCapaBytes,
      }),
    ),
  );
}

/** Upgrades the transport to TLS; a certificate failure carries the presented certificate. */
export async function tlsHandshake(
  t: Pop3Transport,
  opts: Pop3ConnectOptions,
  step: 'tls' | 'starttls',
): Promise<CertificateInfo> {
  t.setStep(step);
  const options = buildTlsOptions({
    servername: opts.target.host,
    pinnedCert: opts.pinnedCert,
    trustedCa: opts.trustedCa,
  });
  try {
    return describeCertificate(await t.startTls(options));
  } catch (err) {
    if (!isPop3Error(err) || err.kind !== 'certificate') throw err;
    // Show the user what was presented (to pin it, M54): read it on a second connection.
    const certificate = await presentedCertificate(opts, step).catch(() => null);
    if (!certificate) throw err;
    throw pop3Error('certificate', { ...err.failure, certificate }, [], err.cause);
  }
}
