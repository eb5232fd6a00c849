import { Writable } from 'node:stream';
import { buildConfig } from '../../src/config/config.js';
import type { AppContext } from '../../src/context.js';
import type { DatabaseHandle } from '../../src/db/database.js';
import { generateKeyEntry, parseKeyring } from '../../src/security/keyring.js';
import { importCompiled } from './compiled-app.js';

/**
 * The app's own composition root over a benchmark database (as test/helpers/test-app.ts
 * does): services are wired exactly as in production, so the bench measures whatever the
 * sender preview and the routes currently do, compiled as production runs them (dist/).
 * Logs go to a null stream at level `info`.
 */
export async function createBenchContext(database: DatabaseHandle): Promise<AppContext> {
  const logDestination = new Writable({ write: (_chunk, _enc, cb) => cb() });
  const config = buildConfig({
    logLevel: 'info',
    dataDir: '/nonexistent',
    loginRateLimit: '1000',
    allowedMailHosts: '127.0.0.1',
  });
  const { createContext } = await importCompiled<typeof import('../../src/context.js')>('context.js');
  return createContext(config, { database, keyring: parseKeyring(generateKeyEntry('b1')), logDestination });
}
