import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addKeyToFile,
  generateKeyEntry,
  KeyringError,
  loadOrCreateKeyFile,
  makeKeyring,
  parseKeyring,
} from './keyring.js';
import { createSecretBox } from './secret-box.js';

const key = (bytes = 32) => randomBytes(bytes);
const b64 = (buf: Buffer) => buf.toString('base64');

/** Asserts a KeyringError whose message matches and leaks none of the given secrets. */
function expectKeyringError(run: () => unknown, pattern: RegExp, secrets: string[] = []): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KeyringError);
  const error = caught as KeyringError;
  expect(error.message).toMatch(pattern);
  for (const secret of secrets) {
    const shown = `${error.message}\n${inspect(error)}\n${JSON.stringify(error)}`;
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain(secret.slice(0, 12));
  }
}

describe('parseKeyring', () => {
  it('reads comma and newline separated entries, skipping comments and blanks; first is active', () => {
    const [a, b, c] = [key(), key(), key()];
    const spec = `# keys\n\n  k1 : ${b64(a)} , k2:${b64(b)}\r\n# old\nk_3-x:${c.toString('base64url')} # comment\n`;
    const ring = parseKeyring(spec);
    expect(ring.activeKeyId).toBe('k1');
    expect([...ring.keys.keys()]).toEqual(['k1', 'k2', 'k_3-x']);
    expect(ring.keys.get('k1')!.equals(a)).toBe(true);
    expect(ring.keys.get('k2')!.equals(b)).toBe(true);
    expect(ring.keys.get('k_3-x')!.equals(c)).toBe(true);
  });

  it('accepts unpadded base64 and an explicit active key id', () => {
    const a = key();
    const ring = parseKeyring(`x:${b64(key()).replace(/=+$/, '')},y:${b64(a)}`, 'y');
    expect(ring.activeKeyId).toBe('y');
    expect(ring.keys.get('y')!.equals(a)).toBe(true);
  });

  it('refuses an empty spec', () => {
    expectKeyringError(() => parseKeyring(''), /empty/);
    expectKeyringError(() => parseKeyring('  \n# only a comment\n , ,'), /empty/);
  });

  it('refuses bad key ids without echoing them', () => {
    const k = b64(key());
    for (const kid of ['K1', '-k', '_k', 'a'.repeat(33), 'k 1', 'k.1', '']) {
      expectKeyringError(() => parseKeyring(`${kid}:${k}`), /entry 1 has an invalid key id/, [k]);
    }
    // Something that looks like pasted key material before the colon is not echoed.
    const pasted = b64(key());
    expectKeyringError(() => parseKeyring(`ok:${k}\n${pasted}:${k}`), /entry 2 has an invalid key id/, [
      pasted,
      k,
    ]);
  });

  it('refuses an entry without a key id', () => {
    const k = b64(key());
    expectKeyringError(() => parseKeyring(k), /entry 1 has no key id/, [k]);
  });

  it('refuses duplicate key ids', () => {
    const [a, b] = [b64(key()), b64(key())];
    expectKeyringError(() => parseKeyring(`k1:${a}\nk1:${b}`), /"k1" appears more than once/, [a, b]);
  });

  it('refuses keys that are not exactly 32 bytes', () => {
    for (const length of [0, 1, 16, 31, 33, 64]) {
      const k = b64(key(length));
      const pattern =
        length === 0 ? /not valid base64/ : new RegExp(`is ${length} bytes long; it must be exactly 32`);
      expectKeyringError(() => parseKeyring(`k1:${k}`), pattern, length >= 12 ? [k] : []);
    }
  });

  it('refuses malformed base64 (junk characters, mixed alphabets, bad padding, non-canonical)', () => {
    const good = b64(key());
    const variants = [
      `${good.slice(0, 10)}!${good.slice(11)}`,
      `${good.slice(0, 10)} ${good.slice(11)}`,
      `-${good.slice(1, 20)}+${good.slice(21)}`, // '-' (base64url) mixed with '+' (base64)
      `${good}==`,
      `${good.slice(0, -2)}=`,
      // Last character changes only the unused low bits: decodes to the same bytes, not canonical.
      `${good.slice(0, -2)}${String.fromCharCode(good.charCodeAt(good.length - 2) + 1)}=`,
    ];
    for (const variant of variants) {
      expectKeyringError(
        () => parseKeyring(`k1:${variant}`),
        /"k1" \(keyring entry 1\) is not valid base64/,
        [good, variant],
      );
    }
  });

  it('refuses an active key id that is not in the keyring', () => {
    const k = b64(key());
    expectKeyringError(() => parseKeyring(`k1:${k}`, 'k2'), /active key id "k2" is not in the keyring/, [k]);
    expectKeyringError(() => parseKeyring(`k1:${k}`, 'NOT VALID'), /active key id \(invalid key id\)/, [k]);
  });

  it('never shows key bytes when the keyring is logged', () => {
    const a = key();
    const ring = parseKeyring(`k1:${b64(a)}`);
    const shown = `${JSON.stringify(ring)}\n${inspect(ring, { depth: 5, showHidden: true })}`;
    expect(shown).toContain('k1');
    expect(shown).not.toContain(b64(a).slice(0, 12));
    expect(shown).not.toContain(a.toString('hex').slice(0, 12));
  });

  it('makeKeyring validates what it is given', () => {
    expect(() => makeKeyring('a', new Map([['a', key(31)]]))).toThrow(KeyringError);
    expect(() => makeKeyring('b', new Map([['a', key()]]))).toThrow(KeyringError);
  });
});

