// Builds the Hono app without listening: tests call app.request() in-process.
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppDeps, AppEnv } from './deps';
import { ApiError, errorHandler } from './errors';
import { adminRoutes } from './routes/admin';
import { authRoutes } from './routes/auth';
import { alertsRoutes } from './routes/alerts';
import { alertRulesRoutes } from './routes/alerts/rules';
import { serveDashboard } from './static';
import { docsRoutes } from './openapi/docs-routes';
import { boardRoutes } from './routes/board';
import { casesRoutes } from './routes/cases';
import { channelsRoutes } from './routes/channels';
import { healthRoutes } from './routes/health';
import { messagesRoutes } from './routes/messages';
import { metricsRoutes } from './routes/metrics';
import { reportsRoutes } from './routes/reports';
import { OPEN311_BASE, open311Routes } from './routes/open311';
import { residentRoutes } from './routes/resident';
import { sessionRoutes } from './routes/session';
import { statsRoutes } from './routes/stats';
import { topicsRoutes } from './routes/topics';
import { topicDetailRoutes } from './routes/topics/detail';
import { triageRoutes } from './routes/triage';
import { kbRoutes } from './routes/kb';
import { replyTemplateRoutes } from './routes/reply-templates';

/**
 * On every answer, errors included: the dashboard may load only its own scripts and talk only to
 * this origin (a staff token sits in localStorage: an injected script must have nowhere to run or
 * send it), no page may frame it, no type sniffing, and no Referer (status-page URLs carry the 查询码).
 * Inline styles stay allowed: React and recharts set style attributes.
 */
export const securityHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  xContentTypeOptions: 'nosniff',
});

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', securityHeaders);
  app.use('*', requestId({ headerName: 'X-Request-Id' }));
  app.use('*', async (c, next) => {
    const start = performance.now();
    await next();
    if (c.req.path === '/health' && c.res.status === 200) return; // probes would drown the log
    deps.logger.info(
      { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - start) },
      'request',
    );
  });
  app.onError(errorHandler(deps.logger));

  // chained, so the routes' types make AppType (the dashboard's typed client)
  const routes = app
    .route('/health', healthRoutes(deps))
    .route('/api/v1/messages', messagesRoutes(deps))
    .route('/api/v1/messages', residentRoutes(deps))
    .route('/api/v1/channels', channelsRoutes(deps))
    .route('/api/v1/stats', statsRoutes(deps))
    .route('/api/v1/stats', metricsRoutes(deps))
    .route('/api/v1/stats', topicsRoutes(deps))
    .route('/api/v1/topics', topicDetailRoutes(deps))
    .route('/api/v1/session', sessionRoutes(deps))
    .route('/api/v1/auth', authRoutes(deps))
    .route('/api/v1/admin', adminRoutes(deps))
    .route('/api/v1/cases', casesRoutes(deps))
    .route('/api/v1/triage', triageRoutes(deps))
    .route('/api/v1/alerts', alertsRoutes(deps))
    .route('/api/v1/alert-rules', alertRulesRoutes(deps))
    .route('/api/v1/reports', reportsRoutes(deps))
    .route(OPEN311_BASE, open311Routes(deps))
    .route('/api/docs', docsRoutes())
    .route('/api/v1/board', boardRoutes(deps))
    .route('/api/v1/kb', kbRoutes(deps))
    .route('/api/v1/reply-templates', replyTemplateRoutes(deps));
  app.all('/api/*', () => {
    throw new ApiError('not_found', 'no such endpoint');
  });

  if (deps.dashboardDir && existsSync(path.join(deps.dashboardDir, 'index.html'))) {
    serveDashboard(app, deps.dashboardDir);
  }
  const onError = errorHandler(deps.logger);
  app.notFound((c) => onError(new ApiError('not_found', '没有这个地址 (not found)'), c));
  return routes;
}

export type App = ReturnType<typeof createApp>;
/** The API's routes with their inputs and outputs, for Hono's typed client (dashboard/src/api.ts). */
export type AppType = App;
