import type { PGlite } from '@electric-sql/pglite';

/**
 * PGlite runs every statement on this thread and answers through resolved promises only, so a
 * chain of awaited statements never lets the event loop turn: 3,000 `select 1` in a row ran
 * ~7 s on a loaded machine with not one timer or socket served meanwhile. Any loop of database
 * work (a worker pass, a batch) would starve HTTP for its whole length. This makes a statement
 * that starts more than `sliceMs` after the last turn wait for one (`setImmediate`) first, so
 * I/O waits at most about one slice plus one statement. PostgreSQL needs none of it: its
 * answers arrive as socket I/O.
 */
export const TURN_SLICE_MS = 10;

const shared = new WeakSet<PGlite>();

export function shareEventLoop(client: PGlite, sliceMs = TURN_SLICE_MS): void {
  if (shared.has(client)) return;
  shared.add(client);
  let since = performance.now();
  const turn = async (): Promise<void> => {
    if (performance.now() - since < sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  };
  // The entry points drizzle's driver and our own code call; a transaction's own statements
  // run inside it (it holds PGlite's lock), so the turn comes before it starts.
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = (async (...args: Parameters<typeof query>) => {
    await turn();
    return query(...args);
  }) as typeof client.query;
  client.exec = async (...args: Parameters<typeof exec>) => {
    await turn();
    return exec(...args);
  };
  client.transaction = (async (...args: Parameters<typeof transaction>) => {
    await turn();
    return transaction(...args);
  }) as typeof client.transaction;
}
