import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mail, POP_PASS, POP_USER, pollOnce, pop3Address, storedRows } from '../helpers/ingest-fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';
import { Pop3FakeServer } from '../servers/pop3-fake-server.js';
import type { Responder } from '../servers/pop3-fake-session.js';

/**
 * The poller over a POP3 server without UIDL whose messages sometimes send far more than LIST
 * said: each such message is set aside once (its header digest and listed size, in the
 * database), later polls pass it by TOP and collect the others; none is RETR'd twice for it.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { resolver: createLoopbackResolver() });
});
afterAll(async () => {
  await t.close();
});

const lying = (n: number) => ({ raw: Buffer.concat([mail(n), Buffer.alloc(300 * 1024, 'A')]), listSize: 10 });

describe('POP3 without ids: a lying message set aside once', () => {
  it('at the first sync and after it, through the database', async () => {
    const ws = (await t.newWorkspace()).workspaceId;
    const f = await Pop3FakeServer.start({
      user: POP_USER,
      pass: POP_PASS,
      noUidl: true,
      messages: [{ raw: mail(1) }, lying(2), { raw: mail(3) }],
    });
    const retrs = (n: number) => f.commandLines().filter((l) => l === `RETR ${n}`).length;
    try {
      const id = await pop3Address(t.ctx, ws, f.port);
      // First sync: fails at message 2 (recorded), then the next poll records 1 and 3.
      await pollOnce(t.ctx, ws, id);
      await pollOnce(t.ctx, ws, id);
      expect(await storedRows(t.ctx, id)).toEqual([]);
      f.messages.push({ raw: mail(4) });
      await pollOnce(t.ctx, ws, id);
      expect((await storedRows(t.ctx, id)).map((r) => r.raw.toString().match(/Odp (\d)/)?.[1])).toEqual([
        '4',
      ]);
      // After the first sync: a new lying message is set aside as unreadable, the next one stored.
      f.messages.push(lying(5));
      await pollOnce(t.ctx, ws, id);
      f.messages.push({ raw: mail(6) });
      await pollOnce(t.ctx, ws, id);
      await pollOnce(t.ctx, ws, id);
      const rows = await storedRows(t.ctx, id);
      expect(rows.map((r) => [r.remoteUid, r.kind, r.raw.toString().match(/Odp (\d)/)?.[1] ?? null])).toEqual(
        [
          [null, 'unmatched', '4'],
          [null, 'unreadable', null],
          [null, 'unmatched', '6'],
        ],
      );
      expect([retrs(2), retrs(5)]).toEqual([1, 1]);
      expect(f.commandLines().filter((l) => l === 'TOP 2 0').length).toBe(5);
    } finally {
      await f.close();
    }
  });

  // A named handler: Biome takes an upper-case key's inline arrow for a component factory.
  const refuseTop: Responder = (session) => session.send('-ERR no TOP here\r\n');

  it('on a server that also refuses TOP: read last, the others stored once, no poll after the first failing', async () => {
    const ws = (await t.newWorkspace()).workspaceId;
    const f = await Pop3FakeServer.start({
      user: POP_USER,
      pass: POP_PASS,
      noUidl: true,
      respond: { TOP: refuseTop },
      messages: [],
    });
    const retrs = () => f.connections.map((c) => c.commands.filter((x) => x.line === 'RETR 2').length);
    try {
      const id = await pop3Address(t.ctx, ws, f.port);
      await pollOnce(t.ctx, ws, id);
      f.messages.push({ raw: mail(1) }, lying(2), { raw: mail(3) });
      await pollOnce(t.ctx, ws, id);
      expect(await t.ctx.ingest.sync.find(ws, id)).toMatchObject({ failureStreak: 1 });
      const streaks: unknown[] = [];
      for (let n = 0; n < 3; n++) {
        await pollOnce(t.ctx, ws, id);
        streaks.push((await t.ctx.ingest.sync.find(ws, id))?.failureStreak);
      }
      expect(streaks).toEqual([0, 0, 0]);
      expect((await t.ctx.ingest.sync.find(ws, id))?.lastError).toBeNull();
      const rows = await storedRows(t.ctx, id);
      // One batch: their order by creation time is not defined.
      expect(
        rows.map((r) => [r.remoteUid, r.kind, r.raw.toString().match(/Odp (\d)/)?.[1] ?? null]).sort(),
      ).toEqual([
        [null, 'unmatched', '1'],
        [null, 'unmatched', '3'],
        [null, 'unreadable', null],
      ]);
      expect(f.connections.map((c) => c.commands.filter((x) => x.line.startsWith('TOP')).length)).toEqual([
        0, 0, 1, 1, 1,
      ]);
    } finally {
      await f.close();
    }
  });
});
