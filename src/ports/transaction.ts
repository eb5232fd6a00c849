import type { DbOrTx } from '../db/database.js';

/** Runs `fn` in one database transaction; repositories called inside must receive `tx`. */
export type RunInTransaction = <T>(fn: (tx: DbOrTx) => Promise<T>) => Promise<T>;
