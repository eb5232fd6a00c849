import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';

describe('data dir lock', () => {
  it('refuses a second holder while the first process lives, and frees on release', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mr-lock-'));
    // Another live process holds the lock.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'mailroom.lock'), `${child.pid}\n`);
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir)).toThrow(/in use by another mailroom process/);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    // Its process is gone: the stale lock is taken over.
    const lock = lockDataDir(dir);
    expect(existsSync(join(dir, 'mailroom.lock'))).toBe(true);
    lock.release();
    expect(existsSync(join(dir, 'mailroom.lock'))).toBe(false);
  });
});
