import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { buildConfig } from '../../src/config/config.js';
import { generateKeyEntry, parseKeyring } from '../../src/security/keyring.js';
import type { WorkerLoop } from '../../src/worker/worker.js';
import { importCompiled } from './compiled-app.js';
import { openPgliteLeg, openPostgresLeg } from './database-legs.js';
import { outcomeCounter } from './outbox-outcomes.js';
import { mimeOf, type Sink } from './outbox-sink.js';
import { countStatements, isEnqueueStatement, latencies, rowWrites, walBytes } from './outbox-statements.js';
import {
  ADDRESSES,
  EMAILS,
  ENQUEUE_BATCH,
  enqueue,
  enqueueMany,
  PASSWORD,
  PER_ADDRESS,
  seed,
  WARMUP,
} from './outbox-workload.js';
import { cpuMs, phaseProfile, postgresCpuMs } from './process-cpu.js';
import { atMost, type BenchOutcome, figure, ratioAtMost } from './report.js';
import { describeSummary, summarize } from './stats.js';

const IDLE_SAMPLES = 100;

/**
 * One database leg of the outbox benchmark: warm-up, the baseline, ours (enqueue and send), the
 * baseline again, enqueue → accepted when idle, and with OUTBOX_BENCH_SPLIT the two halves alone.
 */
