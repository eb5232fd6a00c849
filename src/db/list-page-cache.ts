import type { PGlite } from '@electric-sql/pglite';

/** The channel migration 0017's triggers notify on every write to a table a cached page reads. */
export const LIST_CHANGE_CHANNEL = 'mailroom_list_change';

/**
 * The tables whose every write (INSERT, UPDATE, DELETE, TRUNCATE) notifies LIST_CHANGE_CHANNEL
 * (migration 0017). A cached statement may read only these: `cachedStatementTables` checks it.
 */
export const LIST_CHANGE_TABLES = ['employees', 'group_members'] as const;

/** The trigger names migration 0017 creates (one per table and event group). */
const TRIGGERS = LIST_CHANGE_TABLES.flatMap((t) => [`${t}_list_change`, `${t}_list_truncate`]);

/**
 * A per-process cache of list pages (their one JSON text value) on the embedded database
 * (decision 0018). Correct only because of three facts, each checked or tested:
 * - PGlite is the only process writing its data dir (the data-dir lock), so every write is a
 *   statement of this process's one PGlite session;
 * - every statement that writes `employees` or `group_members` notifies LIST_CHANGE_CHANNEL from
 *   a statement-level trigger, delivered to this session when its transaction commits; the
 *   notification empties the cache before the writer's `await` returns;
 * - a page read while a notification arrived is not stored (generation counter), so an answer
 *   read before a commit cannot outlive it.
 */
export interface ListPageCache {
  /** The cached value for `key`, or `load()`'s answer (stored unless a write committed meanwhile). */
  through(key: string, load: () => Promise<string | null>): Promise<string | null>;
  /** How many times the cache was emptied by a write (tests). */
  readonly invalidations: number;
}

export interface ListPageCacheLimits {
  /** At most this many pages… */
  maxEntries: number;
  /** …and this many characters of JSON in all; past either, the cache starts over empty. */
  maxChars: number;
}

const DEFAULT_LIMITS: ListPageCacheLimits = { maxEntries: 500, maxChars: 16 * 1024 * 1024 };

/**
 * Listens on LIST_CHANGE_CHANNEL and answers the cache, or null when the database lacks the
 * triggers (a data dir not migrated yet): then nothing is cached at all.
 */
export async function openListPageCache(
  client: Pick<PGlite, 'query' | 'listen'>,
  limits: ListPageCacheLimits = DEFAULT_LIMITS,
): Promise<ListPageCache | null> {
  const found = await client.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = ANY($1) AND NOT tgisinternal',
    [TRIGGERS],
  );
  if (found.rows[0]?.n !== TRIGGERS.length) return null;
  const entries = new Map<string, string | null>();
  let chars = 0;
  let generation = 0;
  let invalidations = 0;
  await client.listen(LIST_CHANGE_CHANNEL, () => {
    generation++;
    invalidations++;
    entries.clear();
    chars = 0;
  });
  return {
    get invalidations() {
      return invalidations;
    },
    async through(key, load) {
      if (entries.has(key)) return entries.get(key)!;
      const before = generation;
      const value = await load();
      if (generation === before) {
        const size = value?.length ?? 0;
        if (entries.size >= limits.maxEntries || chars + size > limits.maxChars) {
          entries.clear();
          chars = 0;
        }
        if (size <= limits.maxChars) {
          entries.set(key, value);
          chars += size;
        }
      }
      return value;
    },
  };
}
