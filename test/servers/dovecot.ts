import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { type AddressInfo, createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturePath } from '../helpers/tls-fixtures.js';
import { type SmtpSink, startSmtpSink } from './smtp-sink.js';

const DOVECOT = '/usr/sbin/dovecot';
const TEMPLATES = fileURLToPath(new URL('../dovecot/', import.meta.url));
// Mail processes run unprivileged (nobody); the maildirs are chowned to it.
const MAIL_UID = 65534;
const MAIL_GID = 65534;

export interface DovecotUser {
  user: string;
  password: string;
}

export interface DovecotOptions {
  users: DovecotUser[];
  /** Messages placed in each user's `Maildir/new/` before start (LF endings are fine). */
  messages?: Record<string, Buffer[]>;
  /** Where the submission service relays; by default the fixture starts its own SMTP sink. */
  relayPort?: number;
  /** The fixture's sink delivers relayed mail for its users into their maildirs (a round trip). */
  deliverRelayed?: boolean;
  /** Also accept XOAUTH2/OAUTHBEARER, checking tokens at this RFC 7662 introspection URL (oauth2 passdb). */
  oauth2IntrospectionUrl?: string;
}

export interface DovecotPorts {
  pop3: number;
  pop3s: number;
  imap: number;
  imaps: number;
  /** 587-like: plaintext, STARTTLS, AUTH only after TLS. */
  submission: number;
  /** 465-like: implicit TLS. */
  submissions: number;
}

export interface DovecotInstance {
  host: '127.0.0.1';
  ports: DovecotPorts;
  /** The SMTP sink the submission service relays to (null when `relayPort` was given). */
  relay: SmtpSink | null;
  /** The user's Maildir (cur/new/tmp inside). */
  maildir(user: string): string;
  /** Delivers one more message into the user's `Maildir/new/`; returns its path. */
  addMessage(user: string, raw: Buffer): string;
  /** Dovecot's log so far (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

/** Why Dovecot tests cannot run here, or null when they can (pair with `serviceMissing`). */
export function dovecotMissingReason(): string | null {
  if (!existsSync(DOVECOT))
    return `${DOVECOT} not found (apt-get install dovecot-pop3d dovecot-imapd dovecot-submissiond)`;
  for (const part of ['imap', 'pop3', 'submission']) {
    if (!existsSync(`/usr/lib/dovecot/${part}`)) return `Dovecot ${part} service not installed`;
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return 'the Dovecot fixture runs as root (it chowns maildirs to uid 65534)';
  }
  return null;
}

/**
 * Starts a throwaway Dovecot 2.3 (IMAP, POP3, submission; plain+STARTTLS and implicit TLS
 * listeners) on 127.0.0.1 with its own base/state dirs under a temp dir, passwd-file users
 * with {PLAIN} passwords, maildirs owned by uid 65534, the CA-signed `localhost` fixture
 * certificate (trust `testCaPem()`), `auth_failure_delay = 0` and `nopenalty`. Resolves once
 * every listener accepts and the IMAP greeting says the auth process is ready.
 */
export async function startDovecot(opts: DovecotOptions): Promise<DovecotInstance> {
  const reason = dovecotMissingReason();
  if (reason) throw new Error(`Dovecot unavailable: ${reason}`);
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-dovecot-'));
  // Login processes (dovenull) and auth (dovecot) must traverse into base_dir.
  chmodSync(dir, 0o755);
  let relay: SmtpSink | null = null;
  let child: ChildProcess | null = null;
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  try {
    const users = new Set(opts.users.map((u) => u.user.toLowerCase()));
    let deliver: (user: string, raw: Buffer) => void = () => {};
    if (opts.relayPort === undefined) {
      relay = await startSmtpSink({
        mode: 'plain',
        authOptional: true,
        ...(opts.deliverRelayed
          ? {
              onMessage: (m) => {
                for (const to of m.to) if (users.has(to.toLowerCase())) deliver(to, m.raw);
              },
            }
          : {}),
      });
    }
    const [pop3, pop3s, imap, imaps, submission, submissions] = await freePorts(6);
    const ports: DovecotPorts = {
      pop3: pop3!,
      pop3s: pop3s!,
      imap: imap!,
      imaps: imaps!,
      submission: submission!,
      submissions: submissions!,
    };
    const home = (user: string): string => join(dir, 'home', user);
    const maildir = (user: string): string => join(home(user), 'Maildir');
    for (const { user, password } of opts.users) {
      if (!/^[A-Za-z0-9._@+-]+$/.test(user) || /[:\r\n]/.test(password)) {
        throw new Error(`Unsupported test user or password for passwd-file: ${user}`);
      }
      for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir(user), sub), { recursive: true });
    }
    const passwdLine = readTemplate('passwd.template');
    writeFileSync(
      join(dir, 'passwd'),
      opts.users
        .map((u) =>
          render(passwdLine, {
            user: u.user,
            password: u.password,
            uid: MAIL_UID,
            gid: MAIL_GID,
            home: home(u.user),
          }),
        )
        .join(''),
      { mode: 0o644 },
    );
    const config = render(readTemplate('dovecot.conf.template'), {
      dir,
      instance: `mailroom-test-${randomBytes(4).toString('hex')}`,
      cert: fixturePath('localhost.pem'),
      key: fixturePath('localhost.key'),
      uid: MAIL_UID,
      gid: MAIL_GID,
      imapPort: ports.imap,
      imapsPort: ports.imaps,
      pop3Port: ports.pop3,
      pop3sPort: ports.pop3s,
      submissionPort: ports.submission,
      submissionsPort: ports.submissions,
      relayPort: opts.relayPort ?? relay?.port ?? 0,
    });
    const confPath = join(dir, 'dovecot.conf');
    writeFileSync(confPath, config + oauth2Config(dir, opts.oauth2IntrospectionUrl), { mode: 0o644 });

