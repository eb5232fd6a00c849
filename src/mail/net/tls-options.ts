import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP, type Socket } from 'node:net';
import * as tls from 'node:tls';
import {
  type ConnectionOptions,
  checkServerIdentity,
  connect,
  type DetailedPeerCertificate,
  type PeerCertificate,
} from 'node:tls';
import type { PinnedCertificate } from '../../domain/mailbox/connection.js';
import type { CertificateInfo, CertificateProblem } from '../../domain/mailbox/mail-failure.js';

/** What the TLS policy needs to know about one endpoint (M54, SECURITY.md §1.2). */
export interface TlsPolicyInput {
  /** The host the user typed: SNI and certificate name check, even when we dial an IP. */
  servername: string;
  pinnedCert?: PinnedCertificate | null;
  /** Extra trusted CA certificates (PEM), e.g. an operator's internal CA or a test CA. */
  trustedCa?: readonly string[];
}

/** Error code thrown from checkServerIdentity when a pinned certificate changed. */
export const PIN_MISMATCH_CODE = 'ERR_MAILROOM_PIN_MISMATCH';

/**
 * Options for `tls.connect` / nodemailer `tls`. Verification is never switched off: a
 * pinned certificate is added as an extra trust anchor (so signature, validity and name
 * are still checked) and its fingerprint is re-checked, because Node only calls
 * `checkServerIdentity` after the chain verified against *some* anchor in `ca`.
 */
export function buildTlsOptions(input: TlsPolicyInput): ConnectionOptions {
  const pinned = input.pinnedCert ?? null;
  const expected = pinned ? pinned.sha256.toLowerCase().replace(/:/g, '') : null;
  return {
    minVersion: 'TLSv1.2', // also set on the shared context, which is what applies
    rejectUnauthorized: true,
    ...(isIpLiteral(input.servername) ? {} : { servername: input.servername }),
    secureContext: secureContextFor(input.trustedCa ?? [], pinned?.pem ?? null),
    // Always check against the typed host, whatever name the library passes in: the socket
    // is dialled to a resolved IP, and a library may fill in its own servername.
    checkServerIdentity(_host, cert) {
      const nameError = checkServerIdentity(unbracket(input.servername), cert);
      if (nameError) return nameError;
      if (expected !== null) {
        const actual = cert.raw ? certificateSha256(cert.raw) : '';
        if (actual !== expected) {
          const err = new Error(`Pinned certificate changed (expected ${expected}, got ${actual || 'none'})`);
          Object.assign(err, { code: PIN_MISMATCH_CODE, actualSha256: actual });
          return err;
        }
      }
      return undefined;
    },
  };
}

const contexts = new Map<string, tls.SecureContext>();
const MAX_CONTEXTS = 64;

/**
 * One secure context per distinct trust list. Passing `ca` to every connect makes Node parse
 * ~150 root certificates each time (≈100 ms per handshake here, bench/probe); the context
 * holds them parsed. A pinned certificate is its own entry (it is an extra anchor).
 */
function secureContextFor(trustedCa: readonly string[], pinnedPem: string | null): tls.SecureContext {
  const key = createHash('sha256')
    .update(JSON.stringify([trustedCa, pinnedPem]))
    .digest('hex');
  let context = contexts.get(key);
  if (!context) {
    const ca = [...defaultAnchors(), ...trustedCa, ...(pinnedPem ? [pinnedPem] : [])];
    context = tls.createSecureContext({
      ca,
      minVersion: 'TLSv1.2',
      // A pinned CA-signed leaf (private CA the user does not trust wholesale) must count as an
      // anchor on its own. Only the pin and operator CAs can be non-self-signed in `ca`.
      ...(pinnedPem ? { allowPartialTrustChain: true } : {}),
    } as tls.SecureContextOptions);
    if (contexts.size >= MAX_CONTEXTS) contexts.delete(contexts.keys().next().value!);
    contexts.set(key, context);
  }
  return context;
}

let anchors: string[] | null = null;

/**
 * The anchors Node would use by default. Passing `ca` replaces Node's default store, which
 * would silently drop NODE_EXTRA_CA_CERTS (an operator's internal CA), so add them back.
 * Node >= 22.15 exposes the whole default store (also `--use-system-ca`) directly.
 */