describe('generateKeyEntry', () => {
  it('makes a parseable entry with a dated default key id', () => {
    const entry = generateKeyEntry();
    expect(entry).toMatch(/^k\d{8}[0-9a-f]{4}:[A-Za-z0-9+/]{43}=$/);
    const ring = parseKeyring(entry);
    expect(ring.keys.get(ring.activeKeyId)!.length).toBe(32);
    expect(generateKeyEntry('mine')).toMatch(/^mine:/);
    expect(generateKeyEntry('a')).not.toBe(generateKeyEntry('a'));
  });

  it('refuses an invalid key id', () => {
    expect(() => generateKeyEntry('Bad Id')).toThrow(KeyringError);
  });
});

describe('key file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mailroom-keyring-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a missing file with mode 0600 and one key, then reads it back', async () => {
    const path = join(dir, 'nested', 'keys');
    const first = await loadOrCreateKeyFile(path, { create: true });
    expect(first.created).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(first.keyring.keys.size).toBe(1);

    const second = await loadOrCreateKeyFile(path, { create: true });
    expect(second.created).toBe(false);
    expect(second.keyring.activeKeyId).toBe(first.keyring.activeKeyId);
    expect(
      second.keyring.keys
        .get(second.keyring.activeKeyId)!
        .equals(first.keyring.keys.get(first.keyring.activeKeyId)!),
    ).toBe(true);
    expect(await readdir(join(dir, 'nested'))).toEqual(['keys']); // no temp files left
  });

  it('lets exactly one of several concurrent creators win; all end with the same key', async () => {
    const path = join(dir, 'keys');
    const results = await Promise.all(
      Array.from({ length: 8 }, () => loadOrCreateKeyFile(path, { create: true })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const keys = results.map((r) => b64(r.keyring.keys.get(r.keyring.activeKeyId)!));
    expect(new Set(keys).size).toBe(1);
    expect(await readdir(dir)).toEqual(['keys']);
  });

  it('refuses a missing file when not allowed to create it', async () => {
    await expect(loadOrCreateKeyFile(join(dir, 'keys'), { create: false })).rejects.toThrow(/does not exist/);
  });

  it('refuses a file readable by group or others and says how to fix it', async () => {
    const path = join(dir, 'keys');
    const entry = generateKeyEntry('k1');
    await writeFile(path, `${entry}\n`, { mode: 0o644 });
    await chmod(path, 0o644);
    const error = await loadOrCreateKeyFile(path, { create: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyringError);
    expect((error as Error).message).toContain(`chmod 600 ${path}`);
    expect((error as Error).message).toContain('0644');
    expect((error as Error).message).not.toContain(entry.slice(3, 15));
    await chmod(path, 0o640);
    await expect(loadOrCreateKeyFile(path, { create: false })).rejects.toThrow(/chmod 600/);
    await chmod(path, 0o600);
    expect((await loadOrCreateKeyFile(path, { create: false })).keyring.activeKeyId).toBe('k1');
  });

  it('refuses an unreadable file', async () => {
    const path = join(dir, 'keys');
    await writeFile(path, `${generateKeyEntry('k1')}\n`, { mode: 0o600 });
    await chmod(path, 0o000);
    if (process.getuid?.() === 0) {
      // Root reads through permission bits, so the refusal we can observe is the mode check.
      await expect(loadOrCreateKeyFile(path, { create: true })).resolves.toMatchObject({ created: false });
      await chmod(path, 0o604);
      await expect(loadOrCreateKeyFile(path, { create: true })).rejects.toThrow(/chmod 600/);
    } else {
      await expect(loadOrCreateKeyFile(path, { create: true })).rejects.toThrow(/permission denied/);
    }
  });

  it('refuses garbled contents, naming the file but not the key', async () => {
    const path = join(dir, 'keys');
    const short = b64(key(20));
    await writeFile(path, `k1:${short}\n`, { mode: 0o600 });
    const error = await loadOrCreateKeyFile(path, { create: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyringError);
    expect((error as Error).message).toMatch(new RegExp(`^Key file ${path}: .*20 bytes long`));
    expect((error as Error).message).not.toContain(short.slice(0, 12));
    // The broken file is not replaced by a fresh key: that would orphan every stored secret.
    expect(await readFile(path, 'utf8')).toBe(`k1:${short}\n`);
    await writeFile(path, '', { mode: 0o600 });
    await expect(loadOrCreateKeyFile(path, { create: true })).rejects.toThrow(/empty/);
  });

  it('refuses a directory in place of the file', async () => {
    const path = join(dir, 'keys');
    await mkdir(path, { mode: 0o700 });
    await expect(loadOrCreateKeyFile(path, { create: true })).rejects.toThrow(/not a regular file/);
  });

  it('honours an explicit active key id', async () => {
    const path = join(dir, 'keys');
    await writeFile(path, `${generateKeyEntry('a')}\n${generateKeyEntry('b')}\n`, { mode: 0o600 });
    expect((await loadOrCreateKeyFile(path, { create: false, activeKeyId: 'b' })).keyring.activeKeyId).toBe(
      'b',
    );
    await expect(loadOrCreateKeyFile(path, { create: false, activeKeyId: 'c' })).rejects.toThrow(
      KeyringError,
    );
  });

  it('addKeyToFile makes a new active key, keeps the old ones and the file private', async () => {
    const path = join(dir, 'keys');
    const { keyring: before } = await loadOrCreateKeyFile(path, { create: true });
    const ctx = { workspaceId: 'w1', rowId: 'r1', field: 'smtp_password' };
    const old = createSecretBox(before).encrypt('hunter2', ctx);

    const { keyring: after, kid } = await addKeyToFile(path);
    expect(after.activeKeyId).toBe(kid);
    expect(kid).not.toBe(before.activeKeyId);
    expect(after.keys.get(before.activeKeyId)!.equals(before.keys.get(before.activeKeyId)!)).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const text = await readFile(path, 'utf8');
    expect(text.startsWith('# mailroom secret keys')).toBe(true);
    expect(await readdir(dir)).toEqual(['keys']);

    const reloaded = await loadOrCreateKeyFile(path, { create: false });
    expect(reloaded.keyring.activeKeyId).toBe(kid);
    expect(createSecretBox(reloaded.keyring).decrypt(old, ctx)).toBe('hunter2');

    await expect(addKeyToFile(path, { kid })).rejects.toThrow(/already in the key file/);
    await expect(addKeyToFile(join(dir, 'missing'))).rejects.toThrow(/does not exist/);
  });
});
