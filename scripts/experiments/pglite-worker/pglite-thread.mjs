// Experiment (decision 0019), not used by the app: a worker_threads Worker that owns one PGlite
// instance, opened with the options of src/db/open-database.ts `createPglite` (pg_trgm, the fast
// bytea serializer and parser), and answers the proxy in pglite-proxy.mjs over postMessage.
// Operations: query, exec, begin/commit/rollback (PGlite's own transaction() underneath, so
// statements of other callers wait while one is open, as in-thread), listen, close.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

const BYTEA = 17;
/** bytea out: a Buffer that owns its ArrayBuffer, so the answer can transfer it instead of copying. */
const parseBytea = (v) => {
  const hex = v.slice(2);
  const out = Buffer.allocUnsafeSlow(hex.length >> 1);
  out.write(hex, 'hex');
  return out;
};
/** bytea in: bytes go as a binary parameter (as createPglite does). */
const serializeBytea = (v) => (typeof v === 'string' || v instanceof Uint8Array ? v : String(v));

const port = parentPort;
const identity = (v) => v;
const parserSets = new Map();
/** drizzle passes identity parsers for some types (dates, intervals): the proxy sends their OIDs. */
function queryOptions(rowMode, rawOids) {
  if (!rowMode && !rawOids) return undefined;
  const key = `${rowMode ?? ''}:${rawOids?.join(',') ?? ''}`;
  let options = parserSets.get(key);
  if (!options) {
    const parsers = {};
    for (const oid of rawOids ?? []) parsers[oid] = identity;
    options = { ...(rowMode ? { rowMode } : {}), parsers };
    parserSets.set(key, options);
  }
  return options;
}

/** Transfer the bytea Buffers of an answer (each owns its ArrayBuffer) and say where they are. */
function collectBuffers(rows) {
  const transfer = [];
  const where = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    for (const key in row) {
      const v = row[key];
      if (v instanceof Uint8Array && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) {
        transfer.push(v.buffer);
        where.push(i, key);
      }
    }
  }
  return { transfer, where };
}

function errorShape(e) {
  const out = { name: e?.name ?? 'Error', message: String(e?.message ?? e) };
  for (const k of [
    'code',
    'constraint',
    'detail',
    'severity',
    'table',
    'column',
    'schema',
    'hint',
    'position',
  ])
    if (e && e[k] !== undefined) out[k] = e[k];
  return out;
}

const startedAt = performance.now();
const pgReady = PGlite.create({
  dataDir: workerData.dataDir,
  extensions: { pg_trgm },
  serializers: { [BYTEA]: serializeBytea },
  parsers: { [BYTEA]: parseBytea },
});
pgReady.then(
  () =>
    port.postMessage({
      opened: performance.now() - startedAt,
      // absolute times (ms since the epoch): when this thread's module ran, when PGlite was open
      startedAt: performance.timeOrigin + startedAt,
      openedAt: performance.timeOrigin + performance.now(),
    }),
  (e) => port.postMessage({ openFailed: errorShape(e) }),
);

const txs = new Map();
let nextTx = 1;

function answer(id, result) {
  if (result && Array.isArray(result.rows)) {
    const { transfer, where } = collectBuffers(result.rows);
    const plain = { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
    port.postMessage({ id, ok: true, result: plain, buffers: where }, transfer);
  } else port.postMessage({ id, ok: true, result });
}
const fail = (id, e) => port.postMessage({ id, ok: false, error: errorShape(e) });

async function handle(m) {
  const pg = await pgReady;
  switch (m.op) {
    case 'query': {
      const target = m.tx ? txs.get(m.tx).tx : pg;
      return target.query(m.sql, m.params ?? [], queryOptions(m.rowMode, m.rawOids));
    }
    case 'exec': {
      const target = m.tx ? txs.get(m.tx).tx : pg;
      const results = await target.exec(m.sql);
      return results.map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows }));
    }
    case 'begin': {
      const txId = nextTx++;
      return new Promise((resolveBegin, rejectBegin) => {
        const entry = {};
        const done = pg.transaction((tx) =>
          new Promise((finish) => {
            entry.tx = tx;
            entry.finish = finish;
            txs.set(txId, entry);
            resolveBegin(txId);
          }).then(async (outcome) => {
            if (outcome === 'rollback') await tx.rollback();
          }),
        );
        entry.done = done;
        done.catch(rejectBegin); // BEGIN itself failed (resolveBegin not called yet)
      });
    }
    case 'commit':
    case 'rollback': {
      const entry = txs.get(m.tx);
      txs.delete(m.tx);
      entry.finish(m.op);
      await entry.done;
      return null;
    }
    case 'listen':
      await pg.listen(m.channel, (payload) => port.postMessage({ notify: m.channel, payload }));
      return null;
    case 'close':
      await pg.close();
      return null;
    default:
      throw new Error(`unknown op ${m.op}`);
  }
}

port.on('message', (m) => {
  handle(m).then(
    (result) => answer(m.id, result),
    (e) => fail(m.id, e),
  );
});
