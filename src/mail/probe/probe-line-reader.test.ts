import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LineReader } from './probe-line-reader.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

/** A server that writes `script` to every client, and a connected client socket. */
async function pair(script: (s: Socket) => void): Promise<Socket> {
  const server: Server = createServer((s) => {
    s.on('error', () => {});
    script(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  cleanup.push(() => {
    socket.destroy();
    server.close();
  });
  await new Promise<void>((r) => socket.once('connect', () => r()));
  return socket;
}

describe('LineReader bounds (issue 8 item 13)', () => {
  it('reads a multi-line SMTP reply', async () => {
    const reader = new LineReader(
      await pair((s) => s.write('250-mx.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n')),
    );
    expect(await reader.smtpReply()).toBe('250-mx.example\n250-PIPELINING\n250 STARTTLS');
  });

  it('refuses an endless multi-line SMTP reply of short lines after 16 KiB', async () => {
    const flood = (s: Socket): void => {
      const chunk = '250-X\r\n'.repeat(1000);
      const write = (): void => {
        if (!s.destroyed && s.write(chunk)) setImmediate(write);
        else s.once('drain', write);
      };
      write();
    };
    const reader = new LineReader(await pair(flood));
    await expect(reader.smtpReply(1_000_000)).rejects.toThrow('SMTP reply too long');
    expect(reader.held).toBeLessThanOrEqual(32 * 1024);
  });

  it('refuses a line longer than 8 KiB, and unread lines past 32 KiB', async () => {
    const long = new LineReader(await pair((s) => s.write(`220 ${'x'.repeat(9_000)}`)));
    await expect(long.nextLine()).rejects.toThrow('Line too long');
    const flood = '* OK x\r\n'.repeat(8_000);
    const socket = await pair((s) => s.write(flood));
    const unread = new LineReader(socket);
    // Nobody reads until every byte has arrived: the reader must have refused on its own.
    let received = 0;
    await new Promise<void>((resolve) =>
      socket.on('data', (c: Buffer) => {
        received += c.length;
        if (received >= flood.length) resolve();
      }),
    );
    expect(unread.held).toBe(0);
    await expect(unread.nextLine()).rejects.toThrow('Too much unread data from the server');
  });
});
