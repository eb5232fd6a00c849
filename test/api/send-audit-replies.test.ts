import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxRepository } from '../../src/db/repositories/outbox.repository.js';
import { emailAddresses, outgoingMessages, outgoingRecipients } from '../../src/db/schema/index.js';
import { createSmtpSender } from '../../src/mail/smtp/smtp-sender.js';
import { type OutboxFixture, outboxFixture } from '../helpers/outbox-fixture.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { testCaPem } from '../helpers/tls-fixtures.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';
import {
  type RawSmtpConnection,
  type RawSmtpServer,
  startRawSmtpServer,
} from '../servers/smtp-raw-server.js';

/**
 * Independent check of issue 9 (send-audit): SMTP servers answering in unusual but legal, and
 * hostile, ways that the outbox's own tests do not script. Each case asserts the email's final
 * state, what reached the server, and the catalogue explanation GET /api/messages shows.
 */
const GREETING_MS = 1_500;
let t: TestApp;
let ws: TestWorkspace;
let fx: OutboxFixture;
const servers: RawSmtpServer[] = [];

beforeAll(async () => {
  const sender = createSmtpSender({
    resolver: createLoopbackResolver(),
    trustedCa: [testCaPem()],
    timeouts: { greetingMs: GREETING_MS, commandMs: 3_000, dataEndMs: 3_000, openMs: 10_000 },
  });
  t = await createTestApp({}, {}, { outbox: { pollMs: 200, sender, options: { sweepEveryMs: 0 } } });
  ws = await t.newWorkspace();
  fx = outboxFixture({
    db: t.ctx.db,
    secretBox: t.ctx.secretBox,
    committed: () => t.ctx.outboxWakeup.committed(),
  });
  t.startWorker();
});
afterAll(async () => {
  await t?.close();
  for (const s of servers) await s.close();
});

type Reply = string | 'drop' | 'hang' | ((conn: RawSmtpConnection) => Promise<void>);

interface Dialogue {
  /** Before the greeting (ms). */
  greetingDelayMs?: number;
  greeting?: string;
  ehlo?: string[];
  /** Replies per verb; `null` = the default. Called with the command line and the attempt number. */
  mail?: (line: string, attempt: number) => Reply | null;
  rcpt?: (line: string, attempt: number) => Reply | null;
  data?: (attempt: number) => Reply | null;
  afterDot?: (data: string, attempt: number) => Reply | null;
  starttls?: (conn: RawSmtpConnection) => Promise<'continue' | 'stop'>;
}

interface Dialled {
  server: RawSmtpServer;
  /** Messages whose final dot arrived. */
  dots: { to: string[]; data: string }[];
  /** Every command line, across connections. */
  commands: string[];
}

