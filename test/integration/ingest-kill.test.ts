import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mail, POP_PASS, POP_USER } from '../helpers/ingest-fixtures.js';
import { Pop3FakeServer } from '../servers/pop3-fake-server.js';
import type { FakePop3Session } from '../servers/pop3-fake-session.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs the poller child; resolves with its JSON lines and how it ended. */
function run(args: string[], onChild?: (c: ChildProcess) => void) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/integration/ingest-kill-child.ts', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MAILROOM_LOG_LEVEL: 'silent' },
    },
  );
  onChild?.(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise<{
    lines: Record<string, unknown>[];
    signal: string | null;
    code: number | null;
    err: string;
  }>((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const lines = out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ lines, signal, code, err });
    }),
  );
}

/** RETR answered by hand: message `hang` is never answered (the client waits in its RETR). */
const retr =
  (fake: Pop3FakeServer, hang: number, onHang: () => void) =>
  async (session: FakePop3Session, arg: string) => {
    const n = Number(arg);
    if (n === hang) return onHang();
    const raw = fake.messages[n - 1]?.raw ?? Buffer.alloc(0);
    const stuffed = raw.toString('latin1').replace(/^\./gm, '..');
    await session.writeRaw(`+OK ${raw.length} octets\r\n`);
    await session.writeRaw(Buffer.from(`${stuffed}.\r\n`, 'latin1'));
  };

describe('kill -9 of the poller mid-session (SECURITY.md §7 case 48)', () => {
  it.each([
    ['after RETR, before the store and QUIT', 'retr'],
    ['after the store, before QUIT', 'quit'],
  ] as const)(
    '%s: the next poll ingests each message exactly once',
    async (_label, at) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-kill-'));
      dirs.push(dataDir);
      const fake = await Pop3FakeServer.start({ user: POP_USER, pass: POP_PASS, messages: [mail('old')] });
      try {
        const setup = await run(['setup', dataDir, String(fake.port)]);
        expect(setup.lines, setup.err).toEqual([{ ok: true }]);
        fake.messages.push({ raw: mail('a'), uid: 'a' }, { raw: mail('b'), uid: 'b' });

        let child: ChildProcess | null = null;
        const kill = () => child?.kill('SIGKILL');
        const onQuit = () => {
          kill();
        };
        fake.options.respond = at === 'retr' ? { RETR: retr(fake, 3, kill) } : { QUIT: onQuit };
        const killed = await run(['poll', dataDir], (c) => {
          child = c;
        });
        expect(killed.signal).toBe('SIGKILL');
        expect(killed.lines).toEqual([{ polling: true }]);
        const commands = fake.connections.at(-1)!.commands.map((c) => c.line.split(' ')[0]);
        expect(commands).toContain('RETR');
        if (at === 'retr') expect(commands).not.toContain('QUIT');
        // Nothing was deleted or hidden by the server: the session never ended cleanly.
        expect(fake.messages.map((m) => m.uid)).toEqual(['uid-1', 'a', 'b']);

        fake.options.respond = {};
        const before = fake.connections.length;
        const again = await run(['poll', dataDir]);
        expect(again.lines.at(-1), again.err).toEqual({ ok: true, uids: ['a', 'b'] });
        const retrs = fake.connections
          .slice(before)
          .flatMap((c) => c.commands.map((x) => x.line))
          .filter((l) => l.startsWith('RETR'));
        // Stored before the kill: not fetched again; not stored yet: fetched again, once each.
        expect(retrs).toHaveLength(at === 'quit' ? 0 : 2);
      } finally {
        await fake.close();
      }
    },
    240_000,
  );
});
