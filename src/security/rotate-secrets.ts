import { type SecretBox, SecretUnreadableError } from './secret-box.js';

/**
 * Key rotation (SPEC M52, SECURITY §2.3 and §7 case 16): moves every stored secret onto the
 * active key. Each value is replaced on its own with compare-and-set, so the job can be
 * killed at any point and rerun: rows already on the active key are not selected again, and
 * a value is either wholly old or wholly new, readable by a keyring holding both keys.
 */

/** One encrypted value: a (row, field) pair. */
export interface EncryptedValueRow {
  id: string;
  workspaceId: string;
  field: string;
  value: string;
}

/** Exclusive lower bound for the next batch: the last (id, field) pair already handled. */
export interface RotationCursor {
  id: string;
  field: string;
}

/**
 * Port to wherever encrypted values are stored. The cursor is an (id, field) pair rather than
 * an id alone because one row can hold several secrets, and a batch may end between them.
 */
export interface EncryptedValueStore {
  /**
   * Values not encrypted with `activeKid` (including values that are not `mc1:` at all),
   * ordered by (id, field) ascending, strictly after `after`, at most `limit`.
   */
  findNotOnKey(activeKid: string, after: RotationCursor | null, limit: number): Promise<EncryptedValueRow[]>;
  /** Compare-and-set: writes only if the stored value still equals `expected`; returns whether it wrote. */
  replaceValue(row: { id: string; field: string }, expected: string, next: string): Promise<boolean>;
}

export type RotationFailureReason =
  | 'unreadable:malformed'
  | 'unreadable:unknown-key'
  | 'unreadable:auth-failed'
  | 'invalid-context'
  | 'verify-failed';

export interface RotationFailure {
  id: string;
  field: string;
  reason: RotationFailureReason;
}

export interface RotationProgress {
  rotated: number;
  skipped: number;
  failed: number;
  batches: number;
}

export interface RotationResult extends RotationProgress {
  /** At most `maxFailuresListed` entries; `failed` is the full count. */
  failures: RotationFailure[];
  /** True when the signal stopped the job before it ran out of rows. */
  aborted: boolean;
}

export interface RotateSecretsDeps {
  store: EncryptedValueStore;
  box: SecretBox;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: RotationProgress) => void;
  maxFailuresListed?: number;
}

/**
 * Re-encrypts every value not on the active key: decrypt with its old key, encrypt with the
 * active one, decrypt the new value to verify, then compare-and-set. Rows that fail are
 * counted and passed over (the cursor moves past them, so a bad row cannot loop forever).
 * `skipped` counts values that changed underneath us or were already on the active key.
 * Store errors propagate: the job stops and a rerun resumes. Values are never logged.
 */
export async function rotateSecrets(deps: RotateSecretsDeps): Promise<RotationResult> {
  const { store, box, signal, onProgress } = deps;
  const batchSize = deps.batchSize ?? 200;
  const maxFailuresListed = deps.maxFailuresListed ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer.');

  const result: RotationResult = {
    rotated: 0,
    skipped: 0,
    failed: 0,
    batches: 0,
    failures: [],
    aborted: false,
  };
  const fail = (row: EncryptedValueRow, reason: RotationFailureReason) => {
    result.failed++;
    if (result.failures.length < maxFailuresListed)
      result.failures.push({ id: row.id, field: row.field, reason });
  };

  let cursor: RotationCursor | null = null;
  for (;;) {
    if (signal?.aborted) return { ...result, aborted: true };
    const rows = await store.findNotOnKey(box.activeKeyId, cursor, batchSize);
    if (rows.length === 0) return result;
    const last = rows[rows.length - 1]!;
    if (cursor !== null && last.id === cursor.id && last.field === cursor.field) {
      throw new Error('EncryptedValueStore.findNotOnKey returned rows at or before the cursor.');
    }
    result.batches++;

    for (const row of rows) {
      if (signal?.aborted) {
        onProgress?.(progressOf(result));
        return { ...result, aborted: true };
      }
      cursor = { id: row.id, field: row.field };
      if (!box.needsRotation(row.value)) {
        result.skipped++;
        continue;
      }
      const ctx = { workspaceId: row.workspaceId, rowId: row.id, field: row.field };
      let plain: string;
      try {
        plain = box.decrypt(row.value, ctx);
      } catch (error) {
        fail(row, failureReasonOf(error));
        continue;
      }
      let next = '';
      let verified = false;
      try {
        next = box.encrypt(plain, ctx);
        verified = box.decrypt(next, ctx) === plain;
      } catch {
        verified = false;
      }
      if (!verified) {
        fail(row, 'verify-failed');
        continue;
      }
      if (await store.replaceValue({ id: row.id, field: row.field }, row.value, next)) result.rotated++;
      else result.skipped++;
    }
    onProgress?.(progressOf(result));
  }
}

function failureReasonOf(error: unknown): RotationFailureReason {
  if (error instanceof SecretUnreadableError) return `unreadable:${error.reason}`;
  // A TypeError here means the row's workspace id, id or field cannot form associated data.
  if (error instanceof TypeError) return 'invalid-context';
  throw error;
}

const progressOf = (r: RotationResult): RotationProgress => ({
  rotated: r.rotated,
  skipped: r.skipped,
  failed: r.failed,
  batches: r.batches,
});
