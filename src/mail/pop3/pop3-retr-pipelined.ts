import { type BodyCap, bufferBody } from './pop3-body.js';
import type { Pop3Commands } from './pop3-commands.js';
import type { Pop3Transport } from './pop3-transport.js';

/** Formats a message number / line count: only safe non-negative integers reach the wire. */
export function num(n: number, min = 1): string {
  if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`Invalid POP3 number: ${n}`);
  return String(n);
}

/**
 * RETR of several messages with up to `window` in flight (RFC 2449 §6.6 PIPELINING), the
 * caller holding the session exclusively and each body capped by `caps[i]`. The first window
 * goes in one write (one system call, not one per RETR). A refused RETR drops the connection:
 * the responses behind it cannot be resynchronised.
 */
export async function retrievePipelined(
  c: Pop3Commands,
  t: Pop3Transport,
  ns: readonly number[],
  caps: readonly BodyCap[],
  window: number,
): Promise<Buffer[]> {
  const out: Buffer[] = [];
  t.setStep('retr');
  const first = Math.min(ns.length, Math.max(1, window));
  if (first > 0)
    t.send(
      ns
        .slice(0, first)
        .map((n) => `RETR ${num(n)}\r\n`)
        .join(''),
      2 * first,
    );
  let sent = first;
  for (let i = 0; i < ns.length; i++) {
    const status = await c.timed(() => c.readStatus());
    if (status.type !== 'ok') {
      const err = c.unexpected(status, 'reply', 'retr');
      t.destroy('RETR refused while pipelining');
      throw err;
    }
    if (sent < ns.length) t.send(`RETR ${num(ns[sent++] as number)}\r\n`, 2);
    out.push(await bufferBody(t, caps[i] as BodyCap));
  }
  return out;
}
