// A fake Weibo open API server: comments/to_me, comments/mentions and comments/by_me (JSON with
// since_id, count, page; newest first), comments/reply, and the rate-limit errors 10022/10023/10024.
import { sendJson, startFakeServer, type FakeServer } from './http';

export interface FakeComment {
  idstr: string;
  id: number;
  created_at: string;
  text: string;
  user: { id: number; idstr: string; screen_name: string };
  status: { idstr: string; id: number; text: string; user: { idstr: string; screen_name: string } };
  reply_comment?: { idstr: string; text: string };
}

export interface FakeWeibo extends FakeServer {
  /** token → account uid */
  tokens: Map<string, string>;
  addComment(account: string, feed: 'to_me' | 'mentions', c: { idstr: string; text: string; uid?: string; name?: string; statusId?: string; at?: Date }): FakeComment;
  /** replies posted through comments/reply */
  replies: { account: string; cid: string; statusId: string; comment: string; idstr: string }[];
  /** the next n list requests answer a rate-limit error with this code */
  rateLimitNext(n: number, code?: 10022 | 10023 | 10024): void;
  requests: string[];
}

/** Weibo's own date format: "Wed Jun 01 00:50:25 +0800 2011" */
export function weiboDate(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[t.getUTCDay()]} ${months[t.getUTCMonth()]} ${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())} +0800 ${t.getUTCFullYear()}`;
}

const LIMIT_TEXT = { 10022: 'IP requests out of rate limit!', 10023: 'User requests out of rate limit!', 10024: 'User requests for (%s) out of rate limit!' };

export async function startFakeWeibo(): Promise<FakeWeibo> {
  const feeds = new Map<string, FakeComment[]>(); // `${uid}:${feed}`
  const tokens = new Map<string, string>();
  const replies: FakeWeibo['replies'] = [];
  const requests: string[] = [];
  let limited = 0;
  let limitCode: 10022 | 10023 | 10024 = 10023;
  let nextReplyId = 9_100_000_000_000_000n;
  const list = (key: string) => feeds.get(key) ?? (feeds.set(key, []), feeds.get(key)!);

  const server = await startFakeServer((req, url, body, res) => {
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const params = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
    const account = tokens.get(params.get('access_token') ?? '');
    const api = url.pathname.replace(/^\/2\//, '').replace(/\.json$/, '');
    if (!account) return sendJson(res, 403, { error: 'invalid_access_token', error_code: 21332, request: url.pathname });
    const m = /^comments\/(to_me|mentions|by_me)$/.exec(api);
    if (req.method === 'GET' && m) {
      if (limited > 0) {
        limited--;
        return sendJson(res, 403, { error: LIMIT_TEXT[limitCode], error_code: limitCode, request: url.pathname });
      }
      const since = BigInt(params.get('since_id') || '0');
      const count = Math.min(200, Number(params.get('count') || 50));
      const page = Math.max(1, Number(params.get('page') || 1));
      const all = list(`${account}:${m[1]}`)
        .filter((c) => BigInt(c.idstr) > since)
        .sort((a, b) => (BigInt(b.idstr) > BigInt(a.idstr) ? 1 : -1));
      const comments = all.slice((page - 1) * count, page * count);
      return sendJson(res, 200, { comments, hasvisible: false, previous_cursor: 0, next_cursor: 0, total_number: all.length });
    }
    if (req.method === 'POST' && api === 'comments/reply') {
      const cid = params.get('cid');
      const statusId = params.get('id');
      const comment = params.get('comment');
      if (!cid || !statusId || !comment) return sendJson(res, 400, { error: 'miss required parameter', error_code: 10016, request: url.pathname });
      const target = [...feeds.entries()].filter(([k]) => k.startsWith(`${account}:`)).flatMap(([, v]) => v).find((c) => c.idstr === cid);
      if (!target) return sendJson(res, 400, { error: 'target weibo does not exist!', error_code: 20101, request: url.pathname });
      const idstr = String(nextReplyId++);
      const created: FakeComment = {
        idstr,
        id: Number(idstr),
        created_at: weiboDate(new Date()),
        text: `回复@${target.user.screen_name}:${comment}`,
        user: { id: Number(account), idstr: account, screen_name: `官方${account}` },
        status: target.status,
        reply_comment: { idstr: cid, text: target.text },
      };
      list(`${account}:by_me`).push(created);
      replies.push({ account, cid, statusId, comment, idstr });
      return sendJson(res, 200, created);
    }
    sendJson(res, 404, { error: 'Request Api not found!', error_code: 10020, request: url.pathname });
  });

  return {
    ...server,
    tokens,
    replies,
    requests,
    addComment(acct, feed, c) {
      const uid = c.uid ?? '5' + c.idstr.slice(-8);
      const comment: FakeComment = {
        idstr: c.idstr,
        id: Number(c.idstr),
        created_at: weiboDate(c.at ?? new Date()),
        text: c.text,
        user: { id: Number(uid), idstr: uid, screen_name: c.name ?? `网友${uid.slice(-4)}` },
        status: { idstr: c.statusId ?? '4900000000000001', id: Number(c.statusId ?? '4900000000000001'), text: '芜湖发布：今日要闻', user: { idstr: acct, screen_name: `官方${acct}` } },
      };
      list(`${acct}:${feed}`).push(comment);
      return comment;
    },
    rateLimitNext(n, code = 10023) {
      limited = n;
      limitCode = code;
    },
  };
}
