import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests beside the code, and integration tests in test/ that use
// real PostgreSQL and Redis (or PGlite when a developer's machine has no server).
//
// The suite must pass on a slow, loaded 2-core machine (CI, or two `npm test` runs side by side).
// No test checks speed; the limits below only catch a hang, so they are generous. A test that
// waits on a condition waits with a limit derived from its work (test/support/pipeline.ts waitFor).
// - pool 'forks': a child process per worker, as nodejieba's native addon and PGlite want;
// - maxWorkers is left at vitest's default for `vitest run` (cores − 1: one worker on 2 cores),
//   so a run never takes more than its share of the machine;
// - integration files run one at a time (they start servers, browsers and worker processes).
const HANG_MS = 180_000;

export default defineConfig({
  test: {
    pool: 'forks',
    // expect.poll's default is 1 s, too short for a page or a pipeline on a loaded machine
    expect: { poll: { timeout: 30_000, interval: 100 } },
    teardownTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['core/**/*.test.ts', 'api/**/*.test.ts', 'workers/**/*.test.ts', 'bin/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: HANG_MS,
          hookTimeout: HANG_MS,
          globalSetup: ['test/global-setup.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
