import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeKeyring } from './keyring.js';
import {
  type EncryptedValueRow,
  type EncryptedValueStore,
  type RotationCursor,
  rotateSecrets,
} from './rotate-secrets.js';
import { createSecretBox, type SecretBox } from './secret-box.js';

/** In-memory stand-in for the database behind our own port, ordered by (id, field). */
class MemoryValueStore implements EncryptedValueStore {
  readonly rows = new Map<string, EncryptedValueRow>();
  writes = 0;
  /** Called before each write; may throw to simulate a crash. */
  beforeWrite: (() => void) | undefined;

  put(row: EncryptedValueRow): void {
    this.rows.set(`${row.id}\u0000${row.field}`, { ...row });
  }

  get(id: string, field: string): EncryptedValueRow {
    return this.rows.get(`${id}\u0000${field}`)!;
  }

  async findNotOnKey(
    activeKid: string,
    after: RotationCursor | null,
    limit: number,
  ): Promise<EncryptedValueRow[]> {
    const key = (r: { id: string; field: string }) => `${r.id}\u0000${r.field}`;
    return [...this.rows.values()]
      .filter((r) => !r.value.startsWith(`mc1:${activeKid}:`))
      .filter((r) => after === null || key(r) > key(after))
      .sort((a, b) => (key(a) < key(b) ? -1 : 1))
      .slice(0, limit)
      .map((r) => ({ ...r }));
  }

  async replaceValue(row: { id: string; field: string }, expected: string, next: string): Promise<boolean> {
    this.beforeWrite?.();
    const stored = this.get(row.id, row.field);
    if (stored.value !== expected) return false;
    stored.value = next;
    this.writes++;
    return true;
  }
}

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const oldBox = createSecretBox(makeKeyring('old', new Map([['old', oldKey]])));
const bothBox = createSecretBox(
  makeKeyring(
    'new',
    new Map([
      ['new', newKey],
      ['old', oldKey],
    ]),
  ),
);
const newOnlyBox = createSecretBox(makeKeyring('new', new Map([['new', newKey]])));

const FIELDS = ['pop3_password', 'smtp_password'];
const plainFor = (id: string, field: string) => ` pw "${id}" ${field} ✓ `;

/** 25 rows × 2 fields, all on the old key. */
function seededStore(): MemoryValueStore {
  const store = new MemoryValueStore();
  for (let i = 0; i < 25; i++) {
    const id = `mbx-${String(i).padStart(3, '0')}`;
    const workspaceId = `ws-${i % 3}`;
    for (const field of FIELDS) {
      store.put({
        id,
        workspaceId,
        field,
        value: oldBox.encrypt(plainFor(id, field), { workspaceId, rowId: id, field }),
      });
    }
  }
  return store;
}

function expectAllReadable(store: MemoryValueStore, box: SecretBox, skip: string[] = []): void {
  for (const row of store.rows.values()) {
    if (skip.includes(row.id)) continue;
    const ctx = { workspaceId: row.workspaceId, rowId: row.id, field: row.field };
    expect(box.decrypt(row.value, ctx)).toBe(plainFor(row.id, row.field));
  }
}

