import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests beside the code, and integration tests in test/ that use
// real PostgreSQL and Redis (or PGlite when a developer's machine has no server).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['core/**/*.test.ts', 'api/**/*.test.ts', 'workers/**/*.test.ts', 'bin/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          globalSetup: ['test/global-setup.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
