// The WeChat official-account API for replies: the access token (cached in app_state so all
// processes share one, refreshed 5 minutes before expiry or when WeChat says it expired) and the
// customer-service message (客服消息) send.
import { z } from 'zod';
import type { Sql } from '../../db/connect';
import { getAppState, setAppState } from '../../db/app-state';
import { callProvider, NotDeliveredError, OutcomeUnknownError } from '../http';
import type { WechatSettings } from '../settings';

const tokenAnswer = z.union([
  z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().int().positive() }),
  z.object({ errcode: z.number(), errmsg: z.string().optional() }),
]);
const sendAnswer = z.object({ errcode: z.number(), errmsg: z.string().optional(), msgid: z.union([z.number(), z.string()]).optional() });
const cachedToken = z.object({ token: z.string(), expiresAt: z.number() });

/** WeChat says the token is invalid or expired: fetch a new one and send again, once */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
/** not sendable at all: 48-hour window over (45015), quota (45047), user refuses (43004), bad openid (40003) */
const PERMANENT_ERRORS = new Set([40003, 43004, 45015, 45047, 48001]);
const REFRESH_MARGIN_MS = 5 * 60_000;
/** WeChat's text limit for customer-service messages is about 2048 bytes */
export const WECHAT_TEXT_MAX_CHARS = 600;

export class WechatClient {
  private memo: { token: string; expiresAt: number } | null = null;
  private readonly key: string;

  constructor(
    private readonly settings: WechatSettings,
    private readonly sql: Sql,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.key = `wechat:access-token:${settings.appId ?? 'default'}`;
  }

  /** the token fetch under way: concurrent sends wait for it instead of each asking WeChat */
  private inflight: Promise<string> | null = null;

  /**
   * The cached token, or a fresh one. `refresh` forces a new one unless the token WeChat refused
   * (`stale`) was already replaced meanwhile: seventeen sends that hit an expired token together
   * make one fetch, not seventeen (each fetch also invalidates the token the others just got).
   */
  async accessToken(opts: { refresh?: boolean; stale?: string } = {}): Promise<string> {
    if (this.inflight) return this.inflight;
    const t = this.now().getTime();
    if (opts.refresh && opts.stale && this.memo && this.memo.token !== opts.stale && this.memo.expiresAt - REFRESH_MARGIN_MS > t) return this.memo.token;
    if (!opts.refresh) {
      if (this.memo && this.memo.expiresAt - REFRESH_MARGIN_MS > t) return this.memo.token;
      const stored = cachedToken.safeParse(await getAppState(this.sql, this.key));
      if (stored.success && stored.data.expiresAt - REFRESH_MARGIN_MS > t) return (this.memo = stored.data).token;
      if (this.inflight) return this.inflight; // another call started the fetch while we read the cache
    }
    this.inflight = this.fetchToken(t).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async fetchToken(t: number): Promise<string> {
    const { appId, appSecret, apiBase } = this.settings;
    if (!appId || !appSecret) throw new NotDeliveredError('WECHAT_APP_ID and WECHAT_APP_SECRET are needed to send replies', true);
    const url = `${apiBase}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(appId)}&secret=${encodeURIComponent(appSecret)}`;
    let answer;
    try {
      answer = tokenAnswer.parse((await callProvider(url)).json);
    } catch (err) {
      // asking for a token sends nothing to the resident: any failure here is safe to retry
      if (err instanceof NotDeliveredError) throw err;
      throw new NotDeliveredError(`access token: ${(err as Error).message}`);
    }
    if ('errcode' in answer) throw new NotDeliveredError(`access token: WeChat errcode ${answer.errcode} ${answer.errmsg ?? ''}`.trim(), answer.errcode === 40013 || answer.errcode === 40125);
    this.memo = { token: answer.access_token, expiresAt: t + answer.expires_in * 1000 };
    await setAppState(this.sql, this.key, this.memo);
    return this.memo.token;
  }

  /** Sends a text to the resident; returns the provider's reference. */
  async sendText(openid: string, content: string): Promise<{ providerRef: string }> {
    const body = JSON.stringify({ touser: openid, msgtype: 'text', text: { content } });
    let token = await this.accessToken();
    for (let round = 0; ; round++) {
      const res = await callProvider(`${this.settings.apiBase}/cgi-bin/message/custom/send?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
      });
      const parsed = sendAnswer.safeParse(res.json);
      if (!parsed.success) throw new OutcomeUnknownError(`custom/send answered an unexpected body (HTTP ${res.status})`);
      const { errcode, errmsg, msgid } = parsed.data;
      if (errcode === 0) return { providerRef: msgid !== undefined ? `wechat:msgid:${msgid}` : `wechat:custom:${openid}:${this.now().toISOString()}` };
      if (TOKEN_ERRORS.has(errcode) && round === 0) {
        token = await this.accessToken({ refresh: true, stale: token });
        continue;
      }
      throw new NotDeliveredError(`custom/send: WeChat errcode ${errcode} ${errmsg ?? ''}`.trim(), PERMANENT_ERRORS.has(errcode));
    }
  }
}
