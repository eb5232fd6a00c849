import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LineReader, MAX_HELD_LINES } from './probe-line-reader.js';

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

/** Resolves once `bytes` reached the client; tracks the most the reader held after each read. */
function watch(socket: Socket, reader: LineReader, bytes: number) {
  const most = { bytes: 0, lines: 0 };
  let received = 0;
  const done = new Promise<void>((resolve) =>
    socket.on('data', (c: Buffer) => {
      most.bytes = Math.max(most.bytes, reader.held);
      most.lines = Math.max(most.lines, reader.heldLines);
      received += c.length;
      if (received >= bytes) resolve();
    }),
  );
  return { most, done };
}

/** A reader nobody reads from, once all of `data` has reached it. */
async function unread(data: string) {
  const socket = await pair((s) => s.write(data));
  const reader = new LineReader(socket);
  const { most, done } = watch(socket, reader, data.length);
  await done;
  return { reader, most };
}

describe('LineReader against lines that are short or empty', () => {
  it('counts each unread line with its CRLF: 4,000 lines of 7 characters (36,000 bytes) are refused', async () => {
    const { reader, most } = await unread('abcdefg\r\n'.repeat(4_000));
    expect(most.bytes).toBeLessThanOrEqual(32 * 1024);
    await expect(reader.nextLine()).rejects.toThrow('Too much unread data from the server');
  });

  it('caps the unread lines: 8,000 blank lines (16,000 bytes) nobody reads are refused', async () => {
    const { reader, most } = await unread('\r\n'.repeat(8_000));
    expect(most.lines).toBeLessThanOrEqual(MAX_HELD_LINES);
    await expect(reader.nextLine()).rejects.toThrow('Too much unread data from the server');
  });

  it('holds nothing once it refused a blank-line flood, and reads no line sent after it', async () => {
    const blank = '\r\n'.repeat(64 * 1024);
    const after = '220 after the flood\r\n';
    // The server sends the flood, then one line more once the client has it all.
    const socket = await pair((s) => {
      s.write(blank);
      s.once('data', () => s.write(after));
    });
    const reader = new LineReader(socket);
    const { most, done } = watch(socket, reader, blank.length);
    await done;
    expect(most.bytes).toBeLessThanOrEqual(32 * 1024);
    expect(most.lines).toBeLessThanOrEqual(MAX_HELD_LINES);
    await new Promise<void>((resolve) => {
      socket.once('data', () => resolve());
      socket.write('go\r\n');
    });
    expect([reader.held, reader.heldLines]).toEqual([0, 0]);
    await expect(reader.nextLine()).rejects.toThrow('Too much unread data from the server');
  });

  it('counts the CRLFs of an SMTP reply: 1,500 lines of 10 characters (18,000 bytes) are too long', async () => {
    const reply = `${'250-abcdef\r\n'.repeat(1_500)}250 ok\r\n`;
    const reader = new LineReader(await pair((s) => s.write(reply)));
    await expect(reader.smtpReply(2_000)).rejects.toThrow('SMTP reply too long');
  });
});
