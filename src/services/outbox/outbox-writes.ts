import type { OutboxRepository, SentRecord } from '../../db/repositories/outbox.repository.js';
import { WriteCoalescer } from './write-coalescer.js';

/** A per-email write waiting for the next grouped statement (`recordProgress`). */
type ProgressItem =
  | ({ kind: 'transmitting' } & { id: string; lease: string })
  | ({ kind: 'sent' } & SentRecord);

/**
 * The outbox's per-email writes: the `transmitting` mark before the final dot and the `sent`
 * outcome after the 250, grouped into as few statements as the moment allows.
 */
export function createProgressWrites(
  outbox: Pick<OutboxRepository, 'recordProgress' | 'markTransmitting'>,
  writeConcurrency: number,
  now: () => Date,
) {
  // PGlite (one statement at a time): both per-email writes (before the final dot, after the
  // 250) share one queue, so ten connections cost one statement, not twenty. PostgreSQL
  // (writeConcurrency > 1): marks and outcomes each have their own queue with several
  // statements in flight, so a mark never waits behind an outcome's WAL flush, and `sent`
  // outcomes commit lazily (decision 0017; the marks always durably).
  const progress = new WriteCoalescer<ProgressItem, boolean>(async (items) => {
    const transmitting = items.filter((i) => i.kind === 'transmitting');
    const sent = items.filter((i) => i.kind === 'sent');
    const r = await outbox.recordProgress(transmitting, sent, now());
    let t = 0;
    let s = 0;
    return items.map((i) => (i.kind === 'transmitting' ? r.transmitting[t++]! : r.sent[s++]!));
  });
  const split = writeConcurrency > 1;
  const marks = new WriteCoalescer<{ id: string; lease: string }, boolean>(
    (items) => outbox.markTransmitting(items, now()),
    200,
    writeConcurrency,
  );
  const sents = new WriteCoalescer<SentRecord, boolean>(
    async (items) => (await outbox.recordProgress([], items, now(), { lazyCommit: true })).sent,
    200,
    writeConcurrency,
  );
  return {
    transmitting: {
      submit: (i: { id: string; lease: string }) =>
        split ? marks.submit(i) : progress.submit({ kind: 'transmitting', ...i }),
    },
    sent: {
      submit: (i: SentRecord) => (split ? sents.submit(i) : progress.submit({ kind: 'sent', ...i })),
    },
  };
}
