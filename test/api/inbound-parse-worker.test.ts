import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundProcessor } from '../../src/ports/inbound-processor.js';
import { createParsePool, type ParsePool, ParsePoolClosed } from '../../src/services/inbound/parse-pool.js';
import { createInboundProcessor } from '../../src/services/inbound/process-inbound.js';
import { READ_LIMITS } from '../../src/services/inbound/process-parse.js';
import { type InboundThread, inboundThread } from '../helpers/inbound-thread.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Reading with the MIME parse in a worker thread (SECURITY.md §4.2, decision 0007 "Parsing in a
 * worker"): the app's processor parses through its pool; a parse past its time or heap budget
 * is a quarantined message (still placed in its task), never a stuck or dead process; a parse
 * cut short by shutdown leaves the row stored for the next start.
 */
let t: TestApp;
let thread: InboundThread;
let pool: ParsePool;
let processor: InboundProcessor;
const hostile = new URL('../helpers/parse-hostile.ts', import.meta.url).href;
const OURS = '<mr.aaaabbbbccccdddd.parseworker0001@firma.pl>';

function withPool(p: ParsePool, parse = p.parse) {
  pool = p;
  processor = createInboundProcessor({
    repo: t.ctx.inbound.repo,
    transaction: t.ctx.transaction,
    notifier: t.ctx.notifier,
    randomBytes,
    parse,
  });
}

beforeAll(async () => {
  t = await createTestApp();
  thread = await inboundThread(t, ['Oferta'], () => processor);
  await thread.sentEmail(thread.taskIds[0]!, OURS, 'klient@klient.example');
});
afterAll(async () => {
  await pool?.close();
  await t.close();
});

const reply = (subject: string) =>
  Buffer.from(
    `From: Klient <klient@klient.example>\r\nTo: biuro@firma.pl\r\nSubject: ${subject}\r\n` +
      `Message-ID: <${randomUUID()}@klient.example>\r\nIn-Reply-To: ${OURS}\r\n\r\nTak, przyjmujemy.\r\n`,
  );

describe('reading through the parse pool', () => {
  it("the app's processor parses in its worker thread", async () => {
    processor = t.ctx.inbound.processor;
    // Started on the first parse, not with the app (mailparser off the start-up path).
    expect(t.ctx.inbound.parsePool.started).toBe(0);
    const row = await thread.storeAndProcess(reply('Re: Oferta'));
    expect(row).toMatchObject({ status: 'processed', kind: 'reply', task_id: thread.taskIds[0] });
    expect(t.ctx.inbound.parsePool.started).toBe(1);
  });

  it.each([
    ['timeout', 'spin', { limits: { ...READ_LIMITS, timeoutMs: 1_000 } }],
    ['out_of_memory', 'grow', { maxHeapMb: 32 }],
  ] as const)(
    'a parse over its budget (%s) is quarantined in its task; the next reply is a comment',
    async (reason, subject, budget) => {
      withPool(createParsePool({ parseModule: hostile, ...budget }));
      expect(await thread.storeAndProcess(reply(subject))).toMatchObject({
        status: 'quarantined',
        kind: 'unreadable',
        task_id: thread.taskIds[0],
        process_error: { reason },
      });
      expect(await thread.storeAndProcess(reply('Re: Oferta'))).toMatchObject({
        status: 'processed',
        kind: 'reply',
      });
      await pool.close();
    },
  );

  it('shutting down mid-parse leaves the row stored (read again on the next start), not unreadable', async () => {
    let handed!: () => void;
    const inFlight = new Promise<void>((resolve) => {
      handed = resolve;
    });
    const p = createParsePool({ parseModule: hostile, limits: { ...READ_LIMITS, timeoutMs: 600_000 } });
    withPool(p, (raw, signal) => {
      const parsing = p.parse(raw, signal);
      handed();
      return parsing;
    });
    const processing = thread.storeAndProcess(reply('spin')).then(
      () => 'processed',
      (e: unknown) => e,
    );
    await inFlight;
    await pool.close();
    expect(await processing).toBeInstanceOf(ParsePoolClosed);
    const rows = (
      (await t.ctx.db.execute(
        sql`SELECT status FROM inbound_messages WHERE workspace_id = ${thread.ws.workspaceId} AND status = 'stored'`,
      )) as unknown as { rows: unknown[] }
    ).rows;
    expect(rows).toHaveLength(1);
  });
});
