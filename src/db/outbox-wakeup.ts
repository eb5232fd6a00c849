import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import type { OutboxWakeup } from '../ports/outbox-wakeup.js';
import type { DbOrTx } from './database.js';

/** The PostgreSQL channel the outbox worker LISTENs on. */
export const OUTBOX_CHANNEL = 'mailroom_outbox';

/**
 * Outbox wake-ups: an in-process signal after commit (PGlite is one process; on PostgreSQL it
 * also wakes a worker in the same process without a round trip), and on PostgreSQL a NOTIFY
 * sent inside the queuing transaction, which the server delivers to listeners only at commit.
 */
export function createOutboxWakeup(kind: 'pglite' | 'postgres') {
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const wakeup: OutboxWakeup & {
    /** Subscribes to in-process wake-ups; returns the unsubscribe function. */
    onWake(listener: () => void): () => void;
  } = {
    async queued(tx: DbOrTx) {
      if (kind === 'postgres') await tx.execute(sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`);
    },
    committed() {
      local.emit('wake');
    },
    onWake(listener) {
      local.on('wake', listener);
      return () => local.off('wake', listener);
    },
  };
  return wakeup;
}
