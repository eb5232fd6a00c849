/**
 * Shared pieces of the browser journeys: build the server and UI, start `mailroom serve` on
 * a fresh embedded database, launch headless Chromium, and small waiting helpers
 * (playwright-core has no auto-waiting expect).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = join(ROOT, 'test-output', 'browser');
export const STEP_TIMEOUT = 15_000;

export interface RunningServer {
  child: ChildProcess;
  url: string;
  email: string;
  password: string;
  output: string[];
  /** Resolves with the first output line (already printed or still to come) that matches. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/** Why Chromium cannot run here, or null when it can. */
export const chromiumMissingReason = (): string | null =>
  existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed`;

/** Builds what is stale (server and UI) so a journey never runs against an outdated bundle. */
export function ensureBuilt(): void {
  const script = join(ROOT, 'scripts', 'ensure-build.mjs');
  const result = existsSync(script)
    ? spawnSync(process.execPath, [script], { cwd: ROOT, stdio: 'inherit', timeout: 170_000 })
    : spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit', timeout: 170_000 });
  const missing = ['web/dist/index.html', 'dist/bundle/cli.js'].filter(
    (file) => !existsSync(join(ROOT, file)),
  );
  if (result.status !== 0 || missing.length > 0) {
    throw new Error(
      `The browser test needs a built server and UI, but the build failed (exit ${result.status}) ` +
        `or did not produce ${missing.join(', ') || 'everything'}. Run "npm run build" and read its output.`,
    );
  }
}

/**
 * Spawns `mailroom serve` in `workDir` (data in `workDir/data`, any port, loopback, quiet logs),
 * with MAILROOM_* and DATABASE_URL removed from the environment, so a developer's .env or
 * database is never used; `extraEnv` adds test settings.
 */
export function spawnServe(workDir: string, extraEnv: Record<string, string> = {}): ChildProcess {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('MAILROOM_') && key !== 'DATABASE_URL') env[key] = value;
  }
  Object.assign(env, {
    MAILROOM_DATA_DIR: join(workDir, 'data'),
    MAILROOM_PORT: '0',
    MAILROOM_HOST: '127.0.0.1',
    MAILROOM_LOG_LEVEL: 'warn',
    ...extraEnv,
  });
  return spawn(process.execPath, [join(ROOT, 'bin', 'mailroom.js'), 'serve'], {
    cwd: workDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Starts `mailroom serve` on a fresh embedded database and waits for the URL and the
 * first-start admin login it prints. Runs in an empty directory with MAILROOM_* and
 * DATABASE_URL removed from the environment, so a developer's .env or database is never
 * used; `extraEnv` adds test settings (e.g. the mail-host allow-list).
 */
export async function startServer(
  workDir: string,
  extraEnv: Record<string, string> = {},
): Promise<RunningServer> {
  const child = spawnServe(workDir, extraEnv);
  const output: string[] = [];
  const lineListeners = new Set<(line: string) => void>();
  const waitForOutput = (pattern: RegExp, timeoutMs = STEP_TIMEOUT) => {
    const seen = output.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        lineListeners.delete(listener);
        reject(new Error(`the server printed no line matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (line: string) => {
        if (!pattern.test(line)) return;
        clearTimeout(timer);
        lineListeners.delete(listener);
        resolve(line);
      };
      lineListeners.add(listener);
    });
  };
  const found: { url?: string; email?: string; password?: string } = {};

  return new Promise<RunningServer>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error('the server did not print its URL and admin login within 120 s')),
      120_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n--- server output ---\n${output.slice(-40).join('\n')}`));
    };
    const onLine = (line: string) => {
      output.push(line);
      for (const listener of lineListeners) listener(line);
      found.url ??= /mailroom is running at (\S+)/.exec(line)?.[1];
      found.email ??= /^\s+email:\s+(\S+)\s*$/.exec(line)?.[1];
      found.password ??= /^\s+password:\s+(\S+)\s*$/.exec(line)?.[1];
      if (found.url && found.email && found.password) {
        clearTimeout(timer);
        resolve({
          child,
          url: found.url.replace(/\/$/, ''),
          email: found.email,
          password: found.password,
          output,
          waitForOutput,
        });
      }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    child.once('error', fail);
    child.once('exit', (code, signal) =>
      fail(new Error(`the server exited early (code ${code}, signal ${signal})`)),
    );
  });
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Headless Chromium with everything that could reach the network switched off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Waits until the locator is visible and returns its first match. */
export async function visible(locator: Locator): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
  return locator.first();
}

export async function hidden(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'hidden', timeout: STEP_TIMEOUT });
}

/** A form control by its visible label; required fields carry a trailing asterisk. */
export function field(scope: Page | Locator, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^${escaped}( \\*)?$`));
}
