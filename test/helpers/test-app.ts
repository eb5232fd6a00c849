import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { buildConfig } from '../../src/config/config.js';
import { type AppContext, type ContextOverrides, createContext } from '../../src/context.js';
import type { MailboxOverrides } from '../../src/context-mailbox.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/routes/types.js';
import { createWorkerLoops } from '../../src/main/worker-loops.js';
import { generateKeyEntry, parseKeyring } from '../../src/security/keyring.js';
import { createWorkspaceWithAdmin } from '../../src/services/auth/bootstrap.js';
import { createWorker } from '../../src/worker/worker.js';
import { findLeaks, registerEnvSecrets, registerSecret, registerSecretsIn } from './leak-scan.js';
import { openTestDatabase } from './test-db.js';
import { testCaPem } from './tls-fixtures.js';

export interface TestApp {
  app: App & Pick<Awaited<ReturnType<typeof buildApp>>, 'validatedParts'>;
  ctx: AppContext;
  /** Every log line written so far (for secret-leak scans). */
  logs: string[];
  newWorkspace(name?: string): Promise<TestWorkspace>;
  /** Starts the real worker loops (the worker role) in this process; stopped by close(). */
  startWorker(): void;
  /** Stops them as a shutdown would (SIGTERM); startWorker() starts a fresh worker. */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface Caller {
  employeeId: string;
  email: string;
  password: string;
  cookie: string;
  csrf: string;
  /** Authenticated request with session cookie and CSRF token. */
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export interface TestWorkspace {
  workspaceId: string;
  admin: Caller;
  /** Creates an employee through the API (as admin) and signs them in. */
  newEmployee(fields?: Record<string, unknown>): Promise<Caller>;
}

let seq = 0;
export const uniqueEmail = (prefix = 'user') => `${prefix}.${process.pid}.${Date.now()}.${++seq}@example.com`;

export async function createTestApp(
  env: Record<string, string> = {},
  mailbox: MailboxOverrides = {},
  /** Other context overrides (the outbox's timings, a clock). */
  context: Pick<ContextOverrides, 'outbox' | 'now'> = {},
): Promise<TestApp> {
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const config = buildConfig({
    logLevel: 'info',
    dataDir: '/nonexistent',
    loginRateLimit: '1000',
    allowedMailHosts: '127.0.0.1',
    // The OAuth tests' mail servers listen on loopback, not on the providers' hosts.
    oauthGoogleMailHosts: '127.0.0.1',
    oauthMicrosoftMailHosts: '127.0.0.1',
    ...env,
  });
  // The leak scan is on for every test app: secrets in env, the key and request bodies register themselves.
  registerEnvSecrets(env);
  const keyEntry = generateKeyEntry('test1');
  registerSecret(keyEntry.slice('test1:'.length));
  const database = await openTestDatabase();
  const ctx = await createContext(config, {
    database,
    keyring: parseKeyring(keyEntry),
    logDestination,
    // Loopback test servers present certificates from the test CA.
    mailbox: { trustedCa: [testCaPem()], ...mailbox },
    ...context,
  });
  const app = await buildApp(ctx);
  const bodies: string[] = [];
  app.addHook('preValidation', async (req) => {
    registerSecretsIn(req.body);
  });
  app.addHook('onSend', async (_req, _reply, payload) => {
    if (typeof payload === 'string' || Buffer.isBuffer(payload)) bodies.push(String(payload));
    return payload;
  });
  await app.ready();
  // Every route schema compiles (production compiles them lazily, after listening).
  await app.warmUpSchemas();

  const login = async (email: string, password: string, employeeId: string): Promise<Caller> => {
    const res = await app.inject({ method: 'POST', url: '/api/session', payload: { email, password } });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'mailroom_session')!;
    const csrf = res.json().csrfToken as string;
    const cookieHeader = `mailroom_session=${cookie.value}`;
    return {
      employeeId,
      email,
      password,
      cookie: cookieHeader,
      csrf,
      request: (method, url, body, headers = {}) =>
        app.inject({
          method: method as 'GET',
          url,
          headers: { cookie: cookieHeader, 'x-csrf-token': csrf, ...headers },
          ...(body === undefined ? {} : { payload: body as object }),
        }),
    };
  };

  let worker: ReturnType<typeof createWorker> | null = null;
  return {
    app,
    ctx,
    logs,
    async newWorkspace(name = 'Test company') {
      const email = uniqueEmail('admin');
      const password = registerSecret('correct horse battery staple');
      const r = await createWorkspaceWithAdmin(
        { workspaces: ctx.repos.workspaces, employees: ctx.repos.employees, transaction: ctx.transaction },
        { workspaceName: name, adminEmail: email, password, adminName: 'Ada Admin' },
      );
      const admin = await login(email, password, r.admin.id);
      return {
        workspaceId: r.workspace.id,
        admin,
        async newEmployee(fields = {}) {
          const empEmail = uniqueEmail('emp');
          const empPassword = registerSecret('employee password 123');
          const res = await admin.request('POST', '/api/employees', {
            name: 'Ewa Employee',
            email: empEmail,
            password: empPassword,
            ...fields,
          });
          if (res.statusCode !== 201) throw new Error(`create employee failed: ${res.body}`);
          return login(empEmail, empPassword, res.json().id);
        },
      };
    },
    startWorker() {
      if (worker) return;
      worker = createWorker({ logger: ctx.logger, loops: createWorkerLoops(ctx) });
      worker.start();
    },
    async stopWorker() {
      await worker?.stop();
      worker = null;
    },
    async close() {
      await worker?.stop();
      const leaks = findLeaks(bodies.join('\n') + logs.join(''));
      await app.close();
      await ctx.close();
      await database.close();
      if (leaks.length > 0) throw new Error(`secrets leaked into responses or logs: ${leaks.join(', ')}`);
    },
  };
}
