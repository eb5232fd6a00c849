import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_COMPANY_DOMAIN } from './sandbox-world.js';

/** One stored message as POP3 (and later IMAP) serves it. */
export interface StoredMessage {
  /** Stable unique id: the file name without `.eml` (POP3 UIDL; ordering by arrival). */
  uid: string;
  /** IMAP UID: ascending per folder, never reused (the counter lives in the folder). */
  imapUid: number;
  size: number;
  path: string;
  receivedAt: Date;
}

/** The Sent folder of a mailbox (IMAP APPEND of Copy in Sent); INBOX is the mailbox itself. */
export const sentFolderOf = (mailbox: string) => `${mailbox.toLowerCase()}#sent`;

interface AccountFile {
  /** mailbox (lower-case email) → sha256(salt ‖ password) as `salt:hash` (hex). */
  accounts: Record<string, string>;
  /** Ports of the last run, tried again first so stored addresses keep working. */
  ports?: { smtp?: number; pop3?: number; imap?: number };
  /**
   * Opens a new mailbox in the company domain on its first sign-in (a newcomer adding an address
   * of their own). Kept readable: the demo workspace shows it to its users.
   */
  newcomerPassword?: string;
  /** Mailboxes created by a newcomer's first sign-in (counted against the cap). */
  newcomers?: string[];
}

/** A loop signing in with ever new names cannot fill the disk: at most this many new mailboxes. */
export const SANDBOX_MAX_NEWCOMERS = 50;
/** A plain local part in the company domain (no quoting, no odd characters). */
const NEWCOMER_ADDRESS = new RegExp(
  `^[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?@${SANDBOX_COMPANY_DOMAIN.replace(/\./g, '\\.')}$`,
);
/** No look-alike characters: it is read off the screen and typed. */
const NEWCOMER_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

const hashOf = (salt: string, password: string) =>
  createHash('sha256').update(salt).update(password).digest('hex');

/**
 * The sandbox's mail store in the data dir (`<dataDir>/sandbox`): one folder per mailbox,
 * one `.eml` file per message written atomically (temp file + rename), and the account file
 * (salted hashes: the sandbox server never keeps mailbox passwords readable; mailroom keeps
 * its own encrypted copy like for any mail server).
 */
export class SandboxStore {
  /** `delivered` (folder key) after every stored message: IMAP IDLE sessions listen. */
  readonly events = new EventEmitter();
  private readonly mailRoot: string;
  private readonly accountPath: string;
  private state: AccountFile;

  constructor(readonly root: string) {
    this.mailRoot = join(root, 'mail');
    this.accountPath = join(root, 'accounts.json');
    mkdirSync(this.mailRoot, { recursive: true, mode: 0o700 });
    try {
      this.state = JSON.parse(readFileSync(this.accountPath, 'utf8')) as AccountFile;
    } catch {
      this.state = { accounts: {} };
    }
  }

