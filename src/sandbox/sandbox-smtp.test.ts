import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSandboxSmtp } from './sandbox-smtp.js';
import type { SandboxStore } from './sandbox-store.js';

describe('sandbox SMTP server', () => {
  afterEach(() => vi.restoreAllMocks());

  it('builds its TLS context without loading the root certificates (start-up time, issue 12 item 2)', () => {
    const contexts = vi.spyOn(tls, 'createSecureContext');
    createSandboxSmtp({} as SandboxStore, () => {});
    // A context built without `ca` makes Node parse every bundled root certificate.
    expect(contexts).toHaveBeenCalled();
    for (const [options] of contexts.mock.calls) expect(options?.ca).toEqual([]);
  });

  it('stops holding DATA once a message is over the cap, and refuses it with 552', async () => {
    const cap = 64 * 1024;
    let maxHeld = 0;
    const accepted: unknown[] = [];
    const server = createSandboxSmtp(
      { signIn: () => true } as unknown as SandboxStore,
      (m) => accepted.push(m),
      () => null,
      { maxMessageBytes: cap, onHeld: (bytes) => (maxHeld = Math.max(maxHeld, bytes)) },
    );
    const listening = server as unknown as { listen(p: number, h: string, cb: () => void): void };
    await new Promise<void>((r) => listening.listen(0, '127.0.0.1', r));
    const { port } = (server as unknown as { server: net.Server }).server.address() as net.AddressInfo;
    const sock = net.connect(port, '127.0.0.1');
    let buf = '';
    sock.on('data', (d) => (buf += d.toString()));
    const reply = (code: string) =>
      new Promise<string>((resolve) => {
        const check = () => {
          const m = new RegExp(`^${code}[ -].*$`, 'm').exec(buf) ?? /^\d{3} .*$/m.exec(buf);
          if (!m) return void setTimeout(check, 5);
          buf = '';
          resolve(m[0]);
        };
        check();
      });
    try {
      await reply('220');
      for (const [line, code] of [
        ['EHLO x', '250'],
        [`AUTH PLAIN ${Buffer.from('\0u\0p').toString('base64')}`, '235'],
        ['MAIL FROM:<u@a.example>', '250'],
        ['RCPT TO:<c@b.example>', '250'],
        ['DATA', '354'],
      ] as const) {
        sock.write(`${line}\r\n`);
        expect(await reply(code)).toMatch(new RegExp(`^${code}`));
      }
      const chunk = Buffer.from(`${'X'.repeat(998)}\r\n`.repeat(64));
      for (let sent = 0; sent < 16 * cap; sent += chunk.length)
        if (!sock.write(chunk)) await new Promise((r) => sock.once('drain', r));
      sock.write('\r\n.\r\n');
      expect(await reply('552')).toMatch(/^552 /);
      // 16× the cap sent; never more than the cap held (the old code held all of it).
      expect(maxHeld).toBeGreaterThan(0);
      expect(maxHeld).toBeLessThanOrEqual(cap);
      expect(accepted).toEqual([]);
    } finally {
      sock.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
