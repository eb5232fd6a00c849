import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Db } from '../../src/db/database.js';
import { emailAddresses } from '../../src/db/schema/index.js';
import type { createSecretBox } from '../../src/security/secret-box.js';
import { type Child, spawnNode } from './server-process.js';

/** user + system CPU time of a child so far, from /proc (Linux; clock ticks of 10 ms). */
export function cpuMsOf(child: Child): number {
  const stat = readFileSync(`/proc/${child.process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export interface Sink {
  received(): number;
  /** Resolves once `count` messages in all have been accepted. */
  reach(count: number): Promise<void>;
}

export interface Servers {
  sink: Sink;
  smtpPorts: number[];
  pop3Ports: number[];
  counts(): { received: number; sessions: number };
  stop(): Promise<void>;
}

/**
 * `n` mail server processes (bench/support/mail-sink-process.ts), each an SMTP
 * sink and a POP3 mailbox; addresses are spread over them.
 */
export async function startServers(
  n: number,
  opts: { serverMs: number; pop3Ms: number; password: string },
): Promise<Servers> {
  const procs = Array.from({ length: n }, () =>
    spawnNode(
      [
        '--import',
        'tsx',
        'bench/support/mail-sink-process.ts',
        String(opts.serverMs),
        opts.password,
        String(opts.pop3Ms),
      ],
      {},
    ),
  );
  const ports = await Promise.all(
    procs.map(async (p) => {
      const [, smtp, pop3] = await p.waitFor(/\{"smtpPort":(\d+),"pop3Port":(\d+)\}/, 60_000);
      return { smtp: Number(smtp), pop3: Number(pop3) };
    }),
  );
  const counts = () => {
    let received = 0;
    let sessions = 0;
    for (const p of procs) {
      // The last complete `count <emails> <sessions>` line.
      const out = p.output();
      const end = out.lastIndexOf('\n');
      const m = /^count (\d+) (\d+)$/.exec(out.slice(out.lastIndexOf('\ncount ', end - 1) + 1, end));
      received += Number(m?.[1] ?? 0);
      sessions += Number(m?.[2] ?? 0);
    }
    return { received, sessions };
  };
  const sink: Sink = {
    received: () => counts().received,
    async reach(count) {
      while (counts().received < count) await new Promise((r) => setTimeout(r, 20));
    },
  };
  return {
    sink,
    smtpPorts: ports.map((p) => p.smtp),
    pop3Ports: ports.map((p) => p.pop3),
    counts,
    stop: async () => {
      await Promise.all(procs.map((p) => p.stop()));
    },
  };
}

/** `count` collecting addresses on the fake POP3 server, not collecting until measured. */
export async function seedMailboxes(
  db: Db,
  secretBox: ReturnType<typeof createSecretBox>,
  s: { workspaceId: string },
  ports: number[],
  count: number,
  password: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const email = `box${i}@firma.example`;
    await db.insert(emailAddresses).values({
      id,
      workspaceId: s.workspaceId,
      scope: 'company',
      email,
      login: 'box@firma.example',
      smtpHost: '127.0.0.1',
      smtpPort: 2525,
      smtpSecurity: 'none',
      incomingProtocol: 'pop3',
      incomingHost: '127.0.0.1',
      incomingPort: ports[i % ports.length]!,
      incomingSecurity: 'none',
      collectReplies: false,
      passwordEnc: secretBox.encrypt(password, { workspaceId: s.workspaceId, rowId: id, field: 'password' }),
    });
    ids.push(id);
  }
  return ids;
}
