import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { DbOrTx } from './db/database.js';
import { createInboundReadingRepository } from './db/repositories/inbound-reading.repository.js';
import type { Actor } from './domain/actor.js';
import type { Notifier } from './ports/notifier.js';
import type { RunInTransaction } from './ports/transaction.js';
import { createParsePool } from './services/inbound/parse-pool.js';
import { createInboundProcessor } from './services/inbound/process-inbound.js';
import { createReadingService } from './services/inbound/reading-service.js';

/** Wires reading stored mail into tasks (issue 10 items 4–6): `processor` is what the poller calls. */
export function createInboundContext(deps: {
  db: DbOrTx;
  transaction: RunInTransaction;
  notifier: Notifier;
  logger: Logger;
  /** The task routes' visibility rule (404 for another workspace's task). */
  requireTaskVisible: (actor: Actor, taskId: string) => Promise<unknown>;
  now?: () => Date;
}) {
  const repo = createInboundReadingRepository(deps.db);
  // MIME parsing in a worker thread with a time and heap budget; the thread starts on the first
  // parse (mailparser stays off the start-up path, decision 0012).
  const parsePool = createParsePool();
  const processor = createInboundProcessor({
    repo,
    parse: parsePool.parse,
    transaction: deps.transaction,
    notifier: deps.notifier,
    randomBytes,
    onError: (err, at) => deps.logger.error({ err, ...at }, 'reading a received message failed'),
    ...(deps.now ? { now: deps.now } : {}),
  });
  const reading = createReadingService({ repo, requireTaskVisible: deps.requireTaskVisible });
  return { repo, processor, reading, parsePool, close: () => parsePool.close() };
}
