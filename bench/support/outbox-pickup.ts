import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle, Db } from '../../src/db/database.js';
import { openDatabase } from '../../src/db/open-database.js';
import { outgoingMessages, outgoingRecipients } from '../../src/db/schema/index.js';
import { generateKeyEntry, parseKeyring } from '../../src/security/keyring.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { importCompiled } from './compiled-app.js';
import type { Sink } from './outbox-sink.js';
import { mimeOf } from './outbox-sink.js';
import { seed } from './outbox-workload.js';
import { throwawayDatabase } from './postgres-url.js';
import { atMost, type BenchOutcome, figure } from './report.js';
import { serveCommand } from './serve-command.js';
import { spawnNode } from './server-process.js';
import { describeSummary, summarize } from './stats.js';

const PICKUP_SAMPLES = 40;

/** Commit → claim by a worker in another process (compiled `mailroom serve --role worker`). */
export async function measurePickup(
  url: string,
  sink: Sink,
  outcome: BenchOutcome,
  log: (line: string) => void,
) {
  const db = await throwawayDatabase(url);
  const key = generateKeyEntry('pick1');
  let handle: DatabaseHandle | null = null;
  const child = spawnNode(serveCommand('--role', 'worker'), {
    DATABASE_URL: db.url,
    MAILROOM_SECRET_KEY: key,
    MAILROOM_ALLOWED_MAIL_HOSTS: '127.0.0.1',
    MAILROOM_LOG_LEVEL: 'info',
  });
  try {
    await child.waitFor(/mailroom worker is running/, 60_000);
    handle = await openDatabase({ kind: 'postgres', url: db.url, poolSize: 2 }, { migrate: false });
    const { createOutboxWakeup } =
      await importCompiled<typeof import('../../src/db/outbox-wakeup.js')>('db/outbox-wakeup.js');
    const wakeup = createOutboxWakeup('postgres');
    const s = await seed(handle.db, createSecretBox(parseKeyring(key)), sink.port);
    await installClaimClock(handle.db);
    const offset = await serverClockOffset(handle.db);
    // The first samples warm the worker's pooled connection and are left out.
    log('[postgres] commit → pick-up in another process…');
    const samples: number[] = [];
    for (let i = 0; i < PICKUP_SAMPLES + 3; i++) {
      const messageId = `<pick.${i}.${randomUUID()}@firma.example>`;
      const accepted = sink.accepted(messageId);
      const mime = mimeOf(messageId, `p${i}@example.com`);
      const id = await handle.db.transaction(async (tx) => {
        const [m] = await tx
          .insert(outgoingMessages)
          .values({
            workspaceId: s.workspaceId,
            taskId: s.taskId,
            commentId: s.commentId,
            addressId: s.addressIds[0]!,
            messageId,
            mime,
            size: mime.length,
          })
          .returning({ id: outgoingMessages.id });
        await tx
          .insert(outgoingRecipients)
          .values({ workspaceId: s.workspaceId, outgoingMessageId: m!.id, email: `p${i}@example.com` });
        await wakeup.queued(tx);
        return m!.id;
      });
      // The commit has returned: from here on any worker may see the row.
      const committedAt = performance.now();
      await accepted;
      const claimed = await claimTime(handle.db, id);
      if (i >= 3 && claimed !== null) samples.push(Math.max(0, claimed - offset - committedAt));
      await new Promise((r) => setTimeout(r, 20));
    }
    const pick = summarize(samples);
    outcome.figures.push(
      figure({ name: '[postgres] commit → pick-up, other process, p50', ours: pick.p50, goal: atMost(5) }),
    );
    outcome.notes.push(
      `[postgres] commit → pick-up by a separate worker process (LISTEN/NOTIFY): ${describeSummary(pick)}`,
    );
  } finally {
    await child.stop();
    await handle?.close();
    await db.drop();
  }
}

/**
 * The server clock minus this process's `performance.now()`, in ms: the median of a few
 * bracketed readings (the reading is taken half-way through the round trip), so the claim
 * instants the server records compare with ours without wall-clock drift.
 */
export async function serverClockOffset(db: Db): Promise<number> {
  const offsets: number[] = [];
  for (let i = 0; i < 15; i++) {
    const before = performance.now();
    const r = await db.execute(sql`SELECT (extract(epoch from clock_timestamp()) * 1000)::float8 AS ms`);
    const after = performance.now();
    const ms = Number((r as unknown as { rows: { ms: number }[] }).rows[0]!.ms);
    offsets.push(ms - (before + after) / 2);
  }
  return summarize(offsets).p50;
}

/** Records the instant (server clock, same machine) each row is claimed: bench database only. */
export async function installClaimClock(db: Db): Promise<void> {
  await db.execute(sql`CREATE TABLE bench_claims (id uuid PRIMARY KEY, at timestamptz NOT NULL)`);
  await db.execute(
    sql.raw(`CREATE FUNCTION bench_claim() RETURNS trigger AS $$
    BEGIN
      IF NEW.status = 'sending' AND OLD.status <> 'sending' THEN
        INSERT INTO bench_claims VALUES (NEW.id, clock_timestamp()) ON CONFLICT DO NOTHING;
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`),
  );
  await db.execute(
    sql`CREATE TRIGGER bench_claim BEFORE UPDATE ON outgoing_messages FOR EACH ROW EXECUTE FUNCTION bench_claim()`,
  );
}

export async function claimTime(db: Db, id: string): Promise<number | null> {
  const r = await db.execute(
    sql`SELECT (extract(epoch from at) * 1000)::float8 AS ms FROM bench_claims WHERE id = ${id}`,
  );
  const ms = (r as unknown as { rows: { ms: number }[] }).rows[0]?.ms;
  return ms === undefined ? null : Number(ms);
}
