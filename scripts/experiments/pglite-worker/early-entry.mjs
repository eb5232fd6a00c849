// Experiment (decision 0019): like bin/mailroom.js, but takes the data-dir lock and starts the
// PGlite worker thread BEFORE loading the (experimental) bundle, so PGlite's start overlaps the
// bundle's module loading as well. Experiment only: the data dir comes from MAILROOM_DATA_DIR
// (the app resolves it from its configuration), and the key is checked after the open started.
import { lockDataDir } from '../../../dist/db/data-dir-lock.js';
import { openPgliteWorker } from './pglite-proxy.mjs';

const dataDir = process.env.MAILROOM_DATA_DIR;
if (dataDir && process.argv[2] === 'serve') {
  const lock = lockDataDir(dataDir);
  const THREAD = new URL('./pglite-thread.mjs', import.meta.url);
  globalThis.__mailroomEarlyPglite = { dataDir, lock, client: openPgliteWorker(`${dataDir}/pgdata`, THREAD) };
}
await import('../../../dist/experiment-bundle/cli.js');
