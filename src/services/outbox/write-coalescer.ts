/**
 * Group commit for the outbox's per-email writes: the first write goes out at once; writes that
 * arrive while statements run wait and go out together in the next statement. Every email's
 * outcome is still written right after its server answer (M32), but ten connections finishing
 * at once cost one round trip instead of ten (PGlite runs one statement at a time).
 *
 * Up to `concurrency` statements may be in flight at once (PostgreSQL: each on its own pooled
 * connection, so the server's own group commit shares one WAL flush between them). With one at
 * a time, a write arriving just after a statement left waits for that statement's flush and
 * then for its own. PGlite keeps 1: it runs one statement at a time on this thread.
 */
/** Where one write is handed in; resolves once it is in the database. */
export interface WriteQueue<I, O> {
  submit(item: I): Promise<O>;
}

export class WriteCoalescer<I, O> implements WriteQueue<I, O> {
  private queue: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private running = 0;

  constructor(
    private readonly flush: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 200,
    private readonly concurrency = 1,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.running < this.concurrency) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running++;
    try {
      for (;;) {
        // Let replies that already arrived on other connections join this statement: PGlite
        // runs on this thread, so nothing else gets in while a statement runs.
        await new Promise((resolve) => setImmediate(resolve));
        // Another statement in flight (concurrency > 1) may have taken what was waiting.
        if (this.queue.length === 0) return;
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const out = await this.flush(batch.map((b) => b.item));
          for (const [i, b] of batch.entries()) b.resolve(out[i] as O);
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.running--;
    }
  }
}
