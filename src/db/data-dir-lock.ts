import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by another mailroom process (pid ${pid}). ` +
        'Two processes on one embedded database silently lose data, so this one will not start. ' +
        'Stop the other process, or use PostgreSQL (DATABASE_URL) to run several processes.',
    );
    this.name = 'DataDirLockedError';
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes an exclusive lock file in the PGlite data dir (STACK-NOTES: two processes on one
 * PGlite dir silently lose data). Atomic via link(2); a lock left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string): { release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, 'mailroom.lock');
  const tmp = join(dataDir, `.mailroom.lock.${process.pid}.${Date.now()}`);
  writeFileSync(tmp, `${process.pid}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(tmp, lockPath);
        let released = false;
        return {
          release() {
            if (released) return;
            released = true;
            rmSync(lockPath, { force: true });
          },
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
        if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid))
          throw new DataDirLockedError(dataDir, pid);
        rmSync(lockPath, { force: true }); // stale: its process is gone
      }
    }
    throw new Error(`Could not lock ${dataDir}`);
  } finally {
    rmSync(tmp, { force: true });
  }
}
