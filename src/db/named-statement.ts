import { type messages, type PGlite, protocol } from '@electric-sql/pglite';
import { fillPlaceholders } from 'drizzle-orm';
import type { DbOrTx } from './database.js';

/** A drizzle query that can be prepared (placeholders for every value) and rendered once. */
interface PreparableQuery {
  toSQL(): { sql: string; params: unknown[] };
  prepare(name: string): { execute(values?: Record<string, unknown>): Promise<unknown> };
}

/**
 * A read-only statement returning ONE row with ONE text column (e.g. a `jsonPageQuery`),
 * parsed and planned by the database once and then only bound and executed (issue 12 item 3).
 * Values are bound as parameters, never written into the SQL.
 */
export interface NamedStatement {
  /** The one text value of the one row (null when the statement answered no row or NULL). */
  text(values: Record<string, string | number | null>): Promise<string | null>;
}

/** The parts of PGlite this uses: its own query path takes the same two locks in this order. */
type PgliteClient = Pick<PGlite, 'execProtocolStream' | '_runExclusiveTransaction' | '_runExclusiveQuery'>;

/** drizzle's PGlite client, or null for another driver (node-postgres). */
function pgliteClientOf(db: DbOrTx): PgliteClient | null {
  const client = (db as { $client?: Partial<PgliteClient> }).$client;
  return client &&
    typeof client.execProtocolStream === 'function' &&
    typeof client._runExclusiveQuery === 'function' &&
    typeof client._runExclusiveTransaction === 'function'
    ? (client as PgliteClient)
    : null;
}

/**
 * On PostgreSQL (node-postgres) this is drizzle's `.prepare(name)`: a named statement, parsed
 * and planned once per pooled connection.
 *
 * On PGlite, drizzle's `.prepare(name)` ignores the name: every execution is PGlite `query()`,
 * which sends Parse (the unnamed statement), Describe, Bind, Describe, Execute, Sync as six
 * calls into the WASM backend, plans the statement again each time and copies PGlite's whole
 * parser table to decode the result. Here the statement is parsed once under `name` (PostgreSQL
 * keeps it for the session: PGlite is one session for the life of the process), and each
 * execution is one call carrying Bind + Execute + Sync; after its first executions PostgreSQL's
 * plan cache keeps a generic plan, so planning stops too. It takes PGlite's transaction and
 * query locks like `query()` does, so it never runs inside someone else's transaction.
 */
export function namedStatement(db: DbOrTx, name: string, query: PreparableQuery): NamedStatement {
  const client = pgliteClientOf(db);
  if (!client) {
    const prepared = query.prepare(name);
    return {
      async text(values) {
        const rows = (await prepared.execute(values)) as Record<string, unknown>[];
        const row = rows[0];
        if (!row) return null;
        const value = Object.values(row)[0];
        return value == null ? null : String(value);
      },
    };
  }
  const { sql: text, params } = query.toSQL();
  const run = pgliteNamed(client, name, text);
  return { text: (values) => run(fillPlaceholders(params, values)) };
}

/**
 * A raw statement under a name, for writes the query builder cannot express (data-modifying
 * CTEs): `text` is a constant with `$1`, `$2`… for the values (never built from values), and it
 * answers ONE row with ONE text column (e.g. a `json_agg(…)::text` of what it changed). Parsed
 * once per connection: on PostgreSQL by node-postgres (`{ name, text, values }`, one parse per
 * pooled connection), on PGlite as `namedStatement` does. Runs outside any transaction, in its
 * own (like `db.execute` on the pool).
 */
export function namedRawStatement(
  db: DbOrTx,
  name: string,
  text: string,
): { text(values: ReadonlyArray<string | number | null>): Promise<string | null> } {
  const client = pgliteClientOf(db);
  if (client) {
    const run = pgliteNamed(client, name, text);
    return { text: (values) => run(values) };
  }
  const pool = (db as { $client?: { query?: unknown } }).$client as {
    query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
  };
  if (typeof pool?.query !== 'function') throw new Error('namedRawStatement: no driver client');
  return {
    async text(values) {
      const { rows } = await pool.query({ name, text, values: values.map(bindValue) });
      const row = rows[0];
      if (!row) return null;
      const value = Object.values(row)[0];
      return value == null ? null : String(value);
    },
  };
}

/**
 * Statements parsed per PGlite instance (one session): several users of one name (e.g. two
 * repositories over the same database) share its parse; one name never stands for two texts.
 */
const parsedOn = new WeakMap<PgliteClient, Map<string, { text: string; parsed: boolean }>>();

/** PGlite: parse once under `name`, then one Bind + Execute + Sync call per run. */
function pgliteNamed(client: PgliteClient, name: string, text: string) {
  const names = parsedOn.get(client) ?? new Map<string, { text: string; parsed: boolean }>();
  parsedOn.set(client, names);
  const state = names.get(name) ?? { text, parsed: false };
  if (state.text !== text) throw new Error(`named statement ${name} already stands for another text`);
  names.set(name, state);
  const parse = async () => {
    // Parse + Sync: the statement is kept under its name until the session ends.
    await client.execProtocolStream(
      concat([protocol.serialize.parse({ name, text }), protocol.serialize.sync()]),
    );
    state.parsed = true;
  };
  const run = async (values: readonly unknown[]) => {
    const message = concat([
      protocol.serialize.bind({ statement: name, values: values.map(bindValue) }),
      protocol.serialize.execute({}),
      protocol.serialize.sync(),
    ]);
    // Parsed messages only (execProtocol would also copy the raw bytes); notifications in the
    // answer reach PGlite's listeners as with query().
    const messages = await client.execProtocolStream(message);
    const row = messages.find((m): m is messages.DataRowMessage => m.name === 'dataRow');
    return row?.fields[0] ?? null;
  };
  return (values: readonly unknown[]): Promise<string | null> =>
    client._runExclusiveTransaction(() =>
      client._runExclusiveQuery(async () => {
        if (!state.parsed) await parse();
        try {
          return await run(values);
        } catch (e) {
          // 26000 invalid_sql_statement_name: the statement is gone (e.g. DEALLOCATE ALL or
          // DISCARD ALL ran): parse it again, once.
          if ((e as { code?: string }).code !== '26000') throw e;
          await parse();
          return await run(values);
        }
      }),
    );
}

/** Text-format parameters; the server infers each one's type from the statement. */
function bindValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new TypeError(`namedStatement: unsupported parameter ${typeof v}`);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
