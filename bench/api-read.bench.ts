import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_EXTENSIONS } from '../src/db/open-database.js';
import { generateKeyEntry } from '../src/security/keyring.js';
import { ensureBuilt } from './support/build-check.js';
import { describeLoad, type LoadResult, loadAt } from './support/load.js';
import { benchPostgresUrl, throwawayDatabase } from './support/postgres-url.js';
import {
  type Benchmark,
  type BenchOptions,
  type BenchOutcome,
  figure,
  type GoalCheck,
} from './support/report.js';
import { type MailroomServer, signIn, spawnNode, startMailroom } from './support/server-process.js';

const RATE = 500;
const P99_GOAL_MS = 20;
const EMPLOYEES = 300;
const MEASURE_S = 5;
const WARMUP_S = 2;
const SATURATE_S = 3;
const LIST = '/api/employees?limit=50';

/** p99 within the goal, at the asked rate (5% slack for autocannon's ramp), with no failed request. */
const heldRate =
  (load: LoadResult): GoalCheck =>
  (f) => ({
    text: `≤ ${P99_GOAL_MS} ms at ${RATE}/s`,
    pass: f.ours <= P99_GOAL_MS && load.rate >= RATE * 0.95 && load.failures === 0,
  });

const BARE_FASTIFY = `
const app = require('fastify')({ logger: false });
app.get('/bare', async () => ({ ok: true }));
app.listen({ host: '127.0.0.1', port: 0 }).then((a) => console.log('listening ' + a));
`;

/**
 * Issue goal: "list reads (GET /api/employees?limit=50 with 300 employees) hold 500
 * requests/s with p99 ≤ 20 ms on both databases, measured with autocannon against /healthz of
 * the same process". The server is the built `mailroom serve` in its own process (as
 * `npm start` runs it), signed in with a session cookie; autocannon runs here at a fixed rate
 * (coordinated omission corrected). Baselines: /healthz of the same process, and a bare
 * Fastify route in a process of its own. Also the unthrottled rate the list reaches.
 */
const apiReadBench: Benchmark = {
  name: 'api-read',
  title: `API read latency: ${LIST} with ${EMPLOYEES} employees at ${RATE} req/s (autocannon)`,
  timeoutMs: 120_000,
  typicalMs: 55_000,
  async run(options) {
    const { outcome } = options;
    ensureBuilt(outcome, options.log);

    options.log('bare Fastify route…');
    const bare = spawnNode(['-e', BARE_FASTIFY], {});
    let bareLoad: LoadResult;
    try {
      const [, at] = await bare.waitFor(/listening (http:\/\/\S+)/);
      await loadAt({ url: `${at}/bare`, rate: RATE, durationS: WARMUP_S });
      bareLoad = await loadAt({ url: `${at}/bare`, rate: RATE, durationS: MEASURE_S });
    } finally {
      await bare.stop();
    }
    outcome.notes.push(`bare Fastify route: ${describeLoad(bareLoad)}`);

    await pgliteLeg(outcome, options, bareLoad);
    const pg = await benchPostgresUrl();
    if ('missing' in pg) outcome.notes.push(`PostgreSQL leg skipped: ${pg.missing}`);
    else await postgresLeg(pg.url, outcome, options, bareLoad);
    return outcome;
  },
};
export default apiReadBench;

