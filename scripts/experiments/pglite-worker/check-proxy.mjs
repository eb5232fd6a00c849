// Experiment (decision 0019): the semantics the app relies on, checked on the worker proxy.
//   node scripts/experiments/pglite-worker/check-proxy.mjs <pgdata to copy>
// Exits 1 on the first failed check. Not part of the test suite (the prototype is not in the app).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPgliteWorker } from './pglite-proxy.mjs';

const dir = mkdtempSync(join(tmpdir(), 'pw-check-'));
cpSync(process.argv[2], dir, { recursive: true });
const db = openPgliteWorker(dir);
try {
  let seen = 0;
  await db.listen('pw_check', () => seen++);
  await db.query("select pg_notify('pw_check', 'a')");
  assert.equal(seen, 1, 'a NOTIFY reaches the listener before the statement answers');
  await db.transaction(async (tx) => {
    await tx.query("select pg_notify('pw_check', 'b')");
    assert.equal(seen, 1, 'nothing is delivered before commit');
  });
  assert.equal(seen, 2, 'delivered before the committing await returns');
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.query("select pg_notify('pw_check', 'c')");
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(seen, 2, 'a rolled-back transaction notifies nothing');

  await db.exec('CREATE TEMP TABLE pw_t (id int PRIMARY KEY, data bytea, at timestamptz DEFAULT now())');
  const bytes = Buffer.from([0, 1, 2, 255]);
  await db.query('INSERT INTO pw_t (id, data) VALUES ($1, $2)', [1, bytes]);
  const row = (await db.query('SELECT data, at FROM pw_t WHERE id = 1')).rows[0];
  assert.ok(Buffer.isBuffer(row.data) && row.data.equals(bytes), 'bytea round trip as a Buffer');
  assert.ok(row.at instanceof Date, 'timestamptz arrives as a Date');
  assert.equal(bytes.length, 4, "the caller's Buffer is not detached (parameters are copied)");
  const raw = await db.query('SELECT at FROM pw_t', [], { rowMode: 'array', parsers: { 1184: (v) => v } });
  assert.equal(typeof raw.rows[0][0], 'string', "drizzle's identity parsers apply in the thread");

  const dup = await db.query('INSERT INTO pw_t (id) VALUES (1)').catch((e) => e);
  assert.equal(dup.code, '23505');
  assert.equal(dup.constraint, 'pw_t_pkey', 'the constraint name crosses the thread');

  const order = [];
  const open = db.transaction(async (tx) => {
    await tx.query('UPDATE pw_t SET data = NULL WHERE id = 1');
    await new Promise((r) => setTimeout(r, 50));
    order.push('tx');
  });
  await new Promise((r) => setTimeout(r, 10));
  await db.query('SELECT 1');
  order.push('outside');
  await open;
  assert.deepEqual(order, ['tx', 'outside'], 'a statement from outside waits for the open transaction');

  await db.transaction(async (tx) => {
    await tx.query('UPDATE pw_t SET data = $1 WHERE id = 1', [bytes]);
    await tx.rollback();
  });
  const after = (await db.query('SELECT data FROM pw_t WHERE id = 1')).rows[0];
  assert.equal(after.data, null, 'an explicit rollback undoes the transaction');
  console.log('all checks passed');
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
