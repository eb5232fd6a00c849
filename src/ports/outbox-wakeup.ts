import type { DbOrTx } from '../db/database.js';

/**
 * Wakes the outbox worker when rows are queued (issue 9: pick-up at once in the same process,
 * within 50 ms across processes on PostgreSQL; a slow poll is only the safety net).
 */
export interface OutboxWakeup {
  /** Call inside the transaction that queued rows: on PostgreSQL a NOTIFY, delivered at commit. */
  queued(tx: DbOrTx): Promise<void>;
  /** Call after that transaction committed: wakes this process's worker at once. */
  committed(): void;
}
