import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one fork per core minus one: a single fork on the 2-core CI machine.
    // Most test time is spent waiting on PostgreSQL, Chromium or a child process, so three
    // forks keep both cores busy (measured: the suite in 514 s instead of 750 s).
    maxWorkers: 3,
    reporters: ['default'],
  },
});