/** A scripted SMTP server on 127.0.0.1: one `Dialogue` per test, attempts counted per connection. */
async function dial(d: Dialogue): Promise<Dialled & { addressId: string }> {
  const dots: Dialled['dots'] = [];
  const commands: string[] = [];
  let attempt = 0;
  const ehlo = d.ehlo ?? ['PIPELINING', '8BITMIME', 'AUTH PLAIN LOGIN'];
  const ehloReply = `${['250-audit.localhost', ...ehlo.map((e, i) => `250${i === ehlo.length - 1 ? ' ' : '-'}${e}`)].join('\r\n')}\r\n`;
  const act = async (conn: RawSmtpConnection, r: Reply | null, fallback: string): Promise<boolean> => {
    const reply = r ?? fallback;
    if (reply === 'drop') {
      conn.reset();
      return false;
    }
    if (reply === 'hang') {
      await conn.closed;
      return false;
    }
    if (typeof reply === 'function') {
      await reply(conn);
      return conn.isOpen;
    }
    conn.write(`${reply}\r\n`);
    return !/^421/.test(reply);
  };
  const server = await startRawSmtpServer(async (conn) => {
    const n = ++attempt;
    if (d.greetingDelayMs) await new Promise((r) => setTimeout(r, d.greetingDelayMs));
    if (!conn.isOpen) return;
    conn.write(`${d.greeting ?? '220 audit.localhost ESMTP'}\r\n`);
    if (d.greeting && !d.greeting.startsWith('220')) {
      await conn.readLine().catch(() => null);
      return;
    }
    let to: string[] = [];
    for (;;) {
      const line = await conn.readLine();
      if (line === null) return;
      commands.push(line);
      const verb = line.split(/[ :]/)[0]?.toUpperCase() ?? '';
      if (verb === 'EHLO') conn.write(ehloReply);
      else if (verb === 'STARTTLS' && d.starttls) {
        if ((await d.starttls(conn)) === 'stop') return;
      } else if (verb === 'AUTH') conn.write('235 2.7.0 Authentication successful\r\n');
      else if (verb === 'MAIL') {
        to = [];
        if (!(await act(conn, d.mail?.(line, n) ?? null, '250 2.1.0 Ok'))) return;
      } else if (verb === 'RCPT') {
        const r = d.rcpt?.(line, n) ?? null;
        const reply = r ?? '250 2.1.5 Ok';
        if (typeof reply === 'string' && reply.startsWith('2')) to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
        if (!(await act(conn, r, '250 2.1.5 Ok'))) return;
      } else if (verb === 'DATA') {
        const r = d.data?.(n) ?? null;
        if (r !== null) {
          if (!(await act(conn, r, ''))) return;
          continue;
        }
        if (to.length === 0) {
          conn.write('554 5.5.1 No valid recipients\r\n');
          continue;
        }
        conn.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        const lines: string[] = [];
        for (;;) {
          const l = await conn.readLine();
          if (l === null) return;
          if (l === '.') break;
          lines.push(l.startsWith('.') ? l.slice(1) : l);
        }
        const data = lines.join('\r\n');
        dots.push({ to, data });
        if (!(await act(conn, d.afterDot?.(data, n) ?? null, `250 2.0.0 Ok: queued as AUD${dots.length}`)))
          return;
      } else if (verb === 'RSET' || verb === 'NOOP') conn.write('250 2.0.0 Ok\r\n');
      else if (verb === 'QUIT') {
        conn.write('221 2.0.0 Bye\r\n');
        return;
      } else conn.write('502 5.5.1 Unrecognized command\r\n');
    }
  });
  servers.push(server);
  const addressId = await fx.address({
    workspaceId: ws.workspaceId,
    port: server.port,
    security: d.starttls ? 'starttls' : 'none',
    host: 'smtp.audit.example',
  });
  return { server, dots, commands, addressId };
}

const enqueue = (
  addressId: string,
  to: string[],
  extra: Partial<Parameters<OutboxFixture['enqueue']>[0]> = {},
) =>
  fx.enqueue({ workspaceId: ws.workspaceId, addressId, to, authorEmployeeId: ws.admin.employeeId, ...extra });

async function settle() {
  t.ctx.outboxWakeup.committed();
  await t.ctx.outbox.idle();
}

/** Makes a deferred/queued row due now, as if its retry time had come. */
async function makeDue(id: string) {
  await t.ctx.db
    .update(outgoingMessages)
    .set({ nextAttemptAt: new Date() })
    .where(eq(outgoingMessages.id, id));
  await settle();
}

interface ApiMessage {
  id: string;
  status: string;
  acceptedReply: string | null;
  to: { email: string; status: string }[];
  failure: {
    reason: string;
    catalogueId: string | null;
    title: string;
    cause: string;
    fix: string;
    serverReply: string | null;
    helpHref: string | null;
  } | null;
}

/** The email as the Delivery log shows it (GET /api/messages, Polish). */
async function shown(id: string): Promise<ApiMessage> {
  const res = await ws.admin.request('GET', `/api/messages?limit=100`, undefined, {
    'accept-language': 'pl',
  });
  expect(res.statusCode, res.body).toBe(200);
  const item = (res.json().items as ApiMessage[]).find((m) => m.id === id);
  expect(item, `message ${id} in the delivery log`).toBeDefined();
  return item!;
}

const recipientsOf = async (id: string) =>
  (
    await t.ctx.db
      .select()
      .from(outgoingRecipients)
      .where(eq(outgoingRecipients.outgoingMessageId, id))
      .orderBy(outgoingRecipients.email)
  ).map((r) => [r.email, r.status]);

