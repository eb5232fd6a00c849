import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../database.js';

/**
 * `ILIKE %q%` over the given columns, with LIKE wildcards in q escaped. With 3+ characters
 * the trigram indexes (pg_trgm, migration 0002) serve it; 1–2 characters still work, by scan.
 */
export function searchFilter(q: string | undefined, columns: AnyPgColumn[]): SQL | undefined {
  if (!q) return undefined;
  const pattern = likePattern(q);
  const parts = columns.map((c) => sql`${c} ILIKE ${pattern}`);
  return sql`(${sql.join(parts, sql` OR `)})`;
}

/**
 * `LIKE %lower(q)%` over a column that already holds lower-cased text (a generated search
 * column): the same matches as ILIKE, without case-folding every row on every search.
 */
export function lowerSearchFilter(q: string | undefined, column: AnyPgColumn): SQL | undefined {
  if (!q) return undefined;
  return sql`${column} LIKE lower(${likePattern(q)})`;
}

/** `%q%` with LIKE's wildcards in q escaped (a value to bind, e.g. to a prepared statement). */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** How many rows past the end of the page a list counts exactly before it stops counting. */
export const COUNT_LOOKAHEAD = 1_000;
/**
 * For searches, only whether there is a next page: every counted row costs an ILIKE, and a
 * common term (10–40% of 10,000 employees) made counting 1,000 more matches the slowest part.
 */
export const SEARCH_COUNT_LOOKAHEAD = 0;

/** A list total: exact, or (when `exact` is false) a lower bound that is enough to page on. */
export interface ListTotal {
  total: number;
  exact: boolean;
}

/**
 * `count(*)` that stops at offset + limit + COUNT_LOOKAHEAD rows: counting 10,000 matching
 * rows on every page costs more than fetching the page (bench/sender-resolution), while a
 * pager only needs to know whether there is more. `exact: false` means "at least `total`".
 */
/** The most rows a page's total counts exactly (offset + limit + the lookahead). */
export const countCap = (page: { limit: number; offset: number; q?: string | undefined }) =>
  page.offset + page.limit + (page.q ? SEARCH_COUNT_LOOKAHEAD : COUNT_LOOKAHEAD);

export async function cappedCount(
  tx: DbOrTx,
  table: PgTable,
  where: SQL | undefined,
  page: { limit: number; offset: number; q?: string | undefined },
): Promise<ListTotal> {
  const cap = countCap(page);
  const inner = tx
    .select({ one: sql`1` })
    .from(table)
    .where(where)
    .limit(cap + 1)
    .as('capped');
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(inner);
  const n = row?.n ?? 0;
  return { total: n, exact: n <= cap };
}
