// Channels that are polled rather than pushed: the Weibo accounts' comments and mentions.
import { weiboSettings } from '../../core/channels/settings';
import { WeiboClient } from '../../core/channels/weibo/client';
import { pollWeibo } from '../../core/channels/weibo/poller';
import type { WorkerArea, WorkerContext } from './context';

export const WEIBO_POLL_MS = 60_000;

export function channelsArea(ctx: WorkerContext): WorkerArea {
  const weibo = weiboSettings(ctx.config);
  if (!weibo) return {}; // not configured: nothing to poll and nothing scheduled
  const client = new WeiboClient(weibo.apiBase);
  return {
    periodic: {
      'weibo-poll': async () => {
        await pollWeibo({ sql: ctx.db.sql, queue: ctx.queue, client, now: ctx.now, log: ctx.logger }, weibo.accounts);
      },
    },
    schedule: { 'weibo-poll': WEIBO_POLL_MS },
  };
}