  private save() {
    const tmp = `${this.accountPath}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state, null, 2), { mode: 0o600 });
    renameSync(tmp, this.accountPath);
  }

  /** Creates or replaces an account (a mailbox that can sign in). */
  setAccount(email: string, password: string) {
    const salt = randomBytes(16).toString('hex');
    this.state.accounts[email.toLowerCase()] = `${salt}:${hashOf(salt, password)}`;
    this.save();
  }

  hasAccount(email: string): boolean {
    return Object.hasOwn(this.state.accounts, email.toLowerCase());
  }

  /** Whether this login and password open this account (constant-time compare). */
  checkPassword(email: string, password: string): boolean {
    const entry = this.state.accounts[email.toLowerCase()];
    if (!entry) return false;
    const [salt, hash] = entry.split(':') as [string, string];
    const a = Buffer.from(hashOf(salt, password), 'hex');
    const b = Buffer.from(hash, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** The password for new mailboxes in the company domain: one per data dir, made on first need. */
  newcomerPassword(): string {
    if (!this.state.newcomerPassword) {
      const pick = () => NEWCOMER_ALPHABET[randomInt(NEWCOMER_ALPHABET.length)];
      const group = () => Array.from({ length: 4 }, pick).join('');
      this.state.newcomerPassword = `${group()}-${group()}-${group()}`;
      this.save();
    }
    return this.state.newcomerPassword;
  }

  /**
   * A sign-in by any of the three servers: the account's own password, or — for a mailbox not
   * yet known in the company domain, while under the cap — the newcomer password, which
   * creates the mailbox (salted hash, like any other) on the spot.
   */
  signIn(email: string, password: string): boolean {
    const mailbox = email.toLowerCase();
    if (this.hasAccount(mailbox)) return this.checkPassword(mailbox, password);
    const newcomers = this.state.newcomers ?? [];
    if (!NEWCOMER_ADDRESS.test(mailbox) || newcomers.length >= SANDBOX_MAX_NEWCOMERS) return false;
    const a = createHash('sha256').update(password).digest();
    const b = createHash('sha256').update(this.newcomerPassword()).digest();
    if (!timingSafeEqual(a, b)) return false;
    this.state.newcomers = [...newcomers, mailbox];
    this.setAccount(mailbox, password);
    return true;
  }

  lastPorts(): { smtp?: number; pop3?: number; imap?: number } {
    return this.state.ports ?? {};
  }

  rememberPorts(ports: { smtp: number; pop3: number; imap: number }) {
    this.state.ports = ports;
    this.save();
  }

  private folder(mailbox: string) {
    // Mailbox names are validated emails; hex keeps any odd character out of the path.
    return join(this.mailRoot, Buffer.from(mailbox.toLowerCase()).toString('hex'));
  }

  /** Appends a message to a mailbox (or folder key); returns its uid. */
  deliver(mailbox: string, raw: Buffer): string {
    const dir = this.folder(mailbox);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const counter = join(dir, 'uidnext');
    let next = 1;
    try {
      next = Math.max(1, Number.parseInt(readFileSync(counter, 'utf8'), 10) || 1);
    } catch {
      // First message of this folder.
    }
    writeFileSync(counter, String(next + 1), { mode: 0o600 });
    const uid = `${String(next).padStart(10, '0')}-${randomBytes(4).toString('hex')}`;
    const tmp = join(dir, `.${uid}.tmp`);
    writeFileSync(tmp, raw, { mode: 0o600 });
    renameSync(tmp, join(dir, `${uid}.eml`));
    this.events.emit('delivered', mailbox.toLowerCase());
    return uid;
  }

  /** IMAP UIDVALIDITY of a folder: fixed when the folder is first seen (a wiped folder gets a new one). */
  uidValidity(mailbox: string): number {
    const dir = this.folder(mailbox);
    const path = join(dir, 'uidvalidity');
    try {
      return Number.parseInt(readFileSync(path, 'utf8'), 10);
    } catch {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const value = Math.floor(Date.now() / 1000);
      writeFileSync(path, String(value), { mode: 0o600 });
      return value;
    }
  }

  /** The UID the next message of this folder will get (IMAP UIDNEXT). */
  uidNext(mailbox: string): number {
    try {
      return Number.parseInt(readFileSync(join(this.folder(mailbox), 'uidnext'), 'utf8'), 10) || 1;
    } catch {
      return 1;
    }
  }

  /** The messages of a mailbox, oldest first. */
  list(mailbox: string): StoredMessage[] {
    const dir = this.folder(mailbox);
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.eml'));
    } catch {
      return [];
    }
    return names.sort().map((name, i) => {
      const path = join(dir, name);
      const stat = statSync(path);
      const imapUid = Number.parseInt(name, 10);
      return {
        uid: name.slice(0, -4),
        imapUid: Number.isSafeInteger(imapUid) && imapUid > 0 ? imapUid : i + 1,
        size: stat.size,
        path,
        receivedAt: stat.mtime,
      };
    });
  }

  read(message: StoredMessage): Buffer {
    return readFileSync(message.path);
  }

  remove(message: StoredMessage) {
    rmSync(message.path, { force: true });
  }
}
