// Probes the real servers once. Integration tests use real PostgreSQL and Redis; on a developer's
// machine without them, PostgreSQL falls back to PGlite and Redis-only tests skip, said in one line.
// CI sets CI_REQUIRE_SERVICES=1, and then a missing server fails the run instead.
import net from 'node:net';
import type { TestProject } from 'vitest/node';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || defaultPort) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export default async function setup(project: TestProject) {
  const pgUrl = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL || DEFAULT_TEST_REDIS_URL;
  const [pg, redis] = await Promise.all([reachable(pgUrl, 5432), reachable(redisUrl, 6379)]);
  const required = ['1', 'true', 'yes'].includes(process.env.CI_REQUIRE_SERVICES ?? '');
  if (required && (!pg || !redis)) {
    throw new Error(`CI_REQUIRE_SERVICES is set but ${[!pg && `PostgreSQL (${pgUrl})`, !redis && `Redis (${redisUrl})`].filter(Boolean).join(' and ')} cannot be reached`);
  }
  if (!pg || !redis) {
    console.log(
      `integration tests: ${!pg ? `PostgreSQL unreachable at ${pgUrl}, using embedded PGlite` : ''}${!pg && !redis ? '; ' : ''}${!redis ? `Redis unreachable at ${redisUrl}, skipping Redis-only tests` : ''}`,
    );
  }
  project.provide('pgUrl', pg ? pgUrl : null);
  project.provide('redisUrl', redis ? redisUrl : null);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
    redisUrl: string | null;
  }
}
