// The Weibo open API (v2, JSON) as the city's accounts use it: comments received, mentions in
// comments, replying by comment, and our own comments (to confirm a reply whose answer was lost).
import { z } from 'zod';
import { callProvider, NotDeliveredError, OutcomeUnknownError } from '../http';

const user = z.object({ idstr: z.string(), screen_name: z.string().optional() }).passthrough();
export const weiboCommentSchema = z
  .object({
    idstr: z.string().regex(/^\d+$/),
    created_at: z.string(),
    text: z.string(),
    user,
    status: z.object({ idstr: z.string().regex(/^\d+$/), user: user.optional() }).passthrough().optional(),
    reply_comment: z.object({ idstr: z.string() }).passthrough().optional(),
  })
  .passthrough();
export type WeiboComment = z.infer<typeof weiboCommentSchema>;

const listAnswer = z.object({ comments: z.array(z.unknown()) }).passthrough();
const errorAnswer = z.object({ error_code: z.coerce.number(), error: z.string().optional() });

/** 10022 IP, 10023 user, 10024 user-per-API request limits; 20016 posting too fast */
const RATE_LIMIT_CODES = new Set([10022, 10023, 10024, 20016]);

export class WeiboRateLimitError extends NotDeliveredError {
  constructor(readonly code: number, message: string) {
    super(message, false, 60_000);
    this.name = 'WeiboRateLimitError';
  }
}

export type WeiboFeed = 'comments/to_me' | 'comments/mentions' | 'comments/by_me';

export class WeiboClient {
  constructor(private readonly apiBase: string) {}

  private check(json: unknown, what: string): void {
    const e = errorAnswer.safeParse(json);
    if (!e.success) return;
    const msg = `Weibo ${what}: error_code ${e.data.error_code} ${e.data.error ?? ''}`.trim();
    if (RATE_LIMIT_CODES.has(e.data.error_code)) throw new WeiboRateLimitError(e.data.error_code, msg);
    throw new NotDeliveredError(msg, e.data.error_code === 20101 /* target deleted */ || e.data.error_code === 20206 /* not allowed */);
  }

  /**
   * One page of a feed, newest first. Items that do not look like comments come back in `unreadable`
   * with their JSON so the poller can keep them in rejects.
   */
  async listComments(token: string, feed: WeiboFeed, opts: { sinceId?: string; count?: number; page?: number }) {
    const q = new URLSearchParams({ access_token: token, count: String(opts.count ?? 100), page: String(opts.page ?? 1) });
    if (opts.sinceId) q.set('since_id', opts.sinceId);
    const { json } = await callProvider(`${this.apiBase}/2/${feed}.json?${q}`);
    this.check(json, feed);
    const list = listAnswer.safeParse(json);
    if (!list.success) throw new NotDeliveredError(`Weibo ${feed}: unexpected answer`);
    const comments: WeiboComment[] = [];
    const unreadable: { raw: string; reason: string }[] = [];
    for (const item of list.data.comments) {
      const c = weiboCommentSchema.safeParse(item);
      if (c.success) comments.push(c.data);
      else unreadable.push({ raw: JSON.stringify(item), reason: `unreadable Weibo comment: ${c.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
    }
    return { comments, unreadable, pageSize: list.data.comments.length };
  }

  /** 回复评论: answers the comment `cid` under the post `statusId`; returns the new comment's id. */
  async replyToComment(token: string, cid: string, statusId: string, text: string): Promise<{ providerRef: string }> {
    const form = new URLSearchParams({ access_token: token, cid, id: statusId, comment: text, comment_ori: '0' });
    const { json } = await callProvider(`${this.apiBase}/2/comments/reply.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    this.check(json, 'comments/reply');
    const c = weiboCommentSchema.safeParse(json);
    if (!c.success) throw new OutcomeUnknownError('Weibo comments/reply answered without the new comment');
    return { providerRef: `weibo:comment:${c.data.idstr}` };
  }
}

/** Weibo ids are decimal strings beyond 2^53: compare them as big integers. */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
