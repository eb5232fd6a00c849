// Experiment (decision 0019): cost per statement of PGlite in a worker thread (pglite-proxy.mjs)
// against PGlite on the calling thread, same options, two copies of one data dir, alternating
// legs. Wall time and the CPU of the main thread (/proc/self/task/<pid>/stat) per operation.
//   node measure-roundtrip.mjs <pgdata to copy> [rounds]
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { openPgliteWorker } from './pglite-proxy.mjs';

const [source, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 3);
const BYTEA = 17;

/** As createPglite in src/db/open-database.ts. */
const inThread = (dataDir) =>
  PGlite.create({
    dataDir,
    extensions: { pg_trgm },
    serializers: { [BYTEA]: (v) => (typeof v === 'string' || v instanceof Uint8Array ? v : String(v)) },
    parsers: { [BYTEA]: (v) => Buffer.from(v.slice(2), 'hex') },
  });

/** drizzle's pglite driver passes this with every statement that has fields. */
const identity = (v) => v;
const DRIZZLE_OPTIONS = {
  rowMode: 'array',
  parsers: { 1114: identity, 1184: identity, 1186: identity, 1082: identity, 1231: identity },
};

const mainCpuMs = () => {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};

async function timed(fn) {
  const c0 = mainCpuMs();
  const p0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const p = process.cpuUsage(p0);
  return { wall: performance.now() - t0, cpu: mainCpuMs() - c0, all: (p.user + p.system) / 1000 };
}

async function seed(db) {
  await db.exec(`DROP TABLE IF EXISTS rt_kv; CREATE TABLE rt_kv (id int PRIMARY KEY, name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(), data bytea);
    INSERT INTO rt_kv (id, name) SELECT g, 'name ' || g FROM generate_series(1, 10000) g;
    DROP TABLE IF EXISTS rt_blob; CREATE TABLE rt_blob (id serial PRIMARY KEY, k int NOT NULL, data bytea NOT NULL);
    ANALYZE;`);
}

const READ = 'SELECT id, name, created_at FROM rt_kv WHERE id = $1';
const blob = Buffer.alloc(4096, 7);
const insertSql = (n) =>
  `INSERT INTO rt_blob (k, data) VALUES ${Array.from({ length: n }, (_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ')}`;
const INSERT100 = insertSql(100);

const ops = {
  'pk read ×2000, one at a time': async (db) => {
    for (let i = 0; i < 2000; i++) await db.query(READ, [1 + ((i * 7919) % 10000)], DRIZZLE_OPTIONS);
  },
  'pk read ×2000, 8 in flight': async (db) => {
    let next = 0;
    const lane = async () => {
      while (next < 2000) {
        const i = next++;
        await db.query(READ, [1 + ((i * 7919) % 10000)], DRIZZLE_OPTIONS);
      }
    };
    await Promise.all(Array.from({ length: 8 }, lane));
  },
  'insert 100 rows × 4 kB bytea, ×20': async (db) => {
    for (let b = 0; b < 20; b++) {
      const params = [];
      for (let i = 0; i < 100; i++) params.push(b, blob);
      await db.query(INSERT100, params);
    }
  },
  'read 100 rows × 4 kB bytea, ×20': async (db) => {
    for (let b = 0; b < 20; b++) {
      const r = await db.query('SELECT id, data FROM rt_blob WHERE k = $1', [b]);
      if (r.rows.length !== 100 || !Buffer.isBuffer(r.rows[0].data)) throw new Error('bad read');
    }
  },
  // Issue 10's shape: the next batch is parsed (here: 5 ms of main-thread work standing in for
  // POP3 parsing) while the previous batch is stored. In-thread the two take turns.
  'insert 100 rows × 4 kB bytea ×20, 5 ms main-thread work per batch overlapped': async (db) => {
    let storing = Promise.resolve();
    for (let b = 0; b < 20; b++) {
      const until = performance.now() + 5;
      while (performance.now() < until);
      await storing;
      const params = [];
      for (let i = 0; i < 100; i++) params.push(b, blob);
      storing = db.query(INSERT100, params);
    }
    await storing;
  },
  'transaction of 5 statements ×200': async (db) => {
    for (let i = 0; i < 200; i++)
      await db.transaction(async (tx) => {
        for (let j = 0; j < 4; j++) await tx.query(READ, [1 + ((i * 31 + j) % 10000)], DRIZZLE_OPTIONS);
        await tx.query('UPDATE rt_kv SET name = $2 WHERE id = $1', [1 + (i % 10000), `n${i}`]);
      });
  },
};

const dirs = [mkdtempSync(join(tmpdir(), 'pw-rt-a-')), mkdtempSync(join(tmpdir(), 'pw-rt-b-'))];
try {
  cpSync(source, dirs[0], { recursive: true });
  cpSync(source, dirs[1], { recursive: true });
  const legs = { thread: await inThread(dirs[0]), worker: openPgliteWorker(dirs[1]) };
  for (const db of Object.values(legs)) await seed(db);
  // warm-up: the same statements once on both (V8 tiers PGlite's WebAssembly up on first use)
  for (const db of Object.values(legs)) for (const op of Object.values(ops)) await op(db);
  const results = {};
  for (let r = 0; r < rounds; r++) {
    for (const [opName, op] of Object.entries(ops)) {
      for (const [legName, db] of r % 2 ? Object.entries(legs).reverse() : Object.entries(legs)) {
        if (opName.startsWith('insert')) await db.exec('DELETE FROM rt_blob');
        const s = await timed(() => op(db));
        const key = `${opName} | ${legName}`;
        results[key] ??= [];
        results[key].push(s);
      }
    }
  }
  for (const [key, samples] of Object.entries(results))
    console.log(
      `${key}: wall ${samples.map((s) => s.wall.toFixed(0)).join(' / ')} ms; main-thread CPU ${samples.map((s) => s.cpu).join(' / ')} ms; process CPU (all threads) ${samples.map((s) => s.all.toFixed(0)).join(' / ')} ms`,
    );
  await legs.thread.close();
  await legs.worker.close();
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
