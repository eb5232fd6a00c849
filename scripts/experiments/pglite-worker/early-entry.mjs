// Experiment (decision 0019): like bin/mailroom.js, for dist/experiment-bundle/. Unless
// MAILROOM_PW_LATE is set, it also takes the data-dir lock and starts the PGlite worker thread
// BEFORE loading the bundle, so PGlite's start overlaps the bundle's module loading as well. Experiment only: the data dir comes from MAILROOM_DATA_DIR
// (the app resolves it from its configuration), and the key is checked after the open started.
import module from 'node:module';
import { setPriority } from 'node:os';
import { lockDataDir } from '../../../dist/db/data-dir-lock.js';
import { openPgliteWorker } from './pglite-proxy.mjs';

// As bin/mailroom.js: Node ≥ 22.1 caches compiled code between starts.
module.enableCompileCache?.();

const dataDir = process.env.MAILROOM_DATA_DIR;
// MAILROOM_PW_LATE=1: no early start (the experimental bundle opens the database itself).
if (dataDir && process.argv[2] === 'serve' && !process.env.MAILROOM_PW_LATE) {
  const lock = lockDataDir(dataDir);
  const THREAD = new URL('./pglite-thread.mjs', import.meta.url);
  const client = openPgliteWorker(`${dataDir}/pgdata`, THREAD);
  globalThis.__mailroomEarlyPglite = { dataDir, lock, client };
  // MAILROOM_PW_NICE=N (measurement only): the main thread (Linux nice is per thread) yields to
  // the PGlite thread and V8's compiler threads until the database is open. Going back to 0
  // needs root, which is why this is not a shippable lever.
  const nice = Number(process.env.MAILROOM_PW_NICE ?? 0);
  if (nice) {
    setPriority(0, nice);
    client.ready.then(() => setPriority(0, 0)).catch(() => {});
  }
}
await import('../../../dist/experiment-bundle/cli.js');