describe('unusual but legal SMTP replies (send-audit)', () => {
  it('a multi-line 250 to the final dot with an odd queue id: sent once, reply shown clean', async () => {
    const d = await dial({
      afterDot: () =>
        '250-2.0.0 Ok\r\n250-queued as \x1b[31m<b>X</b>\u202e\r\n250 2.0.0 id=Q-9f;extra <odd id@x>',
    });
    const q = await enqueue(d.addressId, ['multi@example.com']);
    await settle();
    const m = await shown(q.id);
    expect(m.status).toBe('sent');
    expect(m.failure).toBeNull();
    expect(m.acceptedReply).toMatch(/^250/);
    // Untrusted server text: no controls, no bidi override reaches the screen.
    expect(m.acceptedReply).not.toMatch(/[\u0000-\u001f\u007f\u202e]/u);
    expect(d.dots).toHaveLength(1);
  });

  it('452 4.5.3 for one of two recipients: the other accepted, the refused one retried alone later', async () => {
    let refuse = true;
    const d = await dial({
      rcpt: (line) =>
        refuse && line.includes('second@') ? '452 4.5.3 Too many recipients, try again later' : null,
    });
    const q = await enqueue(d.addressId, ['first@example.com', 'second@example.com']);
    await settle();
    let m = await shown(q.id);
    expect(m.status).toBe('deferred');
    expect(await recipientsOf(q.id)).toEqual([
      ['first@example.com', 'accepted'],
      ['second@example.com', 'pending'],
    ]);
    expect(m.failure?.catalogueId).toBeTruthy();
    expect(m.failure?.serverReply).toContain('452');
    refuse = false;
    await makeDue(q.id);
    m = await shown(q.id);
    expect(m.status).toBe('sent');
    expect(d.dots.map((x) => x.to)).toEqual([['first@example.com'], ['second@example.com']]);
  });

  it('421 right after MAIL FROM (server closing mid-session): deferred, then delivered once', async () => {
    const d = await dial({
      mail: (_l, attempt) => (attempt === 1 ? '421 4.3.2 Service shutting down, closing channel' : null),
    });
    const q = await enqueue(d.addressId, ['k421@example.com']);
    await settle();
    let m = await shown(q.id);
    expect(m.status).toBe('deferred');
    expect(m.failure?.serverReply).toContain('421');
    expect(m.failure?.title).toBeTruthy();
    expect(d.dots).toHaveLength(0);
    await makeDue(q.id);
    m = await shown(q.id);
    expect(m.status).toBe('sent');
    expect(d.dots).toHaveLength(1);
  });

  it('421 in reply to RCPT TO, then the server hangs up: deferred, nothing delivered', async () => {
    const d = await dial({
      rcpt: (_l, attempt) => (attempt === 1 ? '421 4.7.0 Too many connections, closing' : null),
    });
    const q = await enqueue(d.addressId, ['r421@example.com']);
    await settle();
    const m = await shown(q.id);
    expect(m.status).toBe('deferred');
    expect(await recipientsOf(q.id)).toEqual([['r421@example.com', 'pending']]);
    expect(d.dots).toHaveLength(0);
  });

  it('552 after DATA (message too big for the mailbox): failed for good, not retried, explained', async () => {
    const d = await dial({ afterDot: () => '552 5.3.4 Message size exceeds fixed maximum message size' });
    const q = await enqueue(d.addressId, ['big@example.com']);
    await settle();
    const m = await shown(q.id);
    expect(m.status).toBe('failed');
    expect(m.failure?.catalogueId).toBe('message-too-large');
    expect(m.failure?.serverReply).toContain('552');
    await makeDue(q.id);
    expect((await shown(q.id)).status).toBe('failed');
    expect(d.dots).toHaveLength(1);
  });

  it('554 instead of a greeting: nothing sent, the email waits, the address problem is explained', async () => {
    const d = await dial({ greeting: '554 5.7.1 audit.localhost: your IP is on our blocklist' });
    const q = await enqueue(d.addressId, ['blocked@example.com']);
    await settle();
    const m = await shown(q.id);
    expect(['deferred', 'queued']).toContain(m.status);
    expect(m.failure?.serverReply ?? '').toContain('554');
    expect(m.failure?.title).toBeTruthy();
    expect(d.commands.filter((c) => /^(AUTH|MAIL)/i.test(c))).toEqual([]);
  });

  it('a greeting that arrives just before the greeting deadline still sends', async () => {
    const d = await dial({ greetingDelayMs: GREETING_MS - 500 });
    const q = await enqueue(d.addressId, ['slow@example.com']);
    await settle();
    expect((await shown(q.id)).status).toBe('sent');
    expect(d.dots).toHaveLength(1);
  });

  it('a greeting that arrives after the deadline: deferred as a greeting timeout, nothing sent', async () => {
    const d = await dial({ greetingDelayMs: GREETING_MS + 1_000 });
    const q = await enqueue(d.addressId, ['late@example.com']);
    await settle();
    const m = await shown(q.id);
    expect(m.status).toBe('deferred');
    expect(m.failure?.catalogueId).toBe('greeting-timeout');
    expect(d.dots).toHaveLength(0);
  });

  it('connection reset after the final dot: uncertain, explained, never resent automatically', async () => {
    const d = await dial({ afterDot: (_data, attempt) => (attempt === 1 ? 'drop' : null) });
    const q = await enqueue(d.addressId, ['gone@example.com']);
    await settle();
    let m = await shown(q.id);
    expect(m.status).toBe('uncertain');
    expect(m.failure?.reason).toBe('connection_lost_after_data');
    expect(m.failure?.title).toBeTruthy();
    await makeDue(q.id);
    // Another email of the same address makes the worker claim while the uncertain one is "due".
    const next = await enqueue(d.addressId, ['next@example.com']);
    await settle();
    expect((await shown(next.id)).status).toBe('sent');
    m = await shown(q.id);
    expect(m.status).toBe('uncertain');
    expect(d.dots.map((x) => x.to)).toEqual([['gone@example.com'], ['next@example.com']]);
  });

  it('no reply to the final dot within the deadline: uncertain, not deferred', async () => {
    const d = await dial({ afterDot: () => 'hang' });
    const q = await enqueue(d.addressId, ['silent@example.com']);
    await settle();
    expect((await shown(q.id)).status).toBe('uncertain');
    expect(d.dots).toHaveLength(1);
  });

  it('SIZE smaller than the message: failed as too large before MAIL FROM, no data sent', async () => {
    const d = await dial({ ehlo: ['PIPELINING', 'SIZE 2000', 'AUTH PLAIN LOGIN'] });
    const q = await enqueue(d.addressId, ['size@example.com'], { bodyBytes: 5_000 });
    await settle();
    const m = await shown(q.id);
    expect(m.status).toBe('failed');
    expect(m.failure?.catalogueId).toBe('message-too-large');
    expect(m.failure?.reason).toBe('too_large');
    expect(d.commands.filter((c) => /^(MAIL|DATA)/i.test(c))).toEqual([]);
  });

  it('every RCPT refused with 550: failed for good, each recipient rejected, no message data', async () => {
    const d = await dial({ rcpt: () => '550 5.1.1 User unknown' });
    const q = await enqueue(d.addressId, ['x1@example.com', 'x2@example.com']);
    await settle();
    const m = await shown(q.id);
    expect(m.status).toBe('failed');
    expect(m.failure?.catalogueId).toBe('recipient-unknown');
    expect(await recipientsOf(q.id)).toEqual([
      ['x1@example.com', 'rejected'],
      ['x2@example.com', 'rejected'],
    ]);
    // A pipelining client may send DATA before it reads the RCPT replies (RFC 2920); never the data.
    expect(d.dots).toHaveLength(0);
  });

  it('554 to DATA (after accepted recipients): failed, not uncertain (no data was sent)', async () => {
    const d = await dial({ data: () => '554 5.7.1 Message refused by policy' });
    const q = await enqueue(d.addressId, ['policy@example.com']);
    await settle();
    const m = await shown(q.id);
    expect(m.status).toBe('failed');
    expect(m.failure?.serverReply).toContain('554');
    expect(d.dots).toHaveLength(0);
  });

  it('a 250 reply to the dot of 70 KB: the email is recorded, not lost', async () => {
    const d = await dial({ afterDot: () => `250 2.0.0 Ok ${'x'.repeat(70_000)}` });
    const q = await enqueue(d.addressId, ['huge@example.com']);
    await settle();
    const m = await shown(q.id);
    // An unreadable reply after the dot cannot prove acceptance: uncertain, or sent.
    expect(['uncertain', 'sent']).toContain(m.status);
    expect(d.dots).toHaveLength(1);
  });
});

