import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../config/config.js';
import type { ContextOverrides } from '../context.js';
import { openDatabase } from '../db/open-database.js';
import { collectProcessMetrics } from '../http/plugins/metrics.js';
import { loadKeyring } from '../security/load-keyring.js';
import { bootstrapFirstStart } from '../services/auth/bootstrap.js';
import { createWorker } from '../worker/worker.js';
import { framedBlock } from './framed-block.js';
import { holdEventLoop } from './hold-event-loop.js';
import { prepareSandbox } from './serve-sandbox.js';
import { startWorkerMetricsServer } from './worker-metrics-server.js';

/** Starts loading a module now, awaited later (a failure still surfaces at the await). */
const early = <T>(loading: Promise<T>): Promise<T> => {
  loading.catch(() => {});
  return loading;
};

export type Role = 'all' | 'web' | 'worker';

/** How long after listening a process that answers requests waits to start its background work. */
const BACKGROUND_DELAY_MS = 1_000;

/** `mailroom serve`: web (API + UI) and/or worker in one process, with graceful shutdown. */
export async function serve(config: AppConfig, role: Role) {
  // Until it listens, nothing of libuv's keeps the loop running (see hold-event-loop.ts); held
  // until the start is done (the first start's seeding included), or has failed.
  const hold = holdEventLoop();
  try {
    return await start(config, role);
  } finally {
    hold.release();
  }
}

async function start(config: AppConfig, role: Role) {
  const started = performance.now();
  // Start-up order (decision 0012): the bulk of the code (composition root, mail libraries, the
  // HTTP stack, which a worker never loads) loads while the key is read and the database opens.
  const contextModule = early(import('../context.js'));
  const loopsModule = early(import('./worker-loops.js'));
  const httpModule = role === 'worker' ? null : early(import('../http/app.js'));
  // The sandbox mail server (embedded database only) binds first: its ports join the allow-list.
  const sandbox = await prepareSandbox(config);
  // Without the sandbox, open the database here too, before the context module is needed.
  let ownDatabase: ContextOverrides['database'] | null = null;
  let overrides = sandbox.overrides;
  if (!overrides.database) {
    const { keyring } = await loadKeyring(config); // no key, no start (M52)
    ownDatabase = await openDatabase(config.database);
    overrides = { ...overrides, keyring, database: ownDatabase };
  }
  const { createContext } = await contextModule;
  const ctx = await createContext(sandbox.config, overrides);
  // After the URL line (web) or the "worker is running" line: the sandbox addresses follow this
  // run's ports, the first start creates the workspace (and the demo one on the sandbox). The
  // database is open and migrated before listening, which is what /healthz promises; these
  // first queries on further tables (their catalog entries load, and V8 compiles PGlite's
  // WebAssembly further on its worker threads) no longer delay the first requests (decision 0012).
  // Background work waits for them: the worker's first polls use the sandbox ports.
  const settle = async () => {
    await sandbox.attach(ctx);
    const bootstrapDeps = {
      workspaces: ctx.repos.workspaces,
      employees: ctx.repos.employees,
      transaction: ctx.transaction,
    };
    const first = await bootstrapFirstStart(bootstrapDeps, {
      ...config.bootstrap,
      employeesManageOwnAddresses: config.workspaceDefaults.employeesManageOwnAddresses,
    }).catch(async (err: unknown) => {
      // Several processes started at once on an empty PostgreSQL database (docs/decisions/0011):
      // one creates the first workspace, the others hit its unique admin email and carry on.
      if ((await ctx.repos.workspaces.count()) > 0) return null;
      throw err;
    });
    const demo = first ? await sandbox.seedDemo(ctx) : null;
    return { first, demo };
  };

  const { createWorkerLoops } = await loopsModule;
  const app = httpModule ? await (await httpModule).buildApp(ctx) : null;
  const worker =
    role === 'web'
      ? null
      : createWorker({
          logger: ctx.logger,
          loops: createWorkerLoops(ctx),
        });

  // Process metrics join the registry once requests are answered (a worker has no requests).
  if (!app) collectProcessMetrics(ctx.metrics);
  // A worker serves no HTTP: its metrics get an endpoint of their own, when asked for.
  const metricsServer =
    !app && config.metrics.port !== null
      ? await startWorkerMetricsServer(ctx.metrics, { host: config.metrics.host, port: config.metrics.port })
      : null;

  let background: NodeJS.Timeout | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearTimeout(background);
    ctx.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app?.close();
    await metricsServer?.close();
    await worker?.stop();
    await ctx.close();
    await sandbox.close();
    await ownDatabase?.close();
    clearTimeout(force);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  if (app) {
    await app.listen({ host: config.http.host, port: config.http.port });
    const address = app.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = config.http.publicUrl ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
    console.log(
      `mailroom is running at ${url}  (role: ${role}, database: ${ctx.database.kind}, started in ${Math.round(performance.now() - started)} ms)`,
    );
    collectProcessMetrics(ctx.metrics);
  } else {
    const metricsAt = metricsServer
      ? `, metrics at http://${config.metrics.host.includes(':') ? `[${config.metrics.host}]` : config.metrics.host}:${metricsServer.port}/metrics`
      : '';
    console.log(`mailroom worker is running (database: ${ctx.database.kind}${metricsAt})`);
  }
  // Stopped meanwhile (a signal during these first queries): nothing more to start or print.
  const settled = await settle().catch((err: unknown) => {
    if (stopping) return null;
    throw err;
  });
  if (!settled) return { app, ctx, stop, sandbox: sandbox.sandbox, metricsServer };
  const { first, demo } = settled;
  if (first) {
    // A block of its own, apart from log lines, so the one-time password is hard to miss.
    console.log(
      framedBlock([
        `First start: created workspace "${first.workspace.name}" with an administrator:`,
        '',
        `  email:    ${first.admin.email}`,
        `  password: ${first.password}`,
        '',
        'This password is shown only once. Sign in, then set the company name',
        '(Account management → Company settings) and change the password (employee card).',
        'Lost it? mailroom admin reset-password --email <email>',
        ...(demo
          ? [
              '',
              `Sandbox: demo workspace "${demo.workspaceName}" on the built-in sandbox mail server`,
              '(Piaskownica — e-maile nie opuszczają tego komputera / mail never leaves this computer):',
              '',
              `  demo email:    ${demo.email}`,
              `  demo password: ${demo.password}`,
              '',
              'Sign in with it, open a task and write to Jan Kowalski: he answers within seconds.',
              'MAILROOM_SANDBOX=off turns the sandbox off.',
            ]
          : []),
      ]),
    );
  }

  // Background work starts once requests are answered (and the first-start login is printed),
  // and with the web role a moment later: the worker's first polls (mailbox connections, the
  // IMAP and MIME libraries loading) and the schema compilation would otherwise hold up the
  // first requests (PGlite runs on this thread; decision 0012).
  const startBackground = () => {
    if (stopping) return;
    worker?.start();
    // Route schemas compile on first use; compile the rest now, between requests.
    void app
      ?.warmUpSchemas()
      .catch((err: unknown) => ctx.logger.error({ err }, 'route schema compilation failed'));
  };
  if (app) background = setTimeout(startBackground, BACKGROUND_DELAY_MS);
  else startBackground();

  return { app, ctx, stop, sandbox: sandbox.sandbox, metricsServer };
}
