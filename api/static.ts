// The built dashboard: files served compressed (the .br/.gz written at build by the dashboard's
// Vite config, else gzip on the fly by hono's compress) with cache headers: content-hashed assets
// are immutable, the app shell (index.html) is revalidated on every load so a deploy shows at once.
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono, MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import path from 'node:path';
import type { AppEnv } from './deps';

/** Vite names built assets `name-<hash>.ext` under assets/ */
export const HASHED_ASSET = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';
const SHORT = 'public, max-age=3600';

const cacheHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.status !== 200 && c.res.status !== 206 && c.res.status !== 304) return;
  const type = c.res.headers.get('content-type') ?? '';
  c.header('Cache-Control', HASHED_ASSET.test(c.req.path) && !type.startsWith('text/html') ? IMMUTABLE : type.startsWith('text/html') ? REVALIDATE : SHORT);
  c.header('Vary', 'Accept-Encoding');
};

const shell: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.status === 200) c.header('Cache-Control', REVALIDATE);
};

export function serveDashboard(app: Hono<AppEnv>, dir: string): void {
  const root = path.relative(process.cwd(), dir) || '.';
  // compress() leaves a response alone when it already has a Content-Encoding (a precompressed file)
  app.use('/*', cacheHeaders, compress(), serveStatic({ root, precompressed: true }));
  // a missing asset is a 404, never the shell (which the asset's immutable cache header would pin)
  app.get('/assets/*', (c) => c.notFound());
  // client-side routes fall back to the app shell
  app.get('*', shell, compress(), serveStatic({ root, path: 'index.html', precompressed: true }));
}