describe('TLS downgrade attempts on a STARTTLS address (send-audit)', () => {
  it('STARTTLS missing from EHLO: no AUTH, no MAIL in plain text; the email waits', async () => {
    const d = await dial({
      starttls: async (conn) => {
        conn.write('502 5.5.1 Unrecognized command\r\n');
        return 'continue';
      },
    });
    const q = await enqueue(d.addressId, ['tls1@example.com']);
    await settle();
    const m = await shown(q.id);
    expect(['queued', 'deferred']).toContain(m.status);
    expect(m.failure?.catalogueId).toBe('starttls-unavailable');
    expect(d.server.plaintext().toString('latin1')).not.toMatch(/AUTH|MAIL FROM/);
  });

  it('STARTTLS advertised but refused with 454: no AUTH, no MAIL in plain text', async () => {
    const d = await dial({
      ehlo: ['PIPELINING', 'STARTTLS', 'AUTH PLAIN LOGIN'],
      starttls: async (conn) => {
        conn.write('454 4.7.0 TLS not available due to local problem\r\n');
        return 'continue';
      },
    });
    const q = await enqueue(d.addressId, ['tls2@example.com']);
    await settle();
    const m = await shown(q.id);
    expect(['queued', 'deferred']).toContain(m.status);
    expect(d.server.plaintext().toString('latin1')).not.toMatch(/AUTH|MAIL FROM/);
    expect(d.dots).toHaveLength(0);
  });

  it('STARTTLS reply with injected plaintext (case 30): the injection is ignored, nothing secret in plain text', async () => {
    const d = await dial({
      ehlo: ['PIPELINING', 'STARTTLS', 'AUTH PLAIN LOGIN'],
      starttls: async (conn) => {
        conn.write('220 2.0.0 Ready to start TLS\r\n250-EVIL\r\n250 AUTH NONE\r\n');
        await conn.startTls();
        return 'continue';
      },
    });
    const q = await enqueue(d.addressId, ['tls3@example.com']);
    await settle();
    const m = await shown(q.id);
    // Either the client discarded the injected lines and sent over TLS, or it refused: never in clear.
    expect(['sent', 'queued', 'deferred']).toContain(m.status);
    const clear = d.server.plaintext().toString('latin1');
    expect(clear).not.toMatch(/AUTH|MAIL FROM|RCPT TO/);
    if (m.status === 'sent') expect(d.dots).toHaveLength(1);
  });
});

