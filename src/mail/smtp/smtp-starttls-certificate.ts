import { connect as netConnect } from 'node:net';
import type { CertificateInfo } from '../../domain/mailbox/mail-failure.js';
import { fetchPresentedCertificate } from '../net/tls-options.js';
import { LineReader } from '../probe/probe-line-reader.js';

/**
 * After a certificate failure on a STARTTLS port: reconnects to the validated address, runs
 * greeting → EHLO → STARTTLS in plain text (no credentials, nothing else) and reads the
 * certificate the server presents, so the UI can offer to pin it (M14, M54). Null on any
 * failure or when `timeoutMs` passes; the socket is always destroyed.
 */
export async function fetchSmtpStartTlsCertificate(opts: {
  address: string;
  port: number;
  servername: string;
  clientName: string;
  timeoutMs: number;
}): Promise<CertificateInfo | null> {
  const startedAt = Date.now();
  const socket = netConnect({ host: opts.address, port: opts.port });
  socket.on('error', () => {});
  const timer = setTimeout(() => socket.destroy(), opts.timeoutMs);
  const reader = new LineReader(socket);
  try {
    if (!(await reader.smtpReply()).startsWith('220')) return null;
    socket.write(`EHLO ${opts.clientName.replace(/[^\x21-\x7e]/g, '')}\r\n`);
    if (!(await reader.smtpReply()).startsWith('2')) return null;
    socket.write('STARTTLS\r\n');
    if (!(await reader.smtpReply()).startsWith('220')) return null;
    reader.detach();
    clearTimeout(timer);
    return await fetchPresentedCertificate({
      address: opts.address,
      port: opts.port,
      servername: opts.servername,
      socket,
      timeoutMs: Math.max(1, opts.timeoutMs - (Date.now() - startedAt)),
    });
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
}
