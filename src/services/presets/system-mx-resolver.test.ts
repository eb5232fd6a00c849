import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPresetDetector, systemMxResolver } from './detect-preset.js';

/*
 * A tiny authoritative DNS responder on 127.0.0.1 (UDP, port 0), just enough for MX
 * queries: the real node:dns resolver talks to it, so record parsing, sorting, NXDOMAIN
 * and cancellation are exercised for real without leaving loopback.
 */
type Zone = { mx: Array<[preference: number, exchange: string]> } | 'nxdomain' | 'silent';

function encodeName(name: string): Buffer {
  const labels = name === '' || name === '.' ? [] : name.replace(/\.$/, '').split('.');
  return Buffer.concat([
    ...labels.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')])),
    Buffer.from([0]),
  ]);
}

function readQuestion(query: Buffer): { name: string; end: number } {
  const labels: string[] = [];
  let offset = 12;
  for (let length = query[offset] ?? 0; length > 0; length = query[offset] ?? 0) {
    labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
    offset += 1 + length;
  }
  return { name: labels.join('.').toLowerCase(), end: offset + 1 + 4 };
}

function answer(query: Buffer, zone: Zone | undefined): Buffer | null {
  if (zone === 'silent') return null;
  const { end } = readQuestion(query);
  const records = zone === undefined || zone === 'nxdomain' ? [] : zone.mx;
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  // QR + AA + RD + RA; rcode 3 (NXDOMAIN) when the name does not exist.
  header.writeUInt16BE(0x8580 | (zone === undefined || zone === 'nxdomain' ? 3 : 0), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const answers = records.map(([preference, exchange]) => {
    const rdata = Buffer.concat([Buffer.from([preference >> 8, preference & 0xff]), encodeName(exchange)]);
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0); // pointer to the question name
    fixed.writeUInt16BE(15, 2); // MX
    fixed.writeUInt16BE(1, 4); // IN
    fixed.writeUInt32BE(60, 6);
    fixed.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([fixed, rdata]);
  });
  return Buffer.concat([header, query.subarray(12, end), ...answers]);
}

const zones = new Map<string, Zone>([
  [
    'firma.pl',
    {
      mx: [
        [20, 'alt1.aspmx.l.google.com'],
        [5, 'aspmx.l.google.com'],
        [30, 'alt2.aspmx.l.google.com'],
      ],
    },
  ],
  ['nullmx.pl', { mx: [[0, '']] }],
  ['gone.pl', 'nxdomain'],
  ['slow.pl', 'silent'],
]);

let server: Socket;
let servers: string[];
const received: string[] = [];
let queryArrived: (() => void) | null = null;

beforeAll(async () => {
  server = createSocket('udp4');
  server.on('message', (query: Buffer, peer: RemoteInfo) => {
    const { name } = readQuestion(query);
    received.push(name);
    queryArrived?.();
    const reply = answer(query, zones.get(name));
    if (reply) server.send(reply, peer.port, peer.address);
  });
  server.bind(0, '127.0.0.1');
  await once(server, 'listening');
  servers = [`127.0.0.1:${server.address().port}`];
});

afterAll(async () => {
  server.close();
  await once(server, 'close');
});

describe('systemMxResolver', () => {
  it('returns MX hosts sorted by preference', async () => {
    const resolveMx = systemMxResolver({ servers, timeoutMs: 2_000 });
    expect(await resolveMx('firma.pl')).toEqual([
      'aspmx.l.google.com',
      'alt1.aspmx.l.google.com',
      'alt2.aspmx.l.google.com',
    ]);
  });

  it('drops a null MX (RFC 7505)', async () => {
    const resolveMx = systemMxResolver({ servers, timeoutMs: 2_000 });
    expect(await resolveMx('nullmx.pl')).toEqual([]);
  });

  it('rejects for a domain that does not exist', async () => {
    const resolveMx = systemMxResolver({ servers, timeoutMs: 2_000 });
    await expect(resolveMx('gone.pl')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('cancels the query when the signal aborts', async () => {
    const resolveMx = systemMxResolver({ servers, timeoutMs: 10_000 });
    const controller = new AbortController();
    const arrived = new Promise<void>((resolve) => (queryArrived = resolve));
    const pending = resolveMx('slow.pl', controller.signal);
    await arrived;
    queryArrived = null;
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ECANCELLED' });
  });

  it('refuses to start when the signal is already aborted', async () => {
    const resolveMx = systemMxResolver({ servers, timeoutMs: 2_000 });
    const before = received.length;
    await expect(resolveMx('firma.pl', AbortSignal.abort())).rejects.toThrow(/aborted/);
    expect(received.length).toBe(before);
  });

  it('drives the detector end to end, and a silent server only costs the timeout', async () => {
    const detector = createPresetDetector({
      resolveMx: systemMxResolver({ servers, timeoutMs: 10_000 }),
      timeoutMs: 100,
    });
    expect(await detector.detect('jan@firma.pl')).toMatchObject({ presetId: 'gmail', via: 'mx' });
    expect(await detector.detect('jan@gone.pl')).toEqual({ presetId: null, via: 'none' });
    const started = Date.now();
    expect(await detector.detect('jan@slow.pl')).toEqual({ presetId: null, via: 'none' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