describe('a dead worker’s lease (send-audit)', () => {
  it('an expired lease of an email whose data was already going out is never put back in the queue', async () => {
    const d = await dial({});
    // A paused address: the running worker leaves this row alone while the test plays the dead one.
    await t.ctx.db
      .update(emailAddresses)
      .set({ health: 'needs_attention' })
      .where(eq(emailAddresses.id, d.addressId));
    const q = await enqueue(d.addressId, ['lease@example.com']);
    // Only this test plays worker now (the real one would sweep the row to uncertain first).
    await t.stopWorker();
    const past = new Date(Date.now() - 60_000);
    await t.ctx.db
      .update(outgoingMessages)
      .set({
        status: 'sending',
        leaseToken: '00000000-0000-4000-8000-00000000dead',
        leaseUntil: past,
        transmittingAt: past,
      })
      .where(eq(outgoingMessages.id, q.id));
    const repo = createOutboxRepository(t.ctx.db);
    await repo.releaseExpired(new Date());
    const [row] = await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, q.id));
    expect(row!.status).toBe('sending');
    const marked = await repo.markAbandonedUncertain(new Date(), false, {
      reason: 'connection_lost_after_data',
    });
    expect(marked.map((r) => r.id)).toContain(q.id);
    t.startWorker();
    expect((await shown(q.id)).status).toBe('uncertain');
    expect(d.dots).toHaveLength(0);
  });
});
