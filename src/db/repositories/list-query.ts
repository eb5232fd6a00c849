import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/** `ILIKE %q%` over the given columns, with LIKE wildcards in q escaped. */
export function searchFilter(q: string | undefined, columns: AnyPgColumn[]): SQL | undefined {
  if (!q) return undefined;
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const parts = columns.map((c) => sql`${c} ILIKE ${pattern}`);
  return sql`(${sql.join(parts, sql` OR `)})`;
}
