import { afterEach, describe, expect, it } from 'vitest';
import { createLoopbackResolver } from '../../../test/servers/loopback-resolver.js';
import { Pop3FakeServer } from '../../../test/servers/pop3-fake-server.js';
import type { Responder } from '../../../test/servers/pop3-fake-session.js';
import { createPop3Prober } from './pop3-probe.js';
import type { BufferMeter } from './pop3-reader.js';

/** The memory one connection test may use, whatever the server sends (issue 8 item 13). */
const SESSION_BUDGET_BYTES = 16 * 1024 * 1024;

const servers: Pop3FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Misbehaviour: CAPA answered with capability lines that never end, until we hang up. */
function endlessCapa(lineLength: number): Responder {
  return async (session) => {
    await session.writeRaw('+OK Capability list follows\r\n');
    const line = `X-PADDING ${'a'.repeat(lineLength)}\r\n`;
    const chunk = Buffer.from(line.repeat(Math.ceil(65_536 / line.length)), 'latin1');
    while (!session.closed) await session.writeRaw(chunk);
  };
}

/**
 * Counts the reply bytes the client holds (exact) and samples the process's memory on
 * every growth (heap plus buffers, against the start), keeping the largest of each.
 * Past the budget it aborts the test, so a regression fails here instead of eating memory.
 */
class MemoryMeter implements BufferMeter {
  private held = 0;
  private readonly base = used();
  readonly controller = new AbortController();
  processGrowth = 0;
  get peakBytes(): number {
    return this.held;
  }
  set peakBytes(bytes: number) {
    this.held = bytes;
    this.processGrowth = Math.max(this.processGrowth, used() - this.base);
    if (bytes > SESSION_BUDGET_BYTES || this.processGrowth > SESSION_BUDGET_BYTES)
      this.controller.abort(new Error('over the memory budget'));
  }
}

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe('POP3 connection test memory (issue 8 item 13)', () => {
  // Long lines: 100,000 lines × 8 KiB was the old shared cap (≈ 800 MB); short lines: many of them.
  it.each([
    ['long lines', 8_000, /^CAPA reply line longer than 4096 bytes$/],
    ['short lines', 20, /^CAPA reply longer than 4096 bytes$/],
  ])(
    'an endless CAPA reply (%s) stays within the budget and fails as a too-long CAPA reply',
    async (_name, length, detail) => {
      const server = await Pop3FakeServer.start({ respond: { CAPA: endlessCapa(length) } });
      servers.push(server);
      const meter = new MemoryMeter();
      const prober = createPop3Prober({
        resolver: createLoopbackResolver(),
        timeouts: { commandMs: 10_000, connectMs: 5_000 },
        meter,
      });
      const result = await prober.probe(
        {
          protocol: 'pop3',
          host: 'localhost',
          port: server.port,
          security: 'none',
          auth: { type: 'password', user: 'user', pass: 'pass' },
        },
        { deadline: Date.now() + 20_000, signal: meter.controller.signal },
      );

      expect(meter.controller.signal.aborted, 'held more than the budget').toBe(false);
      expect(result.ok).toBe(false);
      expect(result.failure).toMatchObject({ kind: 'limit', step: 'capa' });
      expect(result.failure?.detail).toMatch(detail);
      expect(result.steps.map((s) => `${s.id}:${s.outcome}`)).toContain('capa:failed');
      expect(meter.peakBytes).toBeLessThanOrEqual(SESSION_BUDGET_BYTES);
      expect(meter.processGrowth).toBeLessThan(SESSION_BUDGET_BYTES);
    },
  );
});
