import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../config/config.js';
import { createContext } from '../context.js';
import { bootstrapFirstStart } from '../services/auth/bootstrap.js';
import { createWorker } from '../worker/worker.js';
import { createWorkerLoops } from './worker-loops.js';

export type Role = 'all' | 'web' | 'worker';

/** `mailroom serve`: web (API + UI) and/or worker in one process, with graceful shutdown. */
export async function serve(config: AppConfig, role: Role) {
  const started = performance.now();
  // Load the HTTP stack while the database opens (a worker never loads it).
  const httpModule = role === 'worker' ? null : import('../http/app.js');
  const ctx = await createContext(config);
  const first = await bootstrapFirstStart(
    { workspaces: ctx.repos.workspaces, employees: ctx.repos.employees, transaction: ctx.transaction },
    {
      ...config.bootstrap,
      employeesManageOwnAddresses: config.workspaceDefaults.employeesManageOwnAddresses,
    },
  );

  const app = httpModule ? await (await httpModule).buildApp(ctx) : null;
  const worker =
    role === 'web'
      ? null
      : createWorker({
          logger: ctx.logger,
          loops: createWorkerLoops(ctx),
        });
  worker?.start();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app?.close();
    await worker?.stop();
    await ctx.close();
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
    // Route schemas compile on first use; compile the rest now that we are listening.
    void app
      .warmUpSchemas()
      .catch((err: unknown) => ctx.logger.error({ err }, 'route schema compilation failed'));
  } else {
    console.log(`mailroom worker is running (database: ${ctx.database.kind})`);
  }
  if (first) {
    console.log(`First start: created workspace "${first.workspace.name}" with an administrator:`);
    console.log(`  email:    ${first.admin.email}`);
    console.log(`  password: ${first.password}`);
    console.log('This password is shown only once. Sign in and change it (employee card → Details).');
  }

  return { app, ctx, stop };
}
