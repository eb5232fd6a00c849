import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inArray } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/database.js';
import { openDatabase } from '../../src/db/open-database.js';
import { outgoingMessages } from '../../src/db/schema/index.js';
import { generateKeyEntry, parseKeyring } from '../../src/security/keyring.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { outboxFixture } from '../helpers/outbox-fixture.js';
import { type ScriptedSmtpServer, startScriptedSmtp } from '../servers/smtp-script-server.js';

/**
 * SECURITY.md §7 cases 40 and 42 with the real worker process: SIGKILL it at each step of a
 * send, restart it, and let the scripted servers' received logs be the oracle. Runs on PGlite
 * (a data dir the worker owns) and, with DATABASE_URL, on PostgreSQL (also two workers racing).
 */

const FINAL = new Set(['sent', 'failed', 'uncertain']);
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

/** Runs `mailroom serve --role worker` (from source) and collects the outcomes it logs. */
function startWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', 'serve', '--role', 'worker'], {
    env: {
      PATH: process.env.PATH ?? '',
      MAILROOM_LOG_LEVEL: 'info',
      MAILROOM_ALLOWED_MAIL_HOSTS: '127.0.0.1',
      MAILROOM_OUTBOX_LEASE_SECONDS: '2',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const outcomes = new Map<string, string>();
  let out = '';
  let pending = '';
  child.stdout!.on('data', (d: Buffer) => {
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      out += `${line}\n`;
      if (!line.includes('outgoing email recorded')) continue;
      const entry = JSON.parse(line) as { outgoingMessageId: string; status: string };
      outcomes.set(entry.outgoingMessageId, entry.status);
    }
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    outcomes,
    output: () => out,
    exited,
    kill: async (signal: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    /** Waits until every id has a final outcome in `all` (this run's and earlier ones). */
    async waitFinal(ids: string[], all: Map<string, string>, ms = 120_000) {
      const until = Date.now() + ms;
      for (;;) {
        for (const [id, s] of outcomes) all.set(id, s);
        if (ids.every((id) => FINAL.has(all.get(id) ?? ''))) return;
        if (child.exitCode !== null) throw new Error(`worker exited early:\n${out}`);
        if (Date.now() > until) throw new Error(`timed out; outcomes ${JSON.stringify([...all])}\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** A database the worker process can open: a PGlite data dir or a fresh PostgreSQL database. */
async function workerDatabase(): Promise<{
  env: Record<string, string>;
  open(): Promise<DatabaseHandle>;
}> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dataDir = mkdtempSync(join(tmpdir(), 'mr-outbox-crash-'));
    return {
      env: { MAILROOM_DATA_DIR: dataDir },
      open: () => openDatabase({ kind: 'pglite', dataDir }),
    };
  }
  const name = `mailroom_crash_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  cleanups.push(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: dbUrl.toString() },
    open: () => openDatabase({ kind: 'postgres', url: dbUrl.toString(), poolSize: 2 }),
  };
}

describe('outbox crash matrix (SECURITY.md §7 case 40)', { timeout: 300_000 }, () => {
  it('SIGKILL after claim, after MAIL FROM, after the final dot, after the 250: every email ends sent/uncertain, none lost, no duplicate outside uncertain', async () => {
    const key = generateKeyEntry('crash1');
    const secretBox = createSecretBox(parseKeyring(key));
    const target = await workerDatabase();

    // Each step is held on its own server until the kill; after the restart they behave.
    let firstRun = true;
    let release: () => void = () => {};
    const killed = new Promise<void>((r) => {
      release = r;
    });
    const reached = { claim: false, mail: false, dot: false, replied: false };
    const hold = (step: keyof typeof reached) => async () => {
      if (!firstRun) return;
      reached[step] = true;
      await killed;
    };
    const servers: Record<string, ScriptedSmtpServer> = {
      claim: await startScriptedSmtp({ on: { connect: hold('claim') } }),
      mail: await startScriptedSmtp({ on: { mailFrom: hold('mail') } }),
      dot: await startScriptedSmtp({ on: { dot: hold('dot') } }),
      replied: await startScriptedSmtp({
        on: {
          replied: async () => {
            if (firstRun) reached.replied = true;
          },
        },
      }),
    };
    for (const s of Object.values(servers)) cleanups.push(() => s.close());

    const db = await target.open();
    const fx = outboxFixture({ db: db.db, secretBox });
    const ws = await fx.workspace();
    const ids: Record<string, string> = {};
    const messageIds: Record<string, string> = {};
    for (const [step, server] of Object.entries(servers)) {
      const addressId = await fx.address({ workspaceId: ws, port: server.port, security: 'none' });
      const q = await fx.enqueue({ workspaceId: ws, addressId, to: [`${step}@example.com`] });
      ids[step] = q.id;
      messageIds[step] = q.messageId;
    }
    await db.close();

    const env = { ...target.env, MAILROOM_SECRET_KEY: key };
    const all = new Map<string, string>();
    const first = startWorker(env);
    const until = Date.now() + 120_000;
    while (!Object.values(reached).every(Boolean)) {
      if (Date.now() > until)
        throw new Error(`steps not reached: ${JSON.stringify(reached)}\n${first.output()}`);
      if (first.child.exitCode !== null) throw new Error(`worker exited early:\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await first.kill('SIGKILL');
    for (const [id, s] of first.outcomes) all.set(id, s);
    firstRun = false;
    release();

    const second = startWorker(env);
    // The email killed right after its 250 may have been recorded by the first worker just
    // before the kill, without its log line getting out: the database has the last word on it.
    await second.waitFinal([ids.claim!, ids.mail!, ids.dot!], all);
    const grace = Date.now() + 6_000;
    while (!second.outcomes.has(ids.replied!) && !all.has(ids.replied!) && Date.now() < grace)
      await new Promise((r) => setTimeout(r, 50));
    await second.kill('SIGTERM');

    const check = await target.open();
    try {
      const rows = await check.db
        .select({ id: outgoingMessages.id, status: outgoingMessages.status })
        .from(outgoingMessages)
        .where(inArray(outgoingMessages.id, Object.values(ids)));
      const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
      // Killed before any data: resent after the restart, delivered once.
      expect(status[ids.claim!]).toBe('sent');
      expect(status[ids.mail!]).toBe('sent');
      // Killed while the server held the data: possibly delivered, never resent.
      expect(status[ids.dot!]).toBe('uncertain');
      // Killed right after the 250: recorded in time, or uncertain — never resent.
      expect(['sent', 'uncertain']).toContain(status[ids.replied!]);
      for (const [step, server] of Object.entries(servers)) {
        const copies = server.received.filter((m) => m.messageId === messageIds[step]);
        expect(copies, step).toHaveLength(1);
      }
    } finally {
      await check.close();
    }
  });

  it('case 42: two worker processes never send the same email (PostgreSQL); PGlite refuses a second process', async () => {
    const key = generateKeyEntry('race1');
    const secretBox = createSecretBox(parseKeyring(key));
    const target = await workerDatabase();
    const servers = [await startScriptedSmtp(), await startScriptedSmtp()];
    for (const s of servers) cleanups.push(() => s.close());
    const db = await target.open();
    const fx = outboxFixture({ db: db.db, secretBox });
    const ws = await fx.workspace();
    const addresses = [];
    for (const s of servers)
      addresses.push(
        await fx.address({ workspaceId: ws, port: s.port, security: 'none', sendMaxConnections: 3 }),
      );
    const ids: string[] = [];
    for (let i = 0; i < 120; i++)
      ids.push(
        (await fx.enqueue({ workspaceId: ws, addressId: addresses[i % 2]!, to: [`r${i}@example.com`] })).id,
      );
    await db.close();

    const env = { ...target.env, MAILROOM_SECRET_KEY: key };
    const a = startWorker(env);
    const b = startWorker(env);
    const all = new Map<string, string>();
    if (!process.env.DATABASE_URL) {
      // One embedded database, one process: the second one stops at once with the reason.
      await Promise.race([a.exited, b.exited]);
      const refused = a.child.exitCode !== null ? a : b;
      const running = refused === a ? b : a;
      expect(refused.output()).toMatch(/in use by another mailroom process/);
      await running.waitFinal(ids, all);
      await running.kill('SIGTERM');
    } else {
      const until = Date.now() + 120_000;
      while (!ids.every((id) => FINAL.has(all.get(id) ?? ''))) {
        for (const w of [a, b]) for (const [id, st] of w.outcomes) all.set(id, st);
        if (Date.now() > until) throw new Error(`timed out:\n${a.output()}\n${b.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await Promise.all([a.kill('SIGTERM'), b.kill('SIGTERM')]);
    }
    expect(ids.every((id) => all.get(id) === 'sent')).toBe(true);
    const received = servers.flatMap((s) => s.received.map((m) => m.messageId));
    expect(received).toHaveLength(120);
    expect(new Set(received).size).toBe(120);
  });
});
