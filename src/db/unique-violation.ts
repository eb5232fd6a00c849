/**
 * The name of the unique index a failed statement violated (SQLSTATE 23505), or null. Drizzle
 * wraps driver errors, so the cause chain is walked; pg and PGlite both carry `constraint`.
 */
export function violatedUniqueIndex(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const x = e as { code?: unknown; constraint?: unknown; message?: unknown; cause?: unknown };
    if (x.code === '23505') {
      if (typeof x.constraint === 'string') return x.constraint;
      const m = typeof x.message === 'string' ? x.message.match(/unique constraint "([^"]+)"/) : null;
      return m?.[1] ?? '';
    }
    e = x.cause;
  }
  return null;
}

/** Runs a write; a violation of one of `indexes` becomes `onViolation()`'s error. */
export async function translateUnique<T>(
  write: () => Promise<T>,
  indexes: readonly string[],
  onViolation: () => Error,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const index = violatedUniqueIndex(error);
    if (index !== null && indexes.includes(index)) throw onViolation();
    throw error;
  }
}
