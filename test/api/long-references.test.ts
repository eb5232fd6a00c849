import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comments } from '../../src/db/schema/index.js';
import { parseHeaderBlock } from '../../src/domain/inbound/header-block.js';
import { rawHeaders } from '../../src/services/inbound/process-parse.js';
import { type InboundThread, inboundThread } from '../helpers/inbound-thread.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * References lists a thread oldest first, the parent's id last (RFC 5322 §3.6.4): a reply in a
 * thread nobody trimmed must still find its task by that last id, and a hostile References of
 * megabytes must cost a bounded read (decision 0007). On the real database.
 */
let t: TestApp;
let thread: InboundThread;
const tasks = { other: '', ours: '' };
const JAN = 'jan.kowalski@klient.example';
const sample = readFileSync(
  new URL('../fixtures/inbound/threading/replies/references-500-ids-ours-last.eml', import.meta.url),
);

const repliesIn = (task: string) =>
  t.ctx.db
    .select({ body: comments.bodyText })
    .from(comments)
    .where(and(eq(comments.taskId, task), eq(comments.kind, 'reply')));

beforeAll(async () => {
  t = await createTestApp();
  thread = await inboundThread(t, ['Oferta A', 'Oferta B']);
  [tasks.other, tasks.ours] = thread.taskIds as [string, string];
});
afterAll(async () => t?.close());

describe('a reply whose References name 500 ids, ours only the last', () => {
  it('becomes a comment in the task of that last id', async () => {
    // Another task has an email to Jan too; none of the 499 other ids is ours.
    await thread.sentEmail(tasks.other, '<mr.qqqqrrrrsssstttt.otherthreadxx@firma.pl>', JAN);
    const email = await thread.sentEmail(tasks.ours, '<mr.aaaabbbbccccdddd.fivehundredids@firma.pl>', JAN);
    const result = await thread.storeAndProcess(sample);
    expect(result).toMatchObject({ kind: 'reply', outgoing_message_id: email.id });
    expect(await repliesIn(tasks.ours)).toEqual([{ body: 'Zgoda, zamawiamy.' }]);
    expect(await repliesIn(tasks.other)).toEqual([]);
  });
});

describe('a hostile References of 5 MB', () => {
  const ids = Array.from({ length: 90_000 }, (_, i) => `<x${i}.${'h'.repeat(40)}@flood.example>`);
  const hostile = Buffer.from(
    [
      'From: Jan Kowalski <jan.kowalski@klient.example>',
      'To: Biuro Firma <biuro@firma.pl>',
      'Subject: Re: Oferta',
      'Message-ID: <flood@klient.example>',
      `References: ${ids.join('\r\n ')}\r\n <mr.aaaabbbbccccdddd.fivehundredids@firma.pl>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Zalew.',
      '',
    ].join('\r\n'),
  );

  it('is read within the header bound: the value kept is capped, its tail cut between ids', () => {
    expect(hostile.length).toBeGreaterThan(5_000_000);
    const refs = rawHeaders(hostile).get('references') ?? [];
    expect(refs).toHaveLength(1);
    expect(refs[0]!.length).toBeLessThanOrEqual(100 * 512);
    expect(refs[0]).toMatch(/^<x0\.h+@flood\.example> <x\d+\.h+@flood\.example>/);
    // The whole 5 MB read as text keeps the same bound and ends on the last id.
    const whole = parseHeaderBlock(hostile.toString('latin1'), Number.POSITIVE_INFINITY).get('references')!;
    expect(whole[0]!.length).toBeLessThanOrEqual(100 * 512);
    expect(whole[0]).toMatch(/ <mr\.aaaabbbbccccdddd\.fivehundredids@firma\.pl>$/);
  });

  it('is settled without a crash: the parser refuses it, and our id past the bound is never read', async () => {
    const before = (await t.ctx.db.select().from(comments).where(eq(comments.taskId, tasks.ours))).length;
    const { status, kind, process_error } = await thread.storeAndProcess(hostile);
    expect([status, kind, process_error]).toEqual(['quarantined', 'unreadable', { reason: 'parse_error' }]);
    expect(await t.ctx.db.select().from(comments).where(eq(comments.taskId, tasks.ours))).toHaveLength(
      before,
    );
  });
});
