// /api/v1/channels: the inbound webhooks of the channels that push (WeChat, the 12345 hotline).
// Weibo is polled by a worker; the portal form is /api/v1/messages.
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../deps';
import { hotlineRoutes } from './hotline';
import { wechatRoutes } from './wechat';

export function channelsRoutes(deps: AppDeps, opts: { now?: () => Date } = {}) {
  const now = opts.now ?? (() => new Date());
  const app = new Hono<AppEnv>();
  app.route('/wechat', wechatRoutes(deps, now));
  app.route('/hotline', hotlineRoutes(deps, now));
  return app;
}
