import { connect as netConnect } from 'node:net';
import type { CertificateInfo } from '../../domain/mailbox/mail-failure.js';
import { fetchPresentedCertificate } from '../net/tls-options.js';
import { LineReader } from '../probe/probe-line-reader.js';

/**
 * After a certificate failure on an IMAP STARTTLS port: reconnects to the validated address,
 * reads the greeting, sends `STARTTLS` (nothing else, no credentials) and reads the
 * certificate the server presents, for pinning (M14, M54). Null on any failure or timeout.
 */
export async function fetchImapStartTlsCertificate(opts: {
  address: string;
  port: number;
  servername: string;
  timeoutMs: number;
}): Promise<CertificateInfo | null> {
  const startedAt = Date.now();
  const socket = netConnect({ host: opts.address, port: opts.port });
  socket.on('error', () => {});
  const timer = setTimeout(() => socket.destroy(), opts.timeoutMs);
  const reader = new LineReader(socket);
  try {
    if (!(await reader.nextLine()).startsWith('* OK')) return null;
    socket.write('M1 STARTTLS\r\n');
    for (let i = 0; i < 50; i++) {
      const line = await reader.nextLine();
      if (!line.startsWith('M1 ')) continue;
      if (!/^M1 OK\b/i.test(line)) return null;
      reader.detach();
      clearTimeout(timer);
      return await fetchPresentedCertificate({
        address: opts.address,
        port: opts.port,
        servername: opts.servername,
        socket,
        timeoutMs: Math.max(1, opts.timeoutMs - (Date.now() - startedAt)),
      });
    }
    return null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
}
