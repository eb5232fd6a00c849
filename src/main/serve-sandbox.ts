import type { AppConfig } from '../config/config.js';
import type { AppContext, ContextOverrides } from '../context.js';
import { openDatabase } from '../db/open-database.js';
import { createSandboxAddressRepository } from '../db/repositories/sandbox-address.repository.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { sandboxMailOf } from '../sandbox/sandbox-preset.js';
import { SANDBOX_PRESET_ID } from '../sandbox/sandbox-world.js';
import { loadKeyring } from '../security/load-keyring.js';
import type { DemoWorkspace } from './seed-demo-workspace.js';

export interface SandboxStart {
  /** The configuration with the sandbox's loopback ports as the demo workspace's allow-list. */
  config: AppConfig;
  overrides: ContextOverrides;
  sandbox: Sandbox | null;
  /** After the context exists: stored sandbox addresses follow this run's ports; deliveries wake the poller. */
  attach(ctx: AppContext): Promise<void>;
  /** On the first start: the demo workspace on the sandbox (null when the sandbox is off or seeding failed). */
  seedDemo(ctx: AppContext): Promise<DemoWorkspace | null>;
  close(): Promise<void>;
}

/**
 * Starts the built-in sandbox mail server before the context (issue 12 item 1): the database is
 * opened first (its lock keeps a second process from touching the sandbox's files), then the
 * sandbox binds 127.0.0.1, then the demo workspace's allow-list names exactly those three ports
 * (the operator's list, which every workspace shares, is left as it was: decision 0010).
 */
export async function prepareSandbox(config: AppConfig): Promise<SandboxStart> {
  if (!config.sandbox.enabled) {
    return {
      config,
      overrides: {},
      sandbox: null,
      attach: async () => {},
      seedDemo: async () => null,
      close: async () => {},
    };
  }
  // Loaded while the key and the database open (start-up time, issue 12 item 2).
  const sandboxModule = import('../sandbox/sandbox.js');
  sandboxModule.catch(() => {});
  const { keyring } = await loadKeyring(config);
  const database = await openDatabase(config.database);
  let sandbox: Sandbox;
  try {
    const { startSandbox, sandboxDir } = await sandboxModule;
    sandbox = await startSandbox({ dir: sandboxDir(config.dataDir) });
  } catch (err) {
    await database.close();
    throw err;
  }
  const sandboxHosts = sandbox.allowListEntries().join(',');
  return {
    config: { ...config, mail: { ...config.mail, sandboxHosts } },
    // Only this process's context hears of the sandbox: its preset and newcomer password.
    overrides: { database, keyring, sandbox: sandboxMailOf(sandbox) },
    sandbox,
    async attach(ctx) {
      const repo = createSandboxAddressRepository(ctx.db, SANDBOX_PRESET_ID);
      await repo.followPorts({ smtp: sandbox.smtpPort, pop3: sandbox.pop3Port, imap: sandbox.imapPort });
      // New mail in a sandbox mailbox: poll the addresses reading it now, as IDLE would.
      sandbox.onDelivered((mailbox) => {
        void repo
          .byMailbox(mailbox)
          .then((rows) =>
            Promise.all(
              rows.map((r) => ctx.ingest.poller.requestCheck(r.workspaceId, r.id, r.incomingProtocol)),
            ),
          )
          .catch((err: unknown) => ctx.logger.warn({ err }, 'sandbox: could not wake the mail poller'));
      });
    },
    async seedDemo(ctx) {
      try {
        const { seedDemoWorkspace } = await import('./seed-demo-workspace.js');
        return await seedDemoWorkspace(ctx, sandbox);
      } catch (err) {
        // The real workspace works without the demo: say so and go on.
        ctx.logger.error({ err }, 'sandbox: could not seed the demo workspace');
        return null;
      }
    },
    async close() {
      await sandbox.close();
      await database.close();
    },
  };
}
