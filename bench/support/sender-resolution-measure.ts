import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../src/context.js';
import { employees } from '../../src/db/schema/index.js';
import type { Actor } from '../../src/domain/actor.js';
import type { CapturedQuery, DatabaseLeg } from './database-legs.js';
import type { SeededWorkspace } from './sender-seed.js';
import { createRandom, repeatWithin, type Summary, summarize } from './stats.js';

export const RESOLUTIONS = 2_000;
const WARMUP = 100;
// Wall-time caps: at the goal (≤ 2 ms) 2,000 resolutions take seconds; a slow build stops early.
const WARMUP_BUDGET_MS = 5_000;
export const RESOLUTION_BUDGET_MS = 35_000;
const REPLAYS = 60;
const REPLAY_BUDGET_MS = 8_000;

export type SenderPreviewPath = AppContext['mailbox']['senders'];

export interface ResolutionResult {
  preview: Summary;
  /** `SELECT 1` through drizzle on the same connection: the cheapest round trip. */
  select1: Summary;
  /** One employee by primary key through drizzle. */
  pkLookup: Summary;
  /** Average addresses considered per resolution (choices + excluded). */
  candidatesPerResolution: number;
  /** True when the time budget ended the run before the requested count. */
  truncated: boolean;
}

/** Random (employee, project) pairs; the same every run. */
export function resolutionPairs(seeded: SeededWorkspace, n: number, seed = 7): Array<[string, string]> {
  const rnd = createRandom(seed);
  return Array.from({ length: n }, () => [rnd.pick(seeded.employeeIds), rnd.pick(seeded.projectIds)]);
}

export function benchActor(seeded: SeededWorkspace): Actor {
  return {
    workspaceId: seeded.workspaceId,
    employeeId: seeded.adminId,
    role: 'admin',
    name: 'Ada Admin',
    via: 'session',
  };
}

/**
 * The preview path of `GET /api/senders` below HTTP (the service the composition root
 * wires: data loading → resolveSender → describeDecision) for up to 2,000 random pairs,
 * interleaved with the two baselines, rotating the order every round, so that drift (GC,
 * JIT, other load) hits all three alike.
 */
export async function measureResolution(
  ctx: AppContext,
  seeded: SeededWorkspace,
  limits: { count: number; budgetMs: number } = { count: RESOLUTIONS, budgetMs: RESOLUTION_BUDGET_MS },
): Promise<ResolutionResult> {
  const db = ctx.db;
  const senders: SenderPreviewPath = ctx.mailbox.senders;
  const actor = benchActor(seeded);
  const pairs = resolutionPairs(seeded, WARMUP + RESOLUTIONS);

  let candidates = 0;
  const steps: Array<(pair: [string, string]) => Promise<unknown>> = [
    async ([employeeId, projectId]) => {
      const r = await senders.preview(actor, employeeId, projectId, 'en');
      candidates += r.decision.choices.length + r.decision.excluded.length;
    },
    () => db.execute(sql`select 1`),
    ([employeeId]) => db.select().from(employees).where(eq(employees.id, employeeId)),
  ];
  const samples: number[][] = [[], [], []];
  const round = async (pair: [string, string], i: number, keep: boolean) => {
    for (let k = 0; k < steps.length; k++) {
      const which = (i + k) % steps.length;
      const started = performance.now();
      await steps[which]!(pair);
      const elapsed = performance.now() - started;
      if (keep) samples[which]!.push(elapsed);
    }
  };
  await repeatWithin(WARMUP, WARMUP_BUDGET_MS, (i) => round(pairs[RESOLUTIONS + (i % WARMUP)]!, i, false));
  candidates = 0;
  const count = Math.min(limits.count, RESOLUTIONS);
  const done = await repeatWithin(count, limits.budgetMs, (i) => round(pairs[i]!, i, true));
  return {
    preview: summarize(samples[0]!),
    select1: summarize(samples[1]!),
    pkLookup: summarize(samples[2]!),
    candidatesPerResolution: candidates / Math.max(1, done),
    truncated: done < count,
  };
}

export interface StatementCost {
  query: CapturedQuery;
  /** The statement replayed alone on the raw driver (no ORM mapping). */
  replay: Summary;
  /** Server-side execution time from EXPLAIN ANALYZE (timing off), ms. */
  executionMs: number | null;
}

/**
 * Where the preview's time goes, whatever its implementation: the statements one preview
 * sends (captured at the driver), each replayed alone on the raw driver and explained.
 * What the preview costs beyond the sum of its replays is ORM mapping and the decision in JS.
 * Null when the leg cannot capture (PostgreSQL).
 */
export async function previewStatementCosts(
  ctx: AppContext,
  leg: DatabaseLeg,
  seeded: SeededWorkspace,
): Promise<StatementCost[] | null> {
  const [employeeId, projectId] = resolutionPairs(seeded, 1, 99)[0]!;
  const statements = await leg.capture(() =>
    ctx.mailbox.senders.preview(benchActor(seeded), employeeId, projectId, 'en'),
  );
  if (!statements) return null;
  const costs: StatementCost[] = [];
  for (const query of statements) {
    const xs: number[] = [];
    await repeatWithin(REPLAYS, REPLAY_BUDGET_MS / statements.length, async () => {
      xs.push(await leg.replay(query));
    });
    const plan = await leg.explain(query).catch(() => [] as string[]);
    const exec = plan.map((l) => /^Execution Time: ([\d.]+) ms/.exec(l)).find((m) => m);
    costs.push({ query, replay: summarize(xs), executionMs: exec ? Number(exec[1]) : null });
  }
  return costs;
}