export async function runLeg(
  kind: 'pglite' | 'postgres',
  sink: Sink,
  outcome: BenchOutcome,
  log: (line: string) => void,
  explain: boolean,
  pgUrl?: string,
): Promise<void> {
  const tag = `[${kind}]`;
  const leg = kind === 'pglite' ? await openPgliteLeg() : await openPostgresLeg(pgUrl!);
  const keyring = parseKeyring(generateKeyEntry('bench1'));
  const { createContext } = await importCompiled<typeof import('../../src/context.js')>('context.js');
  const { createWorkerLoops } =
    await importCompiled<typeof import('../../src/main/worker-loops.js')>('main/worker-loops.js');
  const { createWorker } =
    await importCompiled<typeof import('../../src/worker/worker.js')>('worker/worker.js');
  // The production log level: one line per recorded email is part of what the worker does.
  const config = buildConfig({ logLevel: 'info', dataDir: '/nonexistent', allowedMailHosts: '127.0.0.1' });
  const outcomes = outcomeCounter();
  const ctx = await createContext(config, {
    database: leg.database,
    keyring,
    logDestination: outcomes.stream,
  });
  const newWorker = () =>
    createWorker({
      logger: ctx.logger,
      // Only the outbox: housekeeping and test emails would only add noise.
      loops: createWorkerLoops(ctx).filter((l: WorkerLoop) => l.name === 'outbox'),
    });
  let worker = newWorker();
  // Raw nodemailer: one pooled transport per address, the same connections, the same sink.
  const transports = Array.from({ length: ADDRESSES }, () =>
    nodemailer.createTransport({
      pool: true,
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      ignoreTLS: true,
      maxConnections: PER_ADDRESS,
      maxMessages: Number.POSITIVE_INFINITY,
      auth: { user: 'bench', pass: PASSWORD },
    }),
  );
  const baseline = async (count: number, round: string) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const to = `${round}${i}@example.com`;
        return transports[i % ADDRESSES]!.sendMail({
          envelope: { from: `sender${i % ADDRESSES}@firma.example`, to: [to] },
          raw: mimeOf(`<${round}.${i}.${randomUUID()}@firma.example>`, to),
        });
      }),
    );
    const ms = performance.now() - started;
    lastCpu = { ms, cpu: cpuMs(process.cpuUsage(cpu)) };
    return ms;
  };
  let lastCpu = { ms: 0, cpu: 0 };
  try {
    // Profiling knob: try a schema change (an index dropped, a storage setting) without a migration.
    for (const st of (process.env.OUTBOX_BENCH_PRE_SQL ?? '').split(';').filter((x) => x.trim()))
      await ctx.db.execute(sql.raw(st));
    const s = await seed(ctx.db, ctx.secretBox, sink.port);
    await leg.analyze();
    worker.start();

    log(`${tag} warm-up: ${WARMUP} emails each way…`);
    await baseline(WARMUP, 'warm-base');
    await enqueueMany(ctx, s, WARMUP, 'warm');
    await outcomes.reach(WARMUP, 60_000);
    // A running PGlite deployment has statistics from its housekeeping (maintain()).
    await leg.analyze();

    log(`${tag} baseline: raw nodemailer pooled sending of ${EMAILS}…`);
    const baseBefore = await phaseProfile(`${kind}-baseline`, () => baseline(EMAILS, 'base1-'));
    const baseCpuBefore = lastCpu;

    log(`${tag} outbox: enqueue ${EMAILS} and send…`);
    let oursMs = 0;
    let enqueuedMs = 0;
    const walBefore = await walBytes(ctx.db);
    const oursCpu = process.cpuUsage();
    const pgCpu = kind === 'postgres' ? postgresCpuMs() : null;
    const statements = await countStatements(
      kind,
      (fn) => leg.capture(fn),
      async () => {
        await phaseProfile(`${kind}-outbox`, async () => {
          const oursStart = performance.now();
          const done = outcomes.reach(WARMUP + EMAILS, 100_000);
          await enqueueMany(ctx, s, EMAILS, 'e2e');
          enqueuedMs = performance.now() - oursStart;
          oursMs = (await done) - oursStart;
        });
      },
    );
    const oursCpuMs = cpuMs(process.cpuUsage(oursCpu));
    const pgCpuAfter = pgCpu === null ? null : postgresCpuMs();
    const wal = (await walBytes(ctx.db)) - walBefore;

    log(`${tag} baseline again (the load drifts)…`);
    const baseAfter = await baseline(EMAILS, 'base2-');
    const baseCpuAfter = lastCpu;
    const baseMs = (baseBefore + baseAfter) / 2;
    outcome.figures.push(
      figure({
        name: `${tag} ${EMAILS.toLocaleString('en')} emails, ${ADDRESSES} addresses: enqueue → all sent`,
        ours: oursMs,
        baseline: baseMs,
        baselineLabel: `raw nodemailer pool (${ADDRESSES}×${PER_ADDRESS} connections), same sink, same run (mean of a run before and after ours)`,
        goal: ratioAtMost(kind === 'postgres' ? 1 / 0.9 : 1 / 0.7),
      }),
    );
    const rate = (ms: number) => (EMAILS / (ms / 1000)).toFixed(0);
    log(
      `${tag} outbox ${oursMs.toFixed(0)} ms, baseline ${baseBefore.toFixed(0)} / ${baseAfter.toFixed(0)} ms`,
    );
    outcome.notes.push(
      `${tag} outbox ${rate(oursMs)} emails/s (enqueue done after ${(enqueuedMs / 1000).toFixed(2)} s, in transactions of ${ENQUEUE_BATCH}); raw nodemailer ${rate(baseBefore)} emails/s before, ${rate(baseAfter)} after; speed ratio ${(baseMs / oursMs).toFixed(2)}× (goal ≥ ${kind === 'postgres' ? '0.9' : '0.7'}×)`,
    );
    // Is the one Node thread (sink, client, worker, enqueue) busy, or waiting? CPU time of the
    // whole process (user + system) over wall time, and per email.
    const busy = (cpu: number, ms: number) =>
      `${((100 * cpu) / ms).toFixed(0)} % busy, ${((1000 * cpu) / EMAILS).toFixed(0)} µs CPU per email`;
    outcome.notes.push(
      `${tag} process CPU: outbox ${busy(oursCpuMs, oursMs)}; raw nodemailer ${busy(baseCpuBefore.cpu, baseCpuBefore.ms)} before, ${busy(baseCpuAfter.cpu, baseCpuAfter.ms)} after`,
    );
    if (pgCpu !== null && pgCpuAfter !== null)
      outcome.notes.push(
        `${tag} PostgreSQL server processes (all on this machine): ${((1000 * (pgCpuAfter - pgCpu)) / EMAILS).toFixed(0)} µs CPU per email during ours (the baseline uses none)`,
      );
    outcome.notes.push(
      `${tag} WAL written during ours: ${(wal / EMAILS).toFixed(0)} bytes per email${kind === 'postgres' ? ' (the whole server: other databases count too)' : ''}`,
    );
    const worker_ = [...statements].filter(([k]) => !isEnqueueStatement(k));
    const workerTotal = worker_.reduce((n, [, c]) => n + c, 0);
    outcome.notes.push(
      `${tag} worker SQL statements per email: ${(workerTotal / EMAILS).toFixed(3)} (${workerTotal} for ${EMAILS}${kind === 'pglite' ? ', outside transactions' : ''})`,
    );
    if (explain || process.env.OUTBOX_BENCH_SQL) {
      for (const [k, c] of worker_.sort((a, b) => b[1] - a[1]).slice(0, 12)) {
        const l = latencies.get(k);
        const ms = l ? summarize(l) : null;
        outcome.notes.push(
          `${tag}   ${String(c).padStart(6)}  ${k}${ms ? `  (round trip p50 ${ms.p50.toFixed(2)} / p95 ${ms.p95.toFixed(2)} ms)` : ''}`,
        );
      }
    }

    // Enqueue → accepted by the sink, one at a time (idle worker, connections warm).
    const samples: number[] = [];
    for (let i = 0; i < IDLE_SAMPLES; i++) {
      const messageId = `<idle.${i}.${randomUUID()}@firma.example>`;
      const accepted = sink.accepted(messageId);
      const started = performance.now();
      await enqueue(ctx, s, [
        { addressId: s.addressIds[i % ADDRESSES]!, to: `idle${i}@example.com`, messageId },
      ]);
      samples.push((await accepted) - started);
      await new Promise((r) => setTimeout(r, 5));
    }
    const idle = summarize(samples);
    outcome.figures.push(
      figure({ name: `${tag} enqueue → accepted, idle, p50`, ours: idle.p50, goal: atMost(20) }),
      figure({ name: `${tag} enqueue → accepted, idle, p99`, ours: idle.p99, goal: atMost(100) }),
    );
    outcome.notes.push(`${tag} enqueue → accepted (${IDLE_SAMPLES} emails): ${describeSummary(idle)}`);
    if (process.env.OUTBOX_BENCH_SPLIT) {
      // Diagnostics: the enqueue alone (worker stopped), then the worker alone on a full queue.
      await worker.stop();
      let cpu = process.cpuUsage();
      let at = performance.now();
      await enqueueMany(ctx, s, EMAILS, 'split');
      const enq = { ms: performance.now() - at, cpu: cpuMs(process.cpuUsage(cpu)) };
      const target = outcomes.sent() + EMAILS;
      worker = newWorker();
      cpu = process.cpuUsage();
      at = performance.now();
      const sentAt = await phaseProfile(`${kind}-worker-alone`, () => {
        worker.start();
        return outcomes.reach(target, 100_000);
      });
      const snd = { ms: sentAt - at, cpu: cpuMs(process.cpuUsage(cpu)) };
      const per = (x: { ms: number; cpu: number }) =>
        `${((1000 * x.ms) / EMAILS).toFixed(0)} µs wall, ${((1000 * x.cpu) / EMAILS).toFixed(0)} µs CPU per email`;
      outcome.notes.push(
        `${tag} split: enqueue alone ${per(enq)}; worker alone (queue full, connections opened) ${per(snd)}`,
      );
    }
    if (outcomes.other() > 0) outcome.notes.push(`${tag} ${outcomes.other()} emails ended other than sent`);
    if (process.env.OUTBOX_BENCH_SPLIT) outcome.notes.push(`${tag} ${await rowWrites(ctx.db)}`);
  } finally {
    for (const t of transports) t.close();
    await worker.stop();
    await ctx.close();
    await leg.close();
  }
}
