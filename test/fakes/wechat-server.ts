// A fake WeChat API server speaking the real formats: /cgi-bin/token (errcode or access_token +
// expires_in) and /cgi-bin/message/custom/send (40001 invalid token, 42001 expired token).
import { randomBytes } from 'node:crypto';
import { sendJson, startFakeServer, type FakeServer } from './http';

export interface FakeWechat extends FakeServer {
  appId: string;
  appSecret: string;
  /** every message accepted by custom/send */
  sent: { touser: string; msgtype: string; text?: { content: string } }[];
  tokenRequests: number;
  /** the next custom/send answers 42001 (token expired) whatever the token */
  expireTokens(): void;
}

export async function startFakeWechat(opts: { appId?: string; appSecret?: string } = {}): Promise<FakeWechat> {
  const appId = opts.appId ?? 'wx5823bf96d3bd56c7';
  const appSecret = opts.appSecret ?? 'fake-app-secret';
  const valid = new Set<string>();
  const expired = new Set<string>();
  const state = { sent: [] as FakeWechat['sent'], tokenRequests: 0 };
  const server = await startFakeServer((req, url, body, res) => {
    if (req.method === 'GET' && url.pathname === '/cgi-bin/token') {
      state.tokenRequests++;
      if (url.searchParams.get('grant_type') !== 'client_credential') return sendJson(res, 200, { errcode: 40002, errmsg: 'invalid grant_type' });
      if (url.searchParams.get('appid') !== appId) return sendJson(res, 200, { errcode: 40013, errmsg: 'invalid appid' });
      if (url.searchParams.get('secret') !== appSecret) return sendJson(res, 200, { errcode: 40125, errmsg: 'invalid appsecret' });
      const token = randomBytes(24).toString('base64url');
      valid.add(token);
      return sendJson(res, 200, { access_token: token, expires_in: 7200 });
    }
    if (req.method === 'POST' && url.pathname === '/cgi-bin/message/custom/send') {
      const token = url.searchParams.get('access_token') ?? '';
      if (expired.has(token)) return sendJson(res, 200, { errcode: 42001, errmsg: `access_token expired rid: ${randomBytes(4).toString('hex')}` });
      if (!valid.has(token)) return sendJson(res, 200, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
      let msg: FakeWechat['sent'][number];
      try {
        msg = JSON.parse(body) as FakeWechat['sent'][number];
      } catch {
        return sendJson(res, 200, { errcode: 47001, errmsg: 'data format error' });
      }
      if (!msg.touser || msg.msgtype !== 'text' || !msg.text?.content) return sendJson(res, 200, { errcode: 44003, errmsg: 'empty news data' });
      state.sent.push(msg);
      return sendJson(res, 200, { errcode: 0, errmsg: 'ok' });
    }
    sendJson(res, 404, { errcode: 404, errmsg: 'no such api' });
  });
  return {
    ...server,
    appId,
    appSecret,
    get sent() {
      return state.sent;
    },
    get tokenRequests() {
      return state.tokenRequests;
    },
    expireTokens() {
      for (const t of valid) expired.add(t);
      valid.clear();
    },
  };
}
