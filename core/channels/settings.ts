// Each channel's settings picked out of the one config; null when the channel is not configured,
// so that an endpoint answers 503 instead of taking unauthenticated input.
import type { Config } from '../config';

export interface WechatSettings {
  token: string;
  aesKey: string | null;
  appId: string | null;
  appSecret: string | null;
  apiBase: string;
}

export interface WeiboAccount {
  uid: string;
  accessToken: string;
}

export interface WeiboSettings {
  apiBase: string;
  accounts: WeiboAccount[];
}

export function wechatSettings(config: Config | undefined): WechatSettings | null {
  if (!config?.WECHAT_TOKEN) return null;
  return {
    token: config.WECHAT_TOKEN,
    aesKey: config.WECHAT_ENCODING_AES_KEY ?? null,
    appId: config.WECHAT_APP_ID ?? null,
    appSecret: config.WECHAT_APP_SECRET ?? null,
    apiBase: config.WECHAT_API_BASE.replace(/\/+$/, ''),
  };
}

/** WEIBO_ACCOUNTS is "uid,uid" (all on WEIBO_ACCESS_TOKEN) or "uid=token,…" for accounts with their own token. */
export function weiboSettings(config: Config | undefined): WeiboSettings | null {
  if (!config?.WEIBO_ACCOUNTS) return null;
  const accounts: WeiboAccount[] = [];
  for (const entry of config.WEIBO_ACCOUNTS.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [uid, own] = entry.split('=').map((s) => s.trim());
    const accessToken = own || config.WEIBO_ACCESS_TOKEN;
    if (uid && accessToken) accounts.push({ uid, accessToken });
  }
  return accounts.length ? { apiBase: config.WEIBO_API_BASE.replace(/\/+$/, ''), accounts } : null;
}

/** Replay window of signed webhooks (WeChat, 12345): a request older or newer than this is refused. */
export const SIGNED_REQUEST_WINDOW_S = 300;

/** null when the Unix-seconds timestamp is within the window of `now`, else why not. */
export function timestampProblem(ts: string | undefined, now: Date, windowS = SIGNED_REQUEST_WINDOW_S): string | null {
  if (!ts) return 'missing timestamp';
  if (!/^\d{1,12}$/.test(ts)) return `timestamp "${ts.slice(0, 20)}" is not Unix seconds`;
  const skew = Math.round(now.getTime() / 1000 - Number(ts));
  if (Math.abs(skew) > windowS) {
    return `stale timestamp: ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'in the future'}, the limit is ${windowS} s (check the sender's clock or a replayed request)`;
  }
  return null;
}
