import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/**/*.test.ts',
      'test/**/*.test.tsx',
      'plugins/**/*.test.ts',
      'src/**/*.test.ts',
      'views/**/*.test.tsx',
    ],
    setupFiles: ['test/setup/ink-row-cache.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The e2e suites start servers and child processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
  },
});
