import { randomInt } from 'node:crypto';
import { listedSizeAllowance } from '../../domain/mailbox/listed-size.js';
import type { IncomingMessageRef, IncomingSession, OutgrownMessage } from '../../ports/incoming-mailbox.js';
import type { CollectBudget, CollectOutcome } from './collect-pop3.js';
import { knownKey } from './ingest-message.js';

/**
 * POP3 messages without a usable id that were set aside for outgrowing their listed size
 * (decision 0003, "Set aside without an id"): how a later session recognises them.
 */

/**
 * What to do with a message without a usable id: `passed` (its TOP names a set-aside message),
 * `postponed` (listed at a set-aside size on a server that refuses TOP: read after everything
 * else) or `read` (fetch it as usual).
 */
export async function recognise(
  session: IncomingSession,
  keys: ReadonlySet<string>,
  asideSizes: ReadonlySet<number>,
  m: IncomingMessageRef,
): Promise<'passed' | 'postponed' | 'read'> {
  if (!asideSizes.has(m.size)) return 'read';
  const digest = await session.headerDigest(m, listedSizeAllowance(m.size));
  if (digest === 'refused') return 'postponed';
  return digest !== null && keys.has(knownKey.outgrown(digest, m.size)) ? 'passed' : 'read';
}

export interface PostponedDeps {
  session: IncomingSession;
  keys: ReadonlySet<string>;
  /** The poll's outcome so far: its bytes and deletions; `more` set when candidates wait. */
  out: Pick<CollectOutcome, 'bytes' | 'deleted' | 'more'>;
  budget: CollectBudget;
  /** Messages the poll fetched so far (its message budget). */
  fetched: number;
  /** Stores a candidate that was not the set-aside message (durable when it resolves). */
  store: (m: IncomingMessageRef, raw: Buffer) => Promise<unknown>;
}

/**
 * Reads the postponed candidates, one RETR each, the last thing a session does (so every other
 * message was read and stored before). A RETR cannot be abandoned mid-body, so its allowance
 * is the test: a candidate that ends within it is ordinary mail, stored; one stopped at it whose
 * header digest is a set-aside key is that message, and the connection is gone with it (true:
 * the caller ends the session without QUIT). So never while a DELE waits for QUIT, nor past the
 * poll's budgets: then the candidates wait for the next poll, which comes soon (`more`). Any
 * other failure (a new liar included) is thrown, as for any RETR. The order starts at a random
 * candidate: with several, the one recognised first ends the session, and a fixed order would
 * never reach the ones after it.
 */
export async function readPostponed(
  candidates: readonly IncomingMessageRef[],
  deps: PostponedDeps,
): Promise<boolean> {
  const { out, budget } = deps;
  if (candidates.length === 0) return false;
  if (out.deleted > 0 || out.more) {
    out.more = true;
    return false;
  }
  let fetched = deps.fetched;
  const start = candidates.length > 1 ? randomInt(candidates.length) : 0;
  for (let k = 0; k < candidates.length; k++) {
    const m = candidates[(start + k) % candidates.length] as IncomingMessageRef;
    const most = Math.min(listedSizeAllowance(m.size), budget.maxMessageBytes);
    if (
      fetched >= budget.maxMessages ||
      out.bytes + most > budget.maxBytes ||
      Date.now() >= budget.deadline
    ) {
      out.more = true;
      return false;
    }
    fetched++;
    let raw: Buffer;
    try {
      [raw] = (await deps.session.fetchManyBuffers([m], { inFlight: 1 })) as [Buffer];
    } catch (err) {
      const outgrown = (err as { outgrown?: OutgrownMessage } | null)?.outgrown;
      const sha = outgrown?.seq === m.seq ? outgrown.headerSha256 : undefined;
      if (!outgrown || !sha || !deps.keys.has(knownKey.outgrown(sha, m.size))) throw err;
      out.bytes += outgrown.allowed;
      return true;
    }
    out.bytes += raw.length;
    await deps.store(m, raw);
  }
  return false;
}
