// Experiment (decision 0019), not used by the app: the main-thread side of pglite-thread.mjs.
// openPgliteWorker(dataDir) answers at once with an object shaped like the parts of PGlite that
// drizzle's pglite driver and src/db use (query, exec, transaction, listen, close); calls made
// before the database is open wait in the worker. `ready` settles when it is open.
import { Worker } from 'node:worker_threads';

const THREAD = new URL('./pglite-thread.mjs', import.meta.url);

export function openPgliteWorker(dataDir, thread = THREAD) {
  // execArgv: [] — flags of the main script (e.g. --input-type) do not apply to the thread.
  const worker = new Worker(thread, { workerData: { dataDir }, execArgv: [] });
  const pending = new Map();
  const listeners = new Map();
  let nextId = 1;
  let resolveReady;
  let rejectReady;
  const ready = new Promise((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  ready.catch(() => {});
  worker.on('error', (e) => {
    rejectReady(e);
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  });
  worker.on('message', (m) => {
    if (m.notify !== undefined) {
      for (const fn of listeners.get(m.notify) ?? []) fn(m.payload);
      return;
    }
    if (m.opened !== undefined) return resolveReady(m);
    if (m.openFailed) return rejectReady(toError(m.openFailed));
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (!m.ok) return p.reject(toError(m.error));
    const result = m.result;
    // Transferred bytea arrive as Uint8Array: make them Buffers again (no copy).
    const b = m.buffers;
    if (b)
      for (let i = 0; i < b.length; i += 2) {
        const row = result.rows[b[i]];
        const v = row[b[i + 1]];
        row[b[i + 1]] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      }
    p.resolve(result);
  });

  const call = (message) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });

  const optionsCache = new WeakMap();
  /** drizzle's query options: rowMode plus identity parsers (sent as OIDs; anything else is refused). */
  function wireOptions(options) {
    if (!options) return {};
    let wire = optionsCache.get(options);
    if (!wire) {
      const rawOids = [];
      for (const [oid, fn] of Object.entries(options.parsers ?? {})) {
        if (fn('x') !== 'x')
          throw new Error(`pglite worker: only identity parsers cross threads (oid ${oid})`);
        rawOids.push(Number(oid));
      }
      wire = { rowMode: options.rowMode, rawOids: rawOids.length ? rawOids : undefined };
      optionsCache.set(options, wire);
    }
    return wire;
  }

  const query = (tx) => (sql, params, options) =>
    call({ op: 'query', tx, sql, params, ...wireOptions(options) });
  const exec = (tx) => (sql) => call({ op: 'exec', tx, sql });

  return {
    worker,
    ready,
    query: query(undefined),
    exec: exec(undefined),
    async transaction(fn) {
      const tx = await call({ op: 'begin' });
      let closed = false;
      const handle = {
        query: query(tx),
        exec: exec(tx),
        async rollback() {
          closed = true;
          await call({ op: 'rollback', tx });
        },
        get closed() {
          return closed;
        },
      };
      let result;
      try {
        result = await fn(handle);
      } catch (e) {
        if (!closed) {
          closed = true;
          await call({ op: 'rollback', tx });
        }
        throw e;
      }
      if (!closed) {
        closed = true;
        await call({ op: 'commit', tx });
      }
      return result;
    },
    async listen(channel, fn) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(fn);
      await call({ op: 'listen', channel });
      return async () => listeners.get(channel).delete(fn);
    },
    async close() {
      await call({ op: 'close' });
      await worker.terminate();
    },
  };
}

function toError(shape) {
  const e = new Error(shape.message);
  Object.assign(e, shape);
  return e;
}
