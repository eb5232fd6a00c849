import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/**
 * Typed decoder for the rows of a raw `execute(sql…)` (decision 0009): drizzle types them
 * `unknown`, and PGlite and node-postgres differ in small ways (a bigint as number or string).
 * The schema states what the query returns; a row that does not match is a bug and fails here,
 * naming the column, instead of travelling on as a wrongly typed value.
 */
export function rowDecoder<T extends TSchema>(name: string, schema: T) {
  const validator = Compile(schema);
  return (result: unknown): Static<T>[] => {
    const rows = (result as { rows?: unknown } | null)?.rows;
    if (!Array.isArray(rows)) throw new Error(`${name}: the query result has no rows array`);
    for (const [i, row] of rows.entries()) {
      if (!validator.Check(row)) {
        const [e] = validator.Errors(row);
        throw new Error(`${name}: row ${i} does not match (${e?.instancePath || '/'} ${e?.message ?? ''})`);
      }
    }
    return rows as Static<T>[];
  };
}
