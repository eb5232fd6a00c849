import { randomBytes } from 'node:crypto';
import { type FileHandle, link, lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { decodeBase64Strict } from './base64-strict.js';

/**
 * The master keys that encrypt secrets at rest (SPEC M52, SECURITY §2.3). Exactly one key is
 * active (used for new encryptions); the others stay readable until rotation has moved every
 * value off them. Keys never live in the database.
 */
export interface Keyring {
  readonly activeKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** Raised for any unusable keyring or key file. Messages name entries and paths, never key bytes. */
export class KeyringError extends Error {
  readonly code = 'KEYRING_INVALID' as const;
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

export const KEY_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const KEY_LENGTH = 32;

const KEY_ID_RULE = 'a key id is 1-32 characters of a-z, 0-9, "_" and "-", starting with a letter or digit';

/** True when `kid` is a syntactically valid key id. */
export const isValidKeyId = (kid: string): boolean => KEY_ID_PATTERN.test(kid);

/**
 * Parses `kid:base64key` entries separated by commas or newlines. Blank lines and `#`
 * comments are ignored. The active key is `activeKeyId` when given, else the first entry.
 */
export function parseKeyring(spec: string, activeKeyId?: string): Keyring {
  const entries = spec
    .split(/\r?\n|\r/)
    .map((line) => line.replace(/#.*$/, ''))
    .flatMap((line) => line.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) {
    throw new KeyringError('The keyring is empty: expected at least one "kid:base64key" entry.');
  }

  const keys = new Map<string, Buffer>();
  entries.forEach((entry, index) => {
    const where = `keyring entry ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) {
      throw new KeyringError(`The ${where} has no key id: expected "kid:base64key".`);
    }
    const kid = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    // The text before the colon is not echoed when invalid: it might be pasted key material.
    if (!isValidKeyId(kid)) throw new KeyringError(`The ${where} has an invalid key id (${KEY_ID_RULE}).`);
    if (keys.has(kid)) throw new KeyringError(`The key id "${kid}" appears more than once in the keyring.`);
    const key = decodeBase64Strict(encoded);
    if (key === null) {
      throw new KeyringError(`The key "${kid}" (${where}) is not valid base64 or base64url.`);
    }
    if (key.length !== KEY_LENGTH) {
      throw new KeyringError(
        `The key "${kid}" (${where}) is ${key.length} bytes long; it must be exactly ${KEY_LENGTH} bytes (AES-256).`,
      );
    }
    keys.set(kid, key);
  });

  const active = activeKeyId ?? entries[0]!.slice(0, entries[0]!.indexOf(':')).trim();
  if (!keys.has(active)) {
    const shown = isValidKeyId(active) ? `"${active}"` : '(invalid key id)';
    throw new KeyringError(`The active key id ${shown} is not in the keyring.`);
  }
  return makeKeyring(active, keys);
}

/**
 * Builds a keyring object that cannot leak its keys through logging: `JSON.stringify`,
 * pino and `util.inspect` see only the key ids.
 */
export function makeKeyring(activeKeyId: string, keys: ReadonlyMap<string, Buffer>): Keyring {
  validateKeyring({ activeKeyId, keys });
  const keyring: Keyring = { activeKeyId, keys: new Map(keys) };
  const safeView = () => ({ activeKeyId, keyIds: [...keys.keys()] });
  Object.defineProperty(keyring, 'toJSON', { value: safeView, enumerable: false });
  Object.defineProperty(keyring, inspect.custom, { value: () => `Keyring ${inspect(safeView())}` });
  return keyring;
}

/** Throws KeyringError unless the keyring has a present active key and only valid 32-byte keys. */
export function validateKeyring(keyring: Keyring): void {
  for (const [kid, key] of keyring.keys) {
    if (!isValidKeyId(kid)) throw new KeyringError(`The keyring has an invalid key id (${KEY_ID_RULE}).`);
    if (!Buffer.isBuffer(key) || key.length !== KEY_LENGTH) {
      throw new KeyringError(`The key "${kid}" must be exactly ${KEY_LENGTH} bytes (AES-256).`);
    }
  }
  if (!keyring.keys.has(keyring.activeKeyId)) {
    const shown = isValidKeyId(keyring.activeKeyId) ? `"${keyring.activeKeyId}"` : '(invalid key id)';
    throw new KeyringError(`The active key id ${shown} is not in the keyring.`);
  }
}

/** Default key id: `k` + UTC yyyymmdd + 4 random hex digits, e.g. `k20250614a3f9`. */
export function generateKeyId(now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return `k${day}${randomBytes(2).toString('hex')}`;
}

/** A fresh random key as a `kid:base64` keyring entry. */
export function generateKeyEntry(kid: string = generateKeyId()): string {
  if (!isValidKeyId(kid)) throw new KeyringError(`Cannot create a key: ${KEY_ID_RULE}.`);
  return `${kid}:${randomBytes(KEY_LENGTH).toString('base64')}`;
}

const MAX_KEY_FILE_BYTES = 64 * 1024;
const KEY_FILE_HEADER =
  '# mailroom secret keys, one "kid:base64key" per line; the first entry is the active key.\n' +
  '# Keep this file private (chmod 600) and back it up apart from the database.\n';

export interface LoadKeyFileOptions {
  /** Create the file with one fresh key when it does not exist (embedded setup, first start). */
  create: boolean;
  /** Overrides "first entry is active". */
  activeKeyId?: string;
}

export interface LoadedKeyFile {
  keyring: Keyring;
  created: boolean;
}

/**
 * Reads the key file, or creates it (mode 0600, atomically, never replacing a file another
 * process created first) when it is missing and `create` is set. Refuses files that group or
 * others can access, unreadable files and garbled contents: the service must not start then.
 */
export async function loadOrCreateKeyFile(path: string, options: LoadKeyFileOptions): Promise<LoadedKeyFile> {
  const existing = await readKeyFile(path);
  if (existing !== null)
    return { keyring: parseKeyFile(path, existing, options.activeKeyId), created: false };
  if (!options.create) {
    throw new KeyringError(
      `The key file ${path} does not exist. Restore it from your backup or configure the keys.`,
    );
  }
  const content = `${KEY_FILE_HEADER}${generateKeyEntry()}\n`;
  if (await createFileExclusive(path, content)) {
    return { keyring: parseKeyFile(path, content, options.activeKeyId), created: true };
  }
  // Another process created it between our read and our link: use theirs.
  const theirs = await readKeyFile(path);
  if (theirs === null) throw new KeyringError(`The key file ${path} could not be created.`);
  return { keyring: parseKeyFile(path, theirs, options.activeKeyId), created: false };
}

/**
 * Adds a fresh key as the new active one (first entry), keeping the others so existing values
 * stay readable until `rotateSecrets` has moved them. Used by `mailroom rotate-key --new-key`.
 */
export async function addKeyToFile(
  path: string,
  options: { kid?: string } = {},
): Promise<{ keyring: Keyring; kid: string }> {
  const text = await readKeyFile(path);
  if (text === null) throw new KeyringError(`The key file ${path} does not exist.`);
  const current = parseKeyFile(path, text);
  let kid = options.kid ?? generateKeyId();
  while (options.kid === undefined && current.keys.has(kid)) kid = generateKeyId();
  if (current.keys.has(kid))
    throw new KeyringError(`The key id "${kid}" is already in the key file ${path}.`);

  // Insert after the leading comment block so the header stays on top.
  const lines = text.split(/\r?\n/);
  let at = 0;
  while (at < lines.length && /^\s*(#.*)?$/.test(lines[at]!)) at++;
  lines.splice(at, 0, generateKeyEntry(kid));
  const next = lines.join('\n');
  const keyring = parseKeyFile(path, next);
  await replaceFile(path, next);
  return { keyring, kid };
}

function parseKeyFile(path: string, text: string, activeKeyId?: string): Keyring {
  try {
    return parseKeyring(text, activeKeyId);
  } catch (error) {
    if (error instanceof KeyringError) throw new KeyringError(`Key file ${path}: ${error.message}`);
    throw error;
  }
}

/** The file's text, or null when it does not exist. */
async function readKeyFile(path: string): Promise<string | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return null;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new KeyringError(`Cannot read the key file ${path}: permission denied for the mailroom user.`);
    }
    throw new KeyringError(`Cannot read the key file ${path} (${code ?? 'unknown error'}).`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new KeyringError(`The key file ${path} is not a regular file.`);
    // POSIX permissions only; Windows reports synthetic modes.
    if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
      const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
      throw new KeyringError(
        `The key file ${path} is accessible by group or others (mode ${mode}). ` +
          `Run \`chmod 600 ${path}\` (or mount it with mode 0400/0600) and start again.`,
      );
    }
    if (stats.size > MAX_KEY_FILE_BYTES)
      throw new KeyringError(`The key file ${path} is too large to be a key file.`);
    return await handle.readFile('utf8');
  } catch (error) {
    if (error instanceof KeyringError) throw error;
    throw new KeyringError(`Cannot read the key file ${path} (${errorCode(error) ?? 'unknown error'}).`);
  } finally {
    await handle.close();
  }
}

/** Writes `content` to a private temp file beside `path`, fsynced; returns the temp path. */
async function writeTempFile(path: string, content: string): Promise<string> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.chmod(0o600); // the umask cannot widen 0600, but be explicit
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

/** Publishes `content` at `path` only if nothing is there yet; false when another file won. */
async function createFileExclusive(path: string, content: string): Promise<boolean> {
  let temp: string | undefined;
  try {
    temp = await writeTempFile(path, content);
    try {
      // link() is atomic and fails on an existing target, unlike rename().
      await link(temp, path);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EEXIST') return false;
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(code ?? '')) throw error;
      // File systems without hard links: rename is still atomic, the no-clobber check is best effort.
      if (await exists(path)) return false;
      await rename(temp, path);
      temp = undefined;
    }
    await syncDirectory(dirname(path));
    return true;
  } catch (error) {
    throw new KeyringError(`Cannot create the key file ${path} (${errorCode(error) ?? 'unknown error'}).`);
  } finally {
    if (temp !== undefined) await unlink(temp).catch(() => undefined);
  }
}

/** Atomically replaces `path` with `content` (temp file + rename), keeping mode 0600. */
async function replaceFile(path: string, content: string): Promise<void> {
  let temp: string | undefined;
  try {
    temp = await writeTempFile(path, content);
    await rename(temp, path);
    temp = undefined;
    await syncDirectory(dirname(path));
  } catch (error) {
    throw new KeyringError(`Cannot write the key file ${path} (${errorCode(error) ?? 'unknown error'}).`);
  } finally {
    if (temp !== undefined) await unlink(temp).catch(() => undefined);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the new directory entry durable; not supported everywhere, so best effort.
  const handle = await open(dir, 'r').catch(() => undefined);
  if (handle === undefined) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
