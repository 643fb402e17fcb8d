import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests share real databases; files run in parallel on 2 cores, tests in a file in order.
    pool: 'forks',
    maxWorkers: 2,
  },
});
