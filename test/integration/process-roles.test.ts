import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/database.js';
import { openDatabase } from '../../src/db/open-database.js';
import { generateKeyEntry, parseKeyring } from '../../src/security/keyring.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { mail } from '../helpers/ingest-fixtures.js';
import { outboxFixture } from '../helpers/outbox-fixture.js';
import { serviceMissing } from '../helpers/require-service.js';
import { Pop3FakeServer } from '../servers/pop3-fake-server.js';
import { type SmtpSink, startSmtpSink } from '../servers/smtp-sink.js';

/**
 * Issue 12 item 4: `serve --role web` and two `serve --role worker` processes on one
 * PostgreSQL database, coordinating only through it (outbox claims, poll leases, LISTEN/NOTIFY).
 * Emails are written through the web process's API and sent by the workers to an in-process
 * SMTP sink; messages arrive in in-process POP3 fakes and are collected by the workers. One
 * worker is SIGKILLed mid-run. Oracle: the sink's received Message-IDs and the stored rows.
 */

const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const EMAILS = 40;
const ADDRESSES = 4;
const FIRST_WAVE = 5; // messages per mailbox before the kill
const SECOND_WAVE = 4; // and after it
/** One login for the sink and every POP3 mailbox (the fixture stores one password per address). */
const SINK_USER = 'sink@firma.example';
const SINK_PASS = 'sink password';

let missing: string | null = null;
beforeAll(async () => {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2_000 });
  try {
    await c.connect();
  } catch (err) {
    missing = `no PostgreSQL at ${new URL(PG_URL).host}: ${(err as Error).message}`;
  } finally {
    await c.end().catch(() => {});
  }
});

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

