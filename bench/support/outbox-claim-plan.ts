/**
 * The outbox claim's plan and time on PGlite in the outbox bench's state (decision 0008): the
 * warm-up's rows sent and analysed, then `CLAIM_PLAN_DUE` rows of one address queued after the
 * last ANALYZE, as a running deployment between two `maintain()` runs is. Prints EXPLAIN
 * (ANALYZE) of the claim as the worker sends it (its named statement, custom and generic plan)
 * and the median time of one claim, before and after a fresh ANALYZE. Every claim is rolled back.
 *
 *   node --import tsx bench/support/outbox-claim-plan.ts
 * (CLAIM_PLAN_DUE rows, over CLAIM_PLAN_ADDRESSES addresses; CLAIM_PLAN_TIMING=1: per-node times,
 * which inflate PGlite's execution time; CLAIM_PLAN_QUIET=1: the `===` summary lines only)
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { buildConfig } from '../../src/config/config.js';
import { createContext } from '../../src/context.js';
import { createOutboxRepository } from '../../src/db/repositories/outbox.repository.js';
import { generateKeyEntry, parseKeyring } from '../../src/security/keyring.js';
import { openPgliteLeg } from './database-legs.js';
import { enqueue, seed } from './outbox-workload.js';

const DUE = Number(process.env.CLAIM_PLAN_DUE ?? 1_000);
const ADDRESSES = Number(process.env.CLAIM_PLAN_ADDRESSES ?? 1);
const RUNS = 8;

const leg = await openPgliteLeg();
const config = buildConfig({ logLevel: 'warn', dataDir: '/nonexistent', allowedMailHosts: '127.0.0.1' });
const ctx = await createContext(config, {
  database: leg.database,
  keyring: parseKeyring(generateKeyEntry('plan')),
});
const s = await seed(ctx.db, ctx.secretBox, 2525, { addresses: ADDRESSES, perAddress: 2 });
const rows = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({
    addressId: s.addressIds[i % ADDRESSES]!,
    to: `${tag}${i}@example.com`,
    messageId: `<${tag}.${i}.${randomUUID()}@firma.example>`,
  }));
// The warm-up: 100 emails sent, then ANALYZE (the bench does the same).
await enqueue(ctx, s, rows(100, 'warm'));
await leg.replay({ text: `UPDATE outgoing_messages SET status = 'sent', sent_at = now()`, params: [] });
await leg.analyze();
for (let i = 0; i < DUE; i += 100) await enqueue(ctx, s, rows(Math.min(100, DUE - i), `due${i}-`));

// One claim through the repository creates the worker's named statement; its text is then read back.
const repo = createOutboxRepository(ctx.db);
const claimOnce = async () => {
  const started = performance.now();
  await leg.replay({ text: 'BEGIN', params: [] });
  const now = new Date(Date.now() + 1_000);
  await repo.claim(100, randomUUID(), now, 60_000, new Date(now.getTime() - 60_000), {
    cap: 64,
    held: [],
  });
  await leg.replay({ text: 'ROLLBACK', params: [] });
  return performance.now() - started;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async (label: string) => {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) ms.push(await claimOnce());
  console.log(
    `${label}: one claim ${median(ms).toFixed(1)} ms (median of ${RUNS}; ${ms.map((m) => m.toFixed(0)).join(' ')})`,
  );
};
// The worker's statement as PGlite keeps it, prepared again under another name with the same
// parameters so EXPLAIN can run it with a custom and with a generic plan (what the plan cache
// keeps after five executions).
const plan = async (label: string) => {
  const found = (await ctx.db.execute(
    sql.raw(`SELECT statement, parameter_types::text AS types FROM pg_prepared_statements
      WHERE statement LIKE '%FOR UPDATE OF o SKIP LOCKED%' LIMIT 1`),
  )) as unknown as { rows: Array<{ statement: string; types: string }> };
  const { statement, types } = found.rows[0]!;
  const now = new Date(Date.now() + 1_000);
  const args = [
    `'${now.toISOString()}'`,
    '100',
    `'${randomUUID()}'`,
    `'${new Date(now.getTime() + 60_000).toISOString()}'`,
    `'${new Date(now.getTime() - 60_000).toISOString()}'`,
    '64',
    `'[]'`,
  ].slice(0, types.split(',').length);
  await leg.replay({
    text: `PREPARE plan_claim(${types.replace(/^\{|\}$/g, '').replace(/"/g, '')}) AS ${statement}`,
    params: [],
  });
  for (const mode of ['force_custom_plan', 'force_generic_plan']) {
    await leg.replay({ text: 'BEGIN', params: [] });
    await leg.replay({ text: `SET LOCAL plan_cache_mode = ${mode}`, params: [] });
    const lines = await leg.explain(
      { text: `EXECUTE plan_claim(${args.join(', ')})`, params: [] },
      process.env.CLAIM_PLAN_TIMING === '1',
    );
    await leg.replay({ text: 'ROLLBACK', params: [] });
    // The deterministic figures (timings on a shared host are not): the whole claim's buffer
    // hits and the most loops of any plan node.
    const hits = /shared hit=(\d+)/.exec(lines.find((l) => l.includes('shared hit=')) ?? '')?.[1];
    const loops = Math.max(...lines.map((l) => Number(/loops=(\d+)/.exec(l)?.[1] ?? 0)));
    console.log(`=== ${label}, ${mode}: buffer hits ${hits}, most loops ${loops}`);
    if (process.env.CLAIM_PLAN_QUIET !== '1') console.log(`--- ${label}, ${mode}\n${lines.join('\n')}`);
  }
  await leg.replay({ text: 'DEALLOCATE plan_claim', params: [] });
};
await time('stale statistics (last ANALYZE before the rows were queued)');
await plan('stale');
// What the worker does (decision 0008): the claim says the statistics are behind, it refreshes them.
await leg.replay({ text: 'BEGIN', params: [] });
const probe = await repo.claimBatch(100, randomUUID(), new Date(Date.now() + 1_000), 60_000, new Date(), {
  cap: 64,
  held: [],
});
await leg.replay({ text: 'ROLLBACK', params: [] });
console.log(`=== the stale claim says statistics behind: ${probe.statisticsBehind}`);
if (probe.statisticsBehind) {
  const started = performance.now();
  await repo.refreshStatistics();
  console.log(`=== the worker's ANALYZE took ${(performance.now() - started).toFixed(0)} ms`);
  await plan("after the worker's refresh");
}
await leg.analyze();
await time('after ANALYZE');
await plan('after ANALYZE');
await leg.close();
