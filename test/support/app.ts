// The API wired to a test database and a queue, in-process (app.request()).
import { createApp } from '../../api/app';
import { loadConfig, type Config } from '../../core/config';
import { createLogger } from '../../core/logger';
import type { JobQueue } from '../../core/queue/contract';
import type { TestDatabase } from './db';
import { shipped } from './cases';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', ...overrides });
}

export const silentLogger = createLogger({ level: 'silent' });

export function testApp(db: TestDatabase, queue: JobQueue, config: Config = testConfig()) {
  return createApp({ db, queue, config, logger: silentLogger, shipped });
}

export function postJson(app: ReturnType<typeof createApp>, path: string, body: unknown, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
