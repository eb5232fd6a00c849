import { defineConfig } from 'vitest/config';

// Two projects: everything on Node (unit, API, protocol, Dovecot integration) and the
// browser journeys (Chromium via playwright-core), which need a built UI and run alone.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/browser/**', 'node_modules/**', 'dist/**'],
          globalSetup: ['test/helpers/global-setup.ts'],
          setupFiles: ['test/helpers/cheap-password-hash.ts'],
          pool: 'forks',
          // Two files at a time on two cores: the files wait mostly on sockets, child processes and
          // PGlite's own thread (decision 0022: −28 % on a 12-file sample; whole CI run in 0022).
          maxWorkers: 2,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          pool: 'forks',
          maxWorkers: 1,
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
