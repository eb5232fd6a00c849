import {
  DEFAULT_GIVE_UP_AFTER_MS,
  LATE_NOTICE_AFTER_MS,
  RECIPIENT_LIMIT,
  RECIPIENT_WINDOW_MS,
} from '../../domain/message/retry-schedule.js';
import type { AddressCapOptions } from './address-caps.js';

export interface OutboxOptions {
  /** Rows claimed per statement. */
  batchSize: number;
  /** Emails in flight at once in this process (claimed, not yet recorded). */
  maxInFlight: number;
  /**
   * Per-email write statements in flight at once (decision 0017). 1 (PGlite: one statement at a
   * time anyway): `transmitting` marks and `sent` outcomes share one grouped statement. More
   * (PostgreSQL, pooled connections): marks and outcomes go in separate statements, up to this
   * many of each in flight, and `sent` outcomes commit without waiting for their WAL flush.
   */
  writeConcurrency: number;
  leaseMs: number;
  /** Lease renewal of emails in flight (default a third of the lease). */
  heartbeatMs?: number;
  giveUpAfterMs: number;
  /** PGlite: one process owns the database, so any claim found at start-up is orphaned. */
  singleProcess: boolean;
  /** Pooled connections unused this long are closed. */
  idleMs: number;
  /** A failed connect is reused for the emails queued behind it for this long. */
  failureMemoMs: number;
  recipientLimit: number;
  recipientWindowMs: number;
  lateAfterMs: number;
  /** How often abandoned claims and late emails are looked for. */
  sweepEveryMs: number;
  /** A per-minute limit that would hold an email longer than this hands it back to the queue. */
  maxRateWaitMs: number;
  /** Emails of one address in flight at once in this process (decision 0008). */
  addressCap: AddressCapOptions;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  batchSize: 100,
  maxInFlight: 300,
  writeConcurrency: 1,
  leaseMs: 5 * 60_000,
  giveUpAfterMs: DEFAULT_GIVE_UP_AFTER_MS,
  singleProcess: false,
  idleMs: 60_000,
  failureMemoMs: 2_000,
  recipientLimit: RECIPIENT_LIMIT,
  recipientWindowMs: RECIPIENT_WINDOW_MS,
  lateAfterMs: LATE_NOTICE_AFTER_MS,
  sweepEveryMs: 5_000,
  maxRateWaitMs: 2_000,
  addressCap: { perConnection: 32, min: 64, max: 150 },
};
