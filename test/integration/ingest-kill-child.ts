/**
 * The poller as a separate process for the kill -9 tests (test/integration/ingest-kill.test.ts):
 * `setup <dataDir> <port>` creates a workspace and a POP3 address and runs its first sync;
 * `poll <dataDir>` polls that address once and prints the stored remote ids.
 * Each prints one JSON line and exits; the parent kills it with SIGKILL mid-session.
 */
import { writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { buildConfig } from '../../src/config/config.js';
import { createContext } from '../../src/context.js';
import { createWorkspaceWithAdmin } from '../../src/services/auth/bootstrap.js';
import { pollOnce, pop3Address } from '../helpers/ingest-fixtures.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';

const [mode, dataDir, port] = process.argv.slice(2);
const say = (v: unknown) => writeSync(1, `${JSON.stringify(v)}\n`);
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

const config = buildConfig({ dataDir: dataDir as string, logLevel: 'silent', allowedMailHosts: '127.0.0.1' });
const ctx = await createContext(config, {
  logDestination: new Writable({ write: (_c, _e, cb) => cb() }),
  mailbox: { resolver: createLoopbackResolver() },
});
try {
  if (mode === 'setup') {
    const r = await createWorkspaceWithAdmin(
      { workspaces: ctx.repos.workspaces, employees: ctx.repos.employees, transaction: ctx.transaction },
      {
        workspaceName: 'Kill',
        adminEmail: 'kill@example.com',
        password: 'kill password 123',
        adminName: 'K',
      },
    );
    const id = await pop3Address(ctx, r.workspace.id, Number(port));
    await pollOnce(ctx, r.workspace.id, id);
    say({ ok: true });
  } else {
    const [row] = rowsOf<{ id: string; workspace_id: string }>(
      await ctx.db.execute(sql`SELECT id, workspace_id FROM email_addresses LIMIT 1`),
    );
    if (!row) throw new Error('no address');
    if (mode === 'poll') {
      say({ polling: true });
      // A lease left by a killed process must have expired first: simulate the wait.
      await ctx.db.execute(sql`UPDATE mailbox_sync_state SET lease_until = now() - interval '1 second'`);
      await pollOnce(ctx, row.workspace_id, row.id);
      const rows = rowsOf<{ remote_uid: string }>(
        await ctx.db.execute(sql`SELECT remote_uid FROM inbound_messages ORDER BY remote_uid`),
      );
      say({ ok: true, uids: rows.map((r) => r.remote_uid) });
    }
  }
} finally {
  await ctx.close();
}
