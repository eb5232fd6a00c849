import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVE_NODE_FLAGS, serveCommand, startScriptFlags } from '../../bench/support/serve-command.js';

/** The benchmarks start `mailroom serve` with the Node flags of `npm start`, and only those. */
describe('serveCommand', () => {
  it('reads the flags between node and bin/mailroom.js serve', () => {
    expect(startScriptFlags('node scripts/ensure-build.mjs && node bin/mailroom.js serve')).toEqual([]);
    expect(
      startScriptFlags(
        'node scripts/ensure-build.mjs && node --v8-pool-size=0 --trace-gc bin/mailroom.js serve',
      ),
    ).toEqual(['--v8-pool-size=0', '--trace-gc']);
    expect(() => startScriptFlags('node dist/other.js')).toThrow(/does not run bin\/mailroom.js serve/);
  });

  it('starts the server as npm start and the bin script do', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.scripts.start).toContain(`node ${SERVE_NODE_FLAGS.join(' ')} bin/mailroom.js serve`);
    const shebang = readFileSync(new URL('../../bin/mailroom.js', import.meta.url), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${SERVE_NODE_FLAGS.join(' ')}`.trimEnd());
    expect(serveCommand('--role', 'worker')).toEqual([
      ...SERVE_NODE_FLAGS,
      'bin/mailroom.js',
      'serve',
      '--role',
      'worker',
    ]);
  });
});
