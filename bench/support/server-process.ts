import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveCommand } from './serve-command.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

/** A child process started by a benchmark, with its output so far. */
export interface Child {
  process: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout+stderr (rejects on exit or timeout). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** VmRSS / VmHWM from /proc, MB (Linux). */
  memoryMb(): { rss: number; peak: number };
  stop(): Promise<void>;
}

/** Every child still running: the runner kills them when a benchmark times out or the suite ends. */
const running = new Set<ChildProcess>();

/** SIGKILLs every child a benchmark left running (a timed-out one cannot clean up itself). */
export function killLeftoverChildren(): number {
  let killed = 0;
  for (const c of running) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      killed++;
    }
  }
  running.clear();
  return killed;
}

/** Spawns `node <args>` in the repo root with exactly `env` (plus PATH). */
export function spawnNode(args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    output: () => output,
    waitFor(pattern, timeoutMs = READY_TIMEOUT_MS) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = output.match(pattern);
          if (m) {
            done();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} after ${timeoutMs} ms:\n${output}`));
        }, timeoutMs);
        const onExit = () => {
          done();
          reject(new Error(`exited (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${output}`));
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      });
    },
    memoryMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (field: string) =>
        Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
      return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    },
  };
}

/** A started `mailroom serve` (the built dist/), with the first-start login when it printed one. */
export interface MailroomServer extends Child {
  url: string;
  admin: { email: string; password: string } | null;
}

/** `node bin/mailroom.js serve` with a clean environment plus `env`; waits for the URL line. */
export async function startMailroom(
  env: Record<string, string>,
  args: string[] = [],
): Promise<MailroomServer> {
  const child = spawnNode(serveCommand(...args), {
    MAILROOM_PORT: '0',
    MAILROOM_LOG_LEVEL: 'warn',
    ...env,
  });
  try {
    const [, url] = await child.waitFor(/mailroom is running at (http:\/\/\S+)/);
    // The first-start login is printed right after the URL line.
    const login = await child.waitFor(/ {2}password: +\S+/, 3_000).catch(() => null);
    // The administrator's block (a sandbox demo login may follow it).
    const block = /First start: created workspace[\s\S]*?email: +(\S+)[\s\S]*?password: +(\S+)/.exec(
      child.output(),
    );
    const email = block?.[1];
    const password = block?.[2];
    return {
      ...child,
      url: url!,
      admin: login && email && password ? { email, password } : null,
    };
  } catch (err) {
    await child.stop();
    throw err;
  }
}

/** A signed-in API client (session cookie + CSRF token), as the web UI is. */
export interface ApiSession {
  cookie: string;
  csrf: string;
  request(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
}

export async function signIn(url: string, email: string, password: string): Promise<ApiSession> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.getSetCookie().find((c) => c.startsWith('mailroom_session=')) ?? '').split(
    ';',
  )[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    cookie,
    csrf: csrfToken,
    async request(method, path, body) {
      const r = await fetch(`${url}${path}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await r.text();
      return { status: r.status, json: text ? (JSON.parse(text) as unknown) : null };
    },
  };
}
