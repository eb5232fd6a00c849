/**
 * The in-process authentication cache (issue 12 item 3, decision 0012): a request's session
 * or API token is answered from memory instead of a database lookup.
 *
 * Correctness rests on one number in the database, `auth_version`, which triggers bump in the
 * same transaction as every revocation (session or token deleted, employee changed or deleted):
 * - an entry is used only while the version this process last read is at most `pollMs` old;
 *   when it is older, the next request reads it again (one tiny query per `pollMs`), and any
 *   change empties the cache. So a revocation made by another process (the CLI's password
 *   reset, a second web process) takes effect here within `pollMs`;
 * - this process's own revocations call `invalidate()` after their commit: at once;
 * - a lookup that was in flight while the cache emptied does not store its (possibly older)
 *   answer (the generation check).
 * Misses are never cached: an unknown token always costs a lookup.
 */
export interface AuthCache<T> {
  /** The cached value for `key`, or `load()`'s (stored when non-null and still current). */
  get(key: string, load: () => Promise<T | null>): Promise<T | null>;
  /** Drops one entry (e.g. one that expired). */
  drop(key: string): void;
  /** Empties the cache and re-reads the version on the next request. */
  invalidate(): void;
  size(): number;
}

export interface AuthCacheOptions {
  readVersion(): Promise<number>;
  /** How old the last version read may be before an entry is trusted again (default 1 s). */
  pollMs?: number;
  /** Entries kept; the oldest inserted goes first (default 10,000). */
  maxEntries?: number;
  clock?: () => number;
}

export function createAuthCache<T>(options: AuthCacheOptions): AuthCache<T> {
  const pollMs = options.pollMs ?? 1_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const clock = options.clock ?? (() => performance.now());
  const entries = new Map<string, T>();
  let generation = 0;
  let version: number | null = null;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<void> | null = null;

  const clear = () => {
    entries.clear();
    generation++;
  };

  const ensureFresh = async () => {
    if (clock() - checkedAt < pollMs) return;
    checking ??= (async () => {
      // The read sees every commit made before it started: that is the moment it vouches for.
      // (An invalidate() during the read needs no second read: it emptied the cache after its
      // commit, and lookups started since then see that commit.)
      const startedAt = clock();
      try {
        const current = await options.readVersion();
        if (current !== version) {
          clear();
          version = current;
        }
        checkedAt = startedAt;
      } finally {
        checking = null;
      }
    })();
    await checking;
  };

  return {
    async get(key, load) {
      await ensureFresh();
      const hit = entries.get(key);
      if (hit !== undefined) return hit;
      const startedGeneration = generation;
      const value = await load();
      if (value !== null && generation === startedGeneration) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
        entries.set(key, value);
      }
      return value;
    },
    drop(key) {
      entries.delete(key);
    },
    invalidate() {
      clear();
      checkedAt = Number.NEGATIVE_INFINITY;
    },
    size: () => entries.size,
  };
}