describe('rotateSecrets', () => {
  it('moves every value to the new key; a second run rotates nothing; the old key can go', async () => {
    const store = seededStore();
    const progress: number[] = [];
    const first = await rotateSecrets({
      store,
      box: bothBox,
      batchSize: 7,
      onProgress: (p) => progress.push(p.rotated),
    });
    expect(first).toMatchObject({ rotated: 50, skipped: 0, failed: 0, failures: [], aborted: false });
    expect(progress.at(-1)).toBe(50);
    expect(progress.length).toBe(Math.ceil(50 / 7));
    for (const row of store.rows.values()) expect(row.value.startsWith('mc1:new:')).toBe(true);

    const second = await rotateSecrets({ store, box: bothBox, batchSize: 7 });
    expect(second).toMatchObject({ rotated: 0, skipped: 0, failed: 0, batches: 0 });
    expect(store.writes).toBe(50);

    expectAllReadable(store, newOnlyBox); // keyring without the old key
  });

  it('can be aborted halfway and resumed, all values readable at every point', async () => {
    const store = seededStore();
    const controller = new AbortController();
    store.beforeWrite = () => {
      if (store.writes === 17) controller.abort();
    };
    const first = await rotateSecrets({ store, box: bothBox, batchSize: 10, signal: controller.signal });
    expect(first.aborted).toBe(true);
    expect(first.rotated).toBe(18); // the write in flight when the signal fired completes
    expectAllReadable(store, bothBox);

    store.beforeWrite = undefined;
    const second = await rotateSecrets({ store, box: bothBox, batchSize: 10 });
    expect(second).toMatchObject({ rotated: 32, failed: 0, aborted: false });
    expectAllReadable(store, newOnlyBox);
  });

  it('does not start when the signal is already aborted', async () => {
    const store = seededStore();
    const result = await rotateSecrets({ store, box: bothBox, signal: AbortSignal.abort() });
    expect(result).toMatchObject({ rotated: 0, aborted: true });
    expect(store.writes).toBe(0);
  });

  it('survives a crash mid-batch (store error) and a rerun finishes the job', async () => {
    const store = seededStore();
    store.beforeWrite = () => {
      if (store.writes === 23) throw new Error('connection lost');
    };
    await expect(rotateSecrets({ store, box: bothBox, batchSize: 8 })).rejects.toThrow('connection lost');
    expect(store.writes).toBe(23);
    expectAllReadable(store, bothBox);

    store.beforeWrite = undefined;
    expect(await rotateSecrets({ store, box: bothBox, batchSize: 8 })).toMatchObject({
      rotated: 27,
      failed: 0,
    });
    expectAllReadable(store, newOnlyBox);
  });

  it('counts corrupt values as failed without stopping, and never reports their contents', async () => {
    const store = seededStore();
    const flipped = store.get('mbx-003', 'smtp_password');
    const body = Buffer.from(flipped.value.split(':')[2]!, 'base64url');
    body[20]! ^= 0x40;
    flipped.value = `mc1:old:${body.toString('base64url')}`;
    store.get('mbx-010', 'pop3_password').value = 'plain text password';
    store.get('mbx-011', 'pop3_password').value = oldBox.encrypt('moved', {
      workspaceId: 'ws-0',
      rowId: 'mbx-999',
      field: 'pop3_password',
    });
    store.get('mbx-012', 'pop3_password').value = `mc1:gone:${body.toString('base64url')}`;
    store.get('mbx-013', 'pop3_password').workspaceId = 'ws|bad';

    const result = await rotateSecrets({ store, box: bothBox, batchSize: 4 });
    expect(result).toMatchObject({ rotated: 45, skipped: 0, failed: 5, aborted: false });
    expect(result.failures).toEqual([
      { id: 'mbx-003', field: 'smtp_password', reason: 'unreadable:auth-failed' },
      { id: 'mbx-010', field: 'pop3_password', reason: 'unreadable:malformed' },
      { id: 'mbx-011', field: 'pop3_password', reason: 'unreadable:auth-failed' },
      { id: 'mbx-012', field: 'pop3_password', reason: 'unreadable:unknown-key' },
      { id: 'mbx-013', field: 'pop3_password', reason: 'invalid-context' },
    ]);
    expect(JSON.stringify(result)).not.toMatch(/plain text password|moved|pw "/);

    // Failed rows stay where they were; a rerun tries them again, terminates, and rotates nothing else.
    const again = await rotateSecrets({ store, box: bothBox, batchSize: 1 });
    expect(again).toMatchObject({ rotated: 0, failed: 5 });
    expectAllReadable(store, newOnlyBox, ['mbx-003', 'mbx-010', 'mbx-011', 'mbx-012', 'mbx-013']);
  });

  it('leaves a value alone when it changed after being read (compare-and-set)', async () => {
    const store = seededStore();
    const target = store.get('mbx-000', 'pop3_password');
    store.beforeWrite = () => {
      if (store.writes === 0 && target.value.startsWith('mc1:old:')) {
        // A user saves a new password between our read and our write.
        target.value = bothBox.encrypt(plainFor('mbx-000', 'pop3_password'), {
          workspaceId: target.workspaceId,
          rowId: 'mbx-000',
          field: 'pop3_password',
        });
      }
    };
    const result = await rotateSecrets({ store, box: bothBox, batchSize: 50 });
    expect(result).toMatchObject({ rotated: 49, skipped: 1, failed: 0 });
    expectAllReadable(store, newOnlyBox);
  });

  it('verifies the new value before writing and keeps the old one when it does not decrypt', async () => {
    const store = seededStore();
    // Fault injection: an encrypt that binds to the wrong row, as a buggy change might.
    const faulty: SecretBox = {
      ...bothBox,
      encrypt: (plain, ctx) => bothBox.encrypt(plain, { ...ctx, rowId: `${ctx.rowId}-wrong` }),
    };
    const before = [...store.rows.values()].map((r) => r.value);
    const result = await rotateSecrets({ store, box: faulty, batchSize: 9 });
    expect(result).toMatchObject({ rotated: 0, failed: 50 });
    expect(new Set(result.failures.map((f) => f.reason))).toEqual(new Set(['verify-failed']));
    expect(store.writes).toBe(0);
    expect([...store.rows.values()].map((r) => r.value)).toEqual(before);
  });

  it('caps the failure list but keeps the full count', async () => {
    const store = seededStore();
    for (const row of store.rows.values()) row.value = 'not encrypted';
    const result = await rotateSecrets({ store, box: bothBox, maxFailuresListed: 3 });
    expect(result.failed).toBe(50);
    expect(result.failures).toHaveLength(3);
  });

  it('stops instead of looping when a broken store ignores the cursor', async () => {
    const store = seededStore();
    const broken: EncryptedValueStore = {
      findNotOnKey: (kid, _after, limit) => store.findNotOnKey(kid, null, limit),
      replaceValue: async () => false,
    };
    await expect(rotateSecrets({ store: broken, box: bothBox, batchSize: 5 })).rejects.toThrow(/cursor/);
  });
});
