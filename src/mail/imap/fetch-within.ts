import type { ImapFlow } from 'imapflow';
import type { MailFailure } from '../../domain/mailbox/mail-failure.js';
import type { ImapFetched, ImapWantedMessage } from '../../ports/imap-mailbox.js';
import { uidSet } from './uid-set.js';

/**
 * FETCH responses accepted per message asked for, beyond one each: servers may add unsolicited
 * flag updates, but a server repeating bodies would otherwise keep one FETCH going until the
 * deadline.
 */
const EXTRA_RESPONSES = 10;

function tooManyResponses(host: string, asked: number): Error {
  const failure: MailFailure = {
    kind: 'limit',
    protocol: 'imap',
    step: 'fetch',
    host,
    detail: `the server answered a FETCH of ${asked} messages with more than ${asked * 2 + EXTRA_RESPONSES} responses`,
  };
  return Object.assign(new Error('IMAP limit at fetch'), { failure });
}

/**
 * The bodies of `wanted` in one `UID FETCH … BODY.PEEK[]<0.n>`, n one byte past the largest
 * allowance: a server honouring the range (RFC 9051 §6.4.5, every one we know) sends no more, so
 * a message listed at 1 byte costs at most its allowance + 1 however large it is. Each body is
 * then held to its own allowance: one that fills more is dropped and named in `outgrown` (the
 * range is one per command, so a small message in a batch with a large one may get the larger
 * range). A server ignoring the range is bounded by imapflow's literal cap (`maxMessageBytes`
 * + 1) for the one body in flight; responses are taken one at a time (imapflow's back-pressure),
 * so what the batch holds stays within the sum of its allowances.
 */
export async function fetchWithin(
  client: ImapFlow,
  wanted: readonly ImapWantedMessage[],
  host: string,
): Promise<ImapFetched> {
  const out: ImapFetched = { raws: new Map(), outgrown: [], bytes: 0 };
  if (wanted.length === 0) return out;
  const allowed = new Map(wanted.map((w) => [w.uid, w.allowed]));
  const maxLength = wanted.reduce((most, w) => Math.max(most, w.allowed), 0) + 1;
  const taken = new Set<number>();
  let answered = 0;
  for await (const m of client.fetch(
    uidSet(wanted.map((w) => w.uid)),
    { uid: true, source: { start: 0, maxLength } },
    { uid: true },
  )) {
    // Thrown out of the FETCH loop: the caller aborts the session, which drops the rest.
    if (++answered > wanted.length * 2 + EXTRA_RESPONSES) throw tooManyResponses(host, wanted.length);
    if (!m.source) continue;
    out.bytes += m.source.length;
    const most = allowed.get(m.uid);
    // Not asked for, or a second copy: its bytes are counted, never kept.
    if (most === undefined || taken.has(m.uid)) continue;
    taken.add(m.uid);
    if (m.source.length > most) out.outgrown.push(m.uid);
    else out.raws.set(m.uid, m.source);
  }
  return out;
}