/** `mailroom serve --role <role>` from source, with its output and the outcomes it logs. */
function startRole(role: 'web' | 'worker', env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', 'serve', '--role', role], {
    env: {
      PATH: process.env.PATH ?? '',
      MAILROOM_LOG_LEVEL: 'info',
      MAILROOM_PORT: '0',
      MAILROOM_HOST: '127.0.0.1',
      MAILROOM_ALLOWED_MAIL_HOSTS: '127.0.0.1',
      MAILROOM_OUTBOX_LEASE_SECONDS: '2',
      MAILROOM_POLL_INTERVAL_SECONDS: '1',
      MAILROOM_DB_POOL_SIZE: '4',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  const sent = new Set<string>();
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    output: () => out,
    /** Ids this process logged as recorded `sent`. */
    sent() {
      for (const m of out.matchAll(/"outgoingMessageId":"([^"]+)","status":"sent"/g)) sent.add(m[1]!);
      return sent;
    },
    async waitFor(pattern: RegExp, ms = 90_000) {
      const until = Date.now() + ms;
      for (;;) {
        const m = out.match(pattern);
        if (m) return m;
        if (child.exitCode !== null) throw new Error(`${role} exited early:\n${out}`);
        if (Date.now() > until) throw new Error(`${role}: no ${pattern} after ${ms} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill(signal: NodeJS.Signals) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  ms: number,
  debug: () => string | Promise<string>,
) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${await debug()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

describe('web and worker roles as separate processes on PostgreSQL (issue 12 item 4)', () => {
  it('two workers and one web process share sending and collecting; one worker SIGKILLed mid-run: no double send, no double ingest', {
    timeout: 240_000,
  }, async (testCtx) => {
    if (serviceMissing('PostgreSQL', missing)) return testCtx.skip();

    // A throwaway database for this run.
    const name = `mailroom_roles_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    });
    const dbUrl = new URL(PG_URL);
    dbUrl.pathname = `/${name}`;
    const key = generateKeyEntry('roles1');
    const secretBox = createSecretBox(parseKeyring(key));
    const env = { DATABASE_URL: dbUrl.toString(), MAILROOM_SECRET_KEY: key };

    const sink: SmtpSink = await startSmtpSink({
      mode: 'plain',
      users: [{ user: SINK_USER, password: SINK_PASS }],
    });
    cleanups.push(() => sink.close());
    const fakes: Pop3FakeServer[] = [];
    for (let i = 0; i < ADDRESSES; i++) {
      const fake = await Pop3FakeServer.start({ user: SINK_USER, pass: SINK_PASS, messages: [] });
      fakes.push(fake);
      cleanups.push(() => fake.close());
    }

    // All three start at once on the empty database: one migrates (the others wait on its
    // advisory lock) and one creates the first workspace; its login may be printed by any.
    const startEnv = { ...env, MAILROOM_ADMIN_EMAIL: 'admin@firma.example' };
    const web = startRole('web', startEnv);
    const workerA = startRole('worker', startEnv);
    const workerB = startRole('worker', startEnv);
    const [, url] = await web.waitFor(/mailroom is running at (http:\/\/\S+)/);
    await Promise.all([
      workerA.waitFor(/mailroom worker is running/),
      workerB.waitFor(/mailroom worker is running/),
    ]);
    expect(web.output()).toContain('role: web');
    const passwordOf = (p: { output(): string }) => / {2}password: +(\S+)/.exec(p.output())?.[1];
    await until(
      'the first-start login',
      () => [web, workerA, workerB].some(passwordOf),
      10_000,
      () => '',
    );
    const printed = [web, workerA, workerB].map(passwordOf);
    expect(printed.filter(Boolean), 'the first-start login is printed once').toHaveLength(1);
    const password = printed.find(Boolean)!;

    const db: DatabaseHandle = await openDatabase(
      { kind: 'postgres', url: dbUrl.toString(), poolSize: 2 },
      { migrate: false },
    );
    cleanups.push(() => db.close());
    const [ws] = rowsOf<{ id: string }>(await db.db.execute(sql`SELECT id FROM workspaces`));
    const workspaceId = ws!.id;
    expect(rowsOf(await db.db.execute(sql`SELECT id FROM workspaces`))).toHaveLength(1);

    // Addresses that send through the sink and collect from their own POP3 mailbox.
    const fx = outboxFixture({ db: db.db, secretBox });
    const addressIds: string[] = [];
    for (const fake of fakes) {
      const id = await fx.address({
        workspaceId,
        login: SINK_USER,
        password: SINK_PASS,
        port: sink.port,
        security: 'none',
        sendMaxConnections: 2,
      });
      await db.db.execute(
        sql`UPDATE email_addresses SET incoming_host = '127.0.0.1', incoming_port = ${fake.port}, incoming_security = 'none' WHERE id = ${id}`,
      );
      addressIds.push(id);
    }

    // Emails are written through the web process, as the UI does.
    const signIn = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@firma.example', password }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers
      .getSetCookie()
      .find((c) => c.startsWith('mailroom_session='))!
      .split(';')[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const api = async (path: string, body: unknown) => {
      const r = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await r.json()) as { id: string };
      if (r.status !== 201 && r.status !== 200)
        throw new Error(`${path}: ${r.status} ${JSON.stringify(json)}`);
      return json;
    };
    const project = await api('/api/projects', { name: 'Skala' });
    const contact = await api('/api/contacts', { name: 'Anna', emails: [{ email: 'anna@klient.example' }] });
    const task = await api('/api/tasks', {
      projectId: project.id,
      title: 'Zamówienie',
      contactIds: [contact.id],
    });

    const uids: string[] = [];
    const deliver = (wave: string, count: number) => {
      fakes.forEach((fake, a) => {
        for (let i = 0; i < count; i++) {
          const uid = `${wave}-${a}-${i}`;
          uids.push(uid);
          fake.messages.push({ raw: mail(uid), uid });
        }
      });
    };

    const debug = () => `A:\n${workerA.output().slice(-3000)}\nB:\n${workerB.output().slice(-3000)}`;
    // A mailbox's first sync only notes what is already there (M36); mail arrives after it.
    await until(
      'the first sync of every mailbox',
      async () =>
        rowsOf<{ n: number }>(
          await db.db.execute(
            sql`SELECT count(*)::int AS n FROM mailbox_sync_state WHERE initialized_at IS NOT NULL`,
          ),
        )[0]!.n === ADDRESSES,
      60_000,
      debug,
    );
    deliver('w1', FIRST_WAVE);

    // Comments notifying the contact, written a few at a time; each queues one email.
    let written = 0;
    const write = async (count: number) => {
      const batch = Array.from({ length: count }, () => written++);
      for (let i = 0; i < batch.length; i += 4) {
        await Promise.all(
          batch.slice(i, i + 4).map((n) =>
            api(`/api/tasks/${task.id}/comments`, {
              body: `Wiadomość ${n}`,
              notifyContactIds: [contact.id],
              senderAddressId: addressIds[n % ADDRESSES],
            }),
          ),
        );
      }
    };
    // The first half; A is killed as soon as it has sent one (others may be in its hands).
    await write(EMAILS / 2);
    await until('worker A to send', () => workerA.sent().size >= 1, 90_000, debug);
    await workerA.kill('SIGKILL');
    const sentByA = new Set(workerA.sent());
    const killedAt = sink.messages.length;
    // The second half, and more mail, after the kill.
    deliver('w2', SECOND_WAVE);
    await write(EMAILS - EMAILS / 2);

    // A poll lease held by A at the kill would expire after its full length (session + 90 s);
    // expiring exactly those leases that stay with one token for 5 s stands in for that wait.
    const leasesAtKill = rowsOf<{ address_id: string; lease_token: string }>(
      await db.db.execute(
        sql`SELECT address_id, lease_token FROM mailbox_sync_state WHERE lease_until > now() AND lease_token IS NOT NULL`,
      ),
    );
    await new Promise((r) => setTimeout(r, 5_000));
    for (const l of leasesAtKill) {
      await db.db.execute(
        sql`UPDATE mailbox_sync_state SET lease_until = now() - interval '1 second' WHERE address_id = ${l.address_id} AND lease_token = ${l.lease_token}`,
      );
    }

    const statusCounts = async () =>
      rowsOf<{ status: string; n: number }>(
        await db.db.execute(sql`SELECT status, count(*)::int AS n FROM outgoing_messages GROUP BY status`),
      );
    await until(
      'every email to be final and every message stored',
      async () => {
        const final = (await statusCounts())
          .filter((s) => ['sent', 'uncertain', 'failed'].includes(s.status))
          .reduce((n, s) => n + s.n, 0);
        const [stored] = rowsOf<{ n: number }>(
          await db.db.execute(sql`SELECT count(*)::int AS n FROM inbound_messages`),
        );
        return final === EMAILS && stored!.n >= uids.length;
      },
      90_000,
      async () =>
        `${JSON.stringify(await statusCounts())} stored ${JSON.stringify(
          rowsOf(await db.db.execute(sql`SELECT count(*)::int AS n FROM inbound_messages`)),
        )} sync ${JSON.stringify(rowsOf(await db.db.execute(sql`SELECT * FROM mailbox_sync_state`)))}\n${debug()}`,
    );
    const sentByB = workerB.sent();
    await workerB.kill('SIGTERM');
    await web.kill('SIGTERM');

    // Sending: every email sent (or, if A died with the server holding the data, uncertain),
    // none delivered twice, and both workers did part of the work.
    const rows = rowsOf<{ id: string; status: string; message_id: string }>(
      await db.db.execute(sql`SELECT id, status, message_id FROM outgoing_messages`),
    );
    expect(rows).toHaveLength(EMAILS);
    const received = sink.messages.map(
      (m) => /^Message-ID: *(<[^>]+>)/im.exec(m.raw.toString('latin1'))?.[1],
    );
    expect(new Set(received).size, 'a Message-ID reached the sink twice').toBe(received.length);
    for (const r of rows) {
      expect(['sent', 'uncertain'], r.id).toContain(r.status);
      const copies = received.filter((id) => id === r.message_id).length;
      if (r.status === 'sent') expect(copies, r.id).toBe(1);
      else expect(copies, r.id).toBeLessThanOrEqual(1);
    }
    expect(rows.filter((r) => r.status === 'uncertain').length).toBeLessThanOrEqual(8);
    expect(sentByA.size).toBeGreaterThan(0);
    expect(sentByB.size).toBeGreaterThan(0);
    for (const id of sentByA) expect(sentByB.has(id), `${id} recorded by both workers`).toBe(false);
    expect(killedAt).toBeLessThan(EMAILS);
    console.log(
      `roles: A sent ${sentByA.size} before SIGKILL, B ${sentByB.size}; ` +
        `${rows.filter((r) => r.status === 'uncertain').length} uncertain; ${sink.messages.length} received by the sink`,
    );

    // Collecting: each message stored exactly once (both waves; the second after the kill).
    const stored = rowsOf<{ address_id: string; remote_uid: string; message_id_header: string }>(
      await db.db.execute(sql`SELECT address_id, remote_uid, message_id_header FROM inbound_messages`),
    );
    expect(stored.map((s) => s.remote_uid).sort()).toEqual([...uids].sort());
    expect(new Set(stored.map((s) => s.message_id_header)).size).toBe(uids.length);
    // The web process never sends or collects: every outcome was logged by a worker.
    expect(web.output()).not.toContain('outgoing email recorded');
  });
});
