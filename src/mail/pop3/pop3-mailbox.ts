import type { Readable } from 'node:stream';
import type { IncomingSettings } from '../../domain/mailbox/connection.js';
import type {
  IncomingListing,
  IncomingMailbox,
  IncomingMessageRef,
  IncomingOpenOptions,
  IncomingSession,
} from '../../ports/incoming-mailbox.js';
import { headerDigest } from './pop3-body.js';
import type { Pop3Client } from './pop3-client.js';
import { isPop3Error, pop3Error } from './pop3-errors.js';
import { createPop3Prober } from './pop3-probe.js';
import { openPop3Session, type Pop3Deps } from './pop3-session.js';

/** The POP3 side of the IncomingMailbox port. */
export function createPop3Mailbox(deps: Pop3Deps): IncomingMailbox {
  const prober = createPop3Prober(deps);
  return {
    probe: (settings, options) => prober.probe(settings, options),
    async open(settings: IncomingSettings, options: IncomingOpenOptions): Promise<IncomingSession> {
      const { client } = await openPop3Session(settings, deps, options);
      return new Pop3MailboxSession(client);
    },
  };
}

/** One logged-in POP3 session behind the port. */
class Pop3MailboxSession implements IncomingSession {
  private listing: IncomingListing | null = null;
  private topRefused = false;

  constructor(private readonly client: Pop3Client) {}

  async list(): Promise<IncomingListing> {
    // STAT first: it bounds the listings to the count it gives, and an overfull maildrop is
    // refused before a byte of the listing is read.
    await this.client.stat();
    const { list, uids } = await this.client.listWithUids();
    const byNumber = new Map(uids?.entries.map((e) => [e.number, e]));
    const messages = list.map((m): IncomingMessageRef => {
      const u = byNumber.get(m.number);
      return { seq: m.number, size: m.size, uid: u?.uid ?? null, uidValid: u?.valid ?? false };
    });
    // An entry of one listing missing from the other also makes the ids unusable.
    const complete =
      uids !== null && uids.entries.length === list.length && messages.every((m) => m.uidValid);
    this.listing = { messages, uidlSupported: uids !== null, uidsValid: complete };
    return this.listing;
  }

  async fetch(message: IncomingMessageRef | string): Promise<Readable> {
    return this.client.retrieve(await this.seqOf(message));
  }

  async fetchBuffer(message: IncomingMessageRef | string): Promise<Buffer> {
    return this.client.retrieveBuffer(await this.seqOf(message));
  }

  async fetchManyBuffers(
    messages: readonly (IncomingMessageRef | string)[],
    options: { inFlight?: number } = {},
  ): Promise<Buffer[]> {
    const seqs: number[] = [];
    for (const m of messages) seqs.push(await this.seqOf(m));
    return this.client.retrieveManyBuffers(seqs, options.inFlight);
  }

  async headerDigest(message: IncomingMessageRef, maxBytes: number): Promise<string | null | 'refused'> {
    if (this.topRefused) return 'refused';
    try {
      return headerDigest(await this.client.headBuffer(message.seq, maxBytes));
    } catch (err) {
      // TOP is optional (RFC 1939): a refusal means no message can be recognised by it in this
      // session, so it is not asked again per message.
      if (isPop3Error(err) && err.failure.kind === 'reply') {
        this.topRefused = true;
        return 'refused';
      }
      throw err;
    }
  }

  async delete(message: IncomingMessageRef | string): Promise<void> {
    await this.client.dele(await this.seqOf(message));
  }

  async close(): Promise<void> {
    await this.client.quit();
  }

  abort(): void {
    this.client.destroy();
  }

  private async seqOf(message: IncomingMessageRef | string): Promise<number> {
    if (typeof message !== 'string') return message.seq;
    const listing = this.listing ?? (await this.list());
    const found = listing.messages.filter((m) => m.uid === message);
    const only = found[0];
    if (found.length !== 1 || !only?.uidValid) {
      throw pop3Error('reply', {
        step: 'uidl',
        detail: 'no single message with this UID in the current listing',
      });
    }
    return only.seq;
  }
}
