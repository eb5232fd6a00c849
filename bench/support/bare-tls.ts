import { connect } from 'node:tls';

/**
 * The least a mail client can do against a TLS server: handshake (verifying against `ca`),
 * read the greeting line, send QUIT, read its reply line, close. Resolves with the elapsed
 * milliseconds; rejects on any error, on a greeting not starting with `expect`, or after
 * `timeoutMs`.
 */
export function bareTlsGreetingQuit(options: {
  port: number;
  ca: string[];
  expect: string;
  timeoutMs?: number;
}): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port: options.port,
      ca: options.ca,
      servername: 'localhost',
    });
    let buffered = '';
    let lines = 0;
    const timer = setTimeout(
      () => fail(new Error('bare TLS session timed out')),
      options.timeoutMs ?? 10_000,
    );
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    socket.on('error', fail);
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      let end = buffered.indexOf('\r\n');
      while (end >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        end = buffered.indexOf('\r\n');
        // SMTP greetings may be multi-line (`220-…`); only the last line counts.
        if (/^\d{3}-/.test(line)) continue;
        lines++;
        if (lines === 1) {
          if (!line.startsWith(options.expect)) return fail(new Error(`unexpected greeting: ${line}`));
          socket.write('QUIT\r\n');
        } else {
          clearTimeout(timer);
          socket.destroy();
          return resolve(performance.now() - started);
        }
      }
    });
  });
}
