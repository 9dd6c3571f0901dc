// 微博 polling: for each official account, the comments it received and the comments that
// mention it, since the stored since_id. Everything fetched is stored before the cursor moves,
// so a crash or a rate limit mid-poll refetches (duplicates are ignored) and loses nothing.
import type { Sql } from '../../db/connect';
import { getChannelCursor, setChannelCursor } from '../../db/channel-cursors';
import { getAppState, setAppState } from '../../db/app-state';
import { insertReject } from '../../db/rejects';
import { acceptMessages } from '../../messages/intake';
import type { JobQueue } from '../../queue/contract';
import type { WeiboAccount } from '../settings';
import { compareIds, WeiboRateLimitError, type WeiboClient, type WeiboComment, type WeiboFeed } from './client';
import { weiboCommentToIncoming } from './message';

export const POLLED_FEEDS: WeiboFeed[] = ['comments/to_me', 'comments/mentions'];
const PAGE_SIZE = 100;
const MAX_PAGES = 50;
const BACKOFF_MIN_MS = 60_000;
const BACKOFF_MAX_MS = 3600_000;

export interface WeiboPollDeps {
  sql: Sql;
  queue: JobQueue;
  client: WeiboClient;
  now: () => Date;
  log?: { info(o: object, m: string): void; warn(o: object, m: string): void };
}

export interface FeedResult {
  account: string;
  feed: WeiboFeed;
  fetched: number;
  created: number;
  cursor: string | null;
  /** set when the feed was skipped or cut short by a rate limit */
  backoffUntil?: Date;
}

interface Backoff {
  until: number;
  delayMs: number;
}

const backoffKey = (uid: string) => `weibo:backoff:${uid}`;
const cursorKey = (uid: string, feed: WeiboFeed) => `${uid}/${feed}`;

export async function pollWeibo(deps: WeiboPollDeps, accounts: WeiboAccount[]): Promise<FeedResult[]> {
  const results: FeedResult[] = [];
  for (const account of accounts) {
    const backoff = (await getAppState<Backoff>(deps.sql, backoffKey(account.uid))) ?? null;
    if (backoff && backoff.until > deps.now().getTime()) {
      for (const feed of POLLED_FEEDS) results.push({ account: account.uid, feed, fetched: 0, created: 0, cursor: null, backoffUntil: new Date(backoff.until) });
      continue;
    }
    let limited = false;
    for (const feed of POLLED_FEEDS) {
      try {
        results.push(await pollFeed(deps, account, feed));
      } catch (err) {
        if (!(err instanceof WeiboRateLimitError)) throw err;
        // the limits are per token and hour: wait, doubling each time the limit is met again
        const delayMs = Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_MIN_MS, (backoff?.delayMs ?? 0) * 2));
        const until = deps.now().getTime() + delayMs;
        await setAppState(deps.sql, backoffKey(account.uid), { until, delayMs });
        deps.log?.warn({ account: account.uid, feed, code: err.code, delayMs }, 'Weibo rate limit: backing off');
        results.push({ account: account.uid, feed, fetched: 0, created: 0, cursor: null, backoffUntil: new Date(until) });
        limited = true;
        break;
      }
    }
    if (!limited && backoff?.delayMs) await setAppState(deps.sql, backoffKey(account.uid), { until: 0, delayMs: 0 });
  }
  return results;
}

async function pollFeed(deps: WeiboPollDeps, account: WeiboAccount, feed: WeiboFeed): Promise<FeedResult> {
  const since = await getChannelCursor(deps.sql, 'weibo', cursorKey(account.uid, feed));
  let newest = since ?? null;
  let fetched = 0;
  let created = 0;
  let complete = false;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { comments, unreadable, pageSize } = await deps.client.listComments(account.accessToken, feed, { sinceId: since, count: PAGE_SIZE, page });
    for (const u of unreadable) await insertReject(deps.sql, { channel: 'weibo', raw: u.raw, contentType: 'application/json', reason: u.reason, details: { account: account.uid, feed } });
    // our own replies show up in the feeds too: they are not residents' messages
    const theirs = comments.filter((c: WeiboComment) => c.user.idstr !== account.uid);
    const r = await acceptMessages({ sql: deps.sql, queue: deps.queue }, theirs.map((c) => weiboCommentToIncoming(c, account.uid, deps.now())));
    fetched += comments.length;
    created += r.created.length;
    for (const c of comments) if (!newest || compareIds(c.idstr, newest) > 0) newest = c.idstr;
    if (pageSize < PAGE_SIZE) {
      complete = true;
      break;
    }
  }
  if (!complete) {
    // more than MAX_PAGES new comments: what we have is stored; moving the cursor would skip the middle
    deps.log?.warn({ account: account.uid, feed }, 'Weibo feed longer than the page limit; cursor kept, next poll continues');
  } else if (newest && newest !== since) {
    await setChannelCursor(deps.sql, 'weibo', cursorKey(account.uid, feed), newest);
  }
  if (created) deps.log?.info({ account: account.uid, feed, created }, 'Weibo comments stored');
  return { account: account.uid, feed, fetched, created, cursor: complete ? newest : since ?? null };
}