    const addMessage = (user: string, raw: Buffer): string => {
      const path = join(maildir(user), 'new', `${Date.now()}.M${randomBytes(6).toString('hex')}.localhost`);
      writeFileSync(path, raw);
      chownSync(path, MAIL_UID, MAIL_GID);
      return path;
    };
    deliver = (user, raw) => addMessage(user, raw);
    for (const [user, messages] of Object.entries(opts.messages ?? {})) {
      for (const raw of messages) addMessage(user, raw);
    }
    chownTree(join(dir, 'home'));

    let stderr = '';
    child = spawn(DOVECOT, ['-F', '-c', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    process.once('exit', killOnExit);
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    const logs = (): string => {
      const path = join(dir, 'dovecot.log');
      return (existsSync(path) ? readFileSync(path, 'utf8') : '') + stderr;
    };
    const ready = waitForReady(ports);
    const outcome = await Promise.race([
      ready.then(() => 'ready' as const),
      exited.then(() => 'exited' as const),
    ]);
    if (outcome === 'exited') throw new Error(`Dovecot exited during start:\n${logs()}`);

    const running = child;
    let stopped: Promise<void> | null = null;
    return {
      host: '127.0.0.1',
      ports,
      relay,
      maildir,
      addMessage,
      logs,
      stop() {
        stopped ??= (async () => {
          process.removeListener('exit', killOnExit);
          if (running.exitCode === null && running.signalCode === null) {
            running.kill('SIGTERM');
            const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
            await exited;
            clearTimeout(timer);
          }
          await relay?.close();
          rmSync(dir, { recursive: true, force: true });
        })();
        return stopped;
      },
    };
  } catch (err) {
    process.removeListener('exit', killOnExit);
    child?.kill('SIGKILL');
    await relay?.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

function readTemplate(name: string): string {
  return readFileSync(join(TEMPLATES, name), 'utf8')
    .split('\n')
    .filter((line) => !(name === 'passwd.template' && line.startsWith('#')))
    .join('\n');
}

function render(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
    if (!(key in values)) throw new Error(`No value for {{${key}}} in Dovecot template`);
    return String(values[key]);
  });
}

function chownTree(path: string): void {
  chownSync(path, MAIL_UID, MAIL_GID);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child);
    else chownSync(child, MAIL_UID, MAIL_GID);
  }
}

/** Binds `n` listeners on port 0 at once (so the ports differ), notes them and releases them. */
async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createServer());
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Every port accepts, and the IMAP greeting no longer says it is waiting for the auth process. */
async function waitForReady(ports: DovecotPorts, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (const port of Object.values(ports)) {
    while (!(await accepts(port))) {
      if (Date.now() > until) throw new Error(`Dovecot port ${port} never accepted`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  while (!/ready/i.test(await firstLine(ports.imap))) {
    if (Date.now() > until) throw new Error('Dovecot IMAP never became ready');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function firstLine(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    let data = '';
    const done = (line: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(line);
    };
    const timer = setTimeout(() => done(''), 2_000);
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      const end = data.indexOf('\n');
      if (end >= 0) done(data.slice(0, end));
    });
    socket.once('error', () => done(''));
  });
}

/** The oauth2 passdb (Dovecot 2.3): tokens checked by the authorization server, users from the passwd file. */
function oauth2Config(dir: string, introspectionUrl: string | undefined): string {
  if (!introspectionUrl) return '';
  writeFileSync(
    join(dir, 'dovecot-oauth2.conf.ext'),
    [
      'introspection_mode = post',
      `introspection_url = ${introspectionUrl}`,
      'username_attribute = username',
      'active_attribute = active',
      'active_value = true',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  return [
    '',
    'auth_mechanisms = plain login xoauth2 oauthbearer',
    'passdb {',
    '  driver = oauth2',
    '  mechanisms = xoauth2 oauthbearer',
    `  args = ${dir}/dovecot-oauth2.conf.ext`,
    '  default_fields = nopenalty nodelay',
    '}',
    '',
  ].join('\n');
}