async function pgliteLeg(outcome: BenchOutcome, options: BenchOptions, bare: LoadResult) {
  const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-bench-api-'));
  const env = { MAILROOM_DATA_DIR: dataDir, MAILROOM_SANDBOX: 'off' };
  try {
    options.log('[pglite] first start and seeding…');
    let server = await startMailroom(env);
    const admin = server.admin;
    try {
      if (!admin) throw new Error(`no first-start login printed:\n${server.output()}`);
      await seedEmployees(server, admin);
    } finally {
      await server.stop();
    }
    // PGlite has no autovacuum: the worker's housekeeping runs ANALYZE 30 s after start and
    // every 10 minutes. Do it now, on the closed data dir, so the figure is the steady state.
    const db = await PGlite.create({ dataDir: `${dataDir}/pgdata`, extensions: PGLITE_EXTENSIONS });
    await db.exec('ANALYZE');
    await db.close();
    server = await startMailroom(env);
    try {
      await measure('pglite', server, admin!, outcome, options, bare);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postgresLeg(url: string, outcome: BenchOutcome, options: BenchOptions, bare: LoadResult) {
  const database = await throwawayDatabase(url);
  try {
    const env = {
      DATABASE_URL: database.url,
      MAILROOM_SECRET_KEY: generateKeyEntry('bench'),
      MAILROOM_DATA_DIR: mkdtempSync(join(tmpdir(), 'mailroom-bench-api-pg-')),
    };
    options.log('[postgres] start and seeding…');
    const server = await startMailroom(env);
    try {
      if (!server.admin) throw new Error(`no first-start login printed:\n${server.output()}`);
      await seedEmployees(server, server.admin);
      const pg = await import('pg');
      const side = new pg.default.Client({ connectionString: database.url });
      await side.connect();
      await side.query('ANALYZE'); // what autovacuum does within a minute of the load
      await side.end();
      await measure('postgres', server, server.admin, outcome, options, bare);
    } finally {
      await server.stop();
      rmSync(env.MAILROOM_DATA_DIR, { recursive: true, force: true });
    }
  } finally {
    await database.drop();
  }
}

/** Creates employees up to EMPLOYEES (the admin is the first) through the API, 4 at a time. */
async function seedEmployees(server: MailroomServer, admin: { email: string; password: string }) {
  const api = await signIn(server.url, admin.email, admin.password);
  let next = 1;
  const worker = async () => {
    while (next < EMPLOYEES) {
      const i = next++;
      const res = await api.request('POST', '/api/employees', {
        name: `Pracownik ${String(i).padStart(3, '0')} Benchmarkowy`,
        email: `employee${i}@bench.example`,
        signatureText: `Pracownik ${i}\nDział ${i % 7}\ntel. +48 600 000 ${String(i).padStart(3, '0')}`,
      });
      if (res.status !== 200 && res.status !== 201) {
        throw new Error(`creating employee ${i}: ${res.status} ${JSON.stringify(res.json)}`);
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

async function measure(
  kind: 'pglite' | 'postgres',
  server: MailroomServer,
  admin: { email: string; password: string },
  outcome: BenchOutcome,
  options: BenchOptions,
  bare: LoadResult,
) {
  const api = await signIn(server.url, admin.email, admin.password);
  const headers = { cookie: api.cookie };
  const first = await api.request('GET', LIST);
  const page = first.json as { items: unknown[]; total: number };
  if (first.status !== 200 || page.items.length !== 50 || page.total !== EMPLOYEES) {
    throw new Error(
      `[${kind}] unexpected list page: ${first.status} ${page.items?.length} items of ${page.total}`,
    );
  }
  options.log(`[${kind}] warm-up, then ${MEASURE_S} s each at ${RATE}/s…`);
  await loadAt({ url: `${server.url}${LIST}`, rate: RATE, durationS: WARMUP_S, headers });
  const healthz = await loadAt({ url: `${server.url}/healthz`, rate: RATE, durationS: MEASURE_S });
  const list = await loadAt({ url: `${server.url}${LIST}`, rate: RATE, durationS: MEASURE_S, headers });
  options.log(`[${kind}] unthrottled for ${SATURATE_S} s…`);
  const saturated = await loadAt({
    url: `${server.url}${LIST}`,
    rate: 0,
    durationS: SATURATE_S,
    headers,
  });
  const rss = server.memoryMb();
  // Printed as measured too: on a busy machine a later leg can hit the time limit, and the
  // figures of this one would otherwise be lost with it.
  options.log(`[${kind}] list ${describeLoad(list)}; /healthz ${describeLoad(healthz)}`);
  outcome.figures.push(
    figure({
      name: `[${kind}] ${LIST} p99 at ${RATE}/s vs /healthz of the same process`,
      ours: list.p99,
      baseline: healthz.p99,
      baselineLabel: `/healthz of the same process at ${RATE}/s (autocannon, 10 connections, ${MEASURE_S} s)`,
      goal: heldRate(list),
    }),
    figure({
      name: `[${kind}] ${LIST} p99 at ${RATE}/s vs a bare Fastify route`,
      ours: list.p99,
      baseline: bare.p99,
      baselineLabel: `a bare Fastify route ({ ok: true }) in its own process at ${RATE}/s`,
    }),
    figure({
      name: `[${kind}] ${LIST} p50 at ${RATE}/s`,
      ours: list.p50,
      baseline: healthz.p50,
    }),
  );
  outcome.notes.push(
    `[${kind}] list:    ${describeLoad(list)}`,
    `[${kind}] healthz: ${describeLoad(healthz)}`,
    `[${kind}] unthrottled list (10 connections): ${describeLoad(saturated)}`,
    `[${kind}] server RSS after the runs: ${rss.rss.toFixed(0)} MB (peak ${rss.peak.toFixed(0)} MB)`,
  );
}