function defaultAnchors(): string[] {
  if (anchors) return anchors;
  const getCa = (tls as { getCACertificates?: (type?: string) => string[] }).getCACertificates;
  if (typeof getCa === 'function') {
    anchors = getCa('default');
    return anchors;
  }
  const extra: string[] = [];
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (file) {
    try {
      extra.push(...(readFileSync(file, 'utf8').match(PEM_BLOCK) ?? []));
    } catch {
      // Node itself only warns when the file is unreadable; do the same (nothing added).
    }
  }
  anchors = [...tls.rootCertificates, ...extra];
  return anchors;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Lower-case hex SHA-256 of a DER certificate (a PEM string is decoded first). */
export function certificateSha256(derOrPem: Buffer | string): string {
  const der = typeof derOrPem === 'string' ? pemToDer(derOrPem) : derOrPem;
  return createHash('sha256').update(der).digest('hex');
}

function pemToDer(pem: string): Buffer {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (!match?.[1]) throw new Error('Not a PEM certificate');
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}

function derToPem(der: Buffer): string {
  const b64 = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${b64.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function formatName(name: unknown): string {
  if (!name || typeof name !== 'object') return '';
  return Object.entries(name as Record<string, string | string[]>)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

function isoDate(text: string | undefined): string {
  const d = text ? new Date(text) : null;
  return d && !Number.isNaN(d.getTime()) ? d.toISOString() : '';
}

/** A peer certificate as the UI shows it (and a pin stores): subject, dates, names, PEM, SHA-256. */
export function describeCertificate(cert: PeerCertificate | DetailedPeerCertificate): CertificateInfo {
  const raw = cert.raw;
  const altNames = (cert.subjectaltname ?? '')
    .split(/,\s*/)
    .map((s) => s.replace(/^(DNS|IP Address):/, '').trim())
    .filter((s) => s.length > 0);
  return {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    validFrom: isoDate(cert.valid_from),
    validTo: isoDate(cert.valid_to),
    sha256: raw ? certificateSha256(raw) : '',
    altNames,
    pem: raw ? derToPem(raw) : '',
  };
}

const CODE_TO_PROBLEM: Record<string, CertificateProblem> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self_signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'self_signed',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted_issuer',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted_issuer',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted_issuer',
  CERT_UNTRUSTED: 'untrusted_issuer',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not_yet_valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostname_mismatch',
  [PIN_MISMATCH_CODE]: 'pin_mismatch',
  CERT_SIGNATURE_FAILURE: 'other',
  CERT_REVOKED: 'other',
  CERT_REJECTED: 'other',
  INVALID_CA: 'other',
  INVALID_PURPOSE: 'other',
  PATH_LENGTH_EXCEEDED: 'other',
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: 'other',
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: 'other',
  ERROR_IN_CERT_NOT_BEFORE_FIELD: 'other',
  ERROR_IN_CERT_NOT_AFTER_FIELD: 'other',
  ERR_TLS_CERT_SIGNATURE_ALGORITHM_UNSUPPORTED: 'other',
};

// Message fragments, for libraries (nodemailer ESOCKET, imapflow) that re-wrap the TLS error.
const MESSAGE_TO_PROBLEM: Array<[RegExp, CertificateProblem]> = [
  [/pinned certificate changed/i, 'pin_mismatch'],
  [/self[- ]signed certificate/i, 'self_signed'],
  [/unable to get (local )?issuer certificate|unable to verify the first certificate/i, 'untrusted_issuer'],
  [/certificate has expired/i, 'expired'],
  [/certificate is not yet valid/i, 'not_yet_valid'],
  [
    /hostname\/ip does not match certificate|does not match certificate's altnames|not in the cert's/i,
    'hostname_mismatch',
  ],
];

/**
 * Maps a TLS verification error (Node's code, our pin code, or the message text when a
 * library re-wrapped it) to a CertificateProblem; null when it is not a certificate problem.
 * Pass `{ pinned: true }` when the endpoint had a pin: the pinned certificate is a trust
 * anchor, so a chain failure (self-signed / unknown issuer) means a *different* certificate
 * was presented, which OpenSSL reports before our fingerprint check can run.
 */
export function certificateProblemOf(
  err: unknown,
  context?: { pinned?: boolean },
): CertificateProblem | null {
  const problem = rawCertificateProblemOf(err);
  if (context?.pinned && (problem === 'self_signed' || problem === 'untrusted_issuer')) return 'pin_mismatch';
  return problem;
}

function rawCertificateProblemOf(err: unknown): CertificateProblem | null {
  const seen = new Set<unknown>();
  let current: unknown = err;
  // Walk `cause` chains: some libraries wrap the socket error once or twice.
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as { code?: unknown; reason?: unknown; message?: unknown; cause?: unknown };
    for (const code of [e.code, e.reason]) {
      if (typeof code === 'string' && code in CODE_TO_PROBLEM) return CODE_TO_PROBLEM[code] ?? null;
    }
    if (typeof e.message === 'string') {
      for (const [re, problem] of MESSAGE_TO_PROBLEM) if (re.test(e.message)) return problem;
    }
    current = e.cause;
  }
  if (typeof err === 'string') {
    for (const [re, problem] of MESSAGE_TO_PROBLEM) if (re.test(err)) return problem;
  }
  return null;
}

/**
 * Reads the certificate a server presents, with verification off, and sends nothing else:
 * used only after a certificate failure so the UI can offer pinning (M14). Implicit TLS on
 * `address:port`, or over `socket` when the caller already did STARTTLS/STLS in plain text.
 * Resolves null on any failure or when `timeoutMs` passes; always destroys the socket.
 */
export function fetchPresentedCertificate(opts: {
  address: string;
  port: number;
  servername: string;
  socket?: Socket;
  timeoutMs: number;
}): Promise<CertificateInfo | null> {
  return new Promise((resolve) => {
    let settled = false;
    const base: ConnectionOptions = {
      servername: isIpLiteral(opts.servername) ? undefined : opts.servername,
      // The only place verification is off: we read, we never authenticate or send data.
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    };
    const tlsSocket = opts.socket
      ? connect({ ...base, socket: opts.socket })
      : connect({ ...base, host: opts.address, port: opts.port });
    const finish = (value: CertificateInfo | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      tlsSocket.destroy();
      opts.socket?.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => finish(null), opts.timeoutMs);
    tlsSocket.once('secureConnect', () => {
      const cert = tlsSocket.getPeerCertificate(false);
      finish(cert?.raw ? describeCertificate(cert) : null);
    });
    tlsSocket.once('error', () => finish(null));
    tlsSocket.once('close', () => finish(null));
  });
}

const unbracket = (host: string): string =>
  host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;

// SNI must not carry an IP literal (RFC 6066); Node warns when it does.
function isIpLiteral(host: string): boolean {
  return isIP(unbracket(host)) !== 0;
}

/** Parses a PEM certificate (for tests and for validating a pin the user submits). */
export function parsePemCertificate(pem: string): X509Certificate {
  return new X509Certificate(pem);
}
