// Aliyun 短信服务 Dysmsapi SendSms (API version 2017-05-25), RPC style with signature method
// HMAC-SHA1 v1.0: every parameter percent-encoded (RFC 3986: only A-Z a-z 0-9 - _ . ~ left as they
// are, space as %20, and `*` → %2A, `%7E` → `~`), sorted by name, joined as the canonical query;
// StringToSign = "GET&%2F&" + percentEncode(canonical query); Signature = base64(HMAC-SHA1(secret + "&",
// StringToSign)), sent as one more parameter. The answer is JSON {RequestId, Code, Message, BizId}.
import { createHmac, randomUUID } from 'node:crypto';
import { NotDeliveredError } from '../channels/http';

export interface AliyunSmsSettings {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
  endpoint: string;
}

export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** the sorted, encoded query that is signed (and sent, with the signature added) */
export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k])}`)
    .join('&');
}

export function stringToSign(params: Record<string, string>, method = 'GET'): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

export function sign(params: Record<string, string>, accessKeySecret: string, method = 'GET'): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign(params, method)).digest('base64');
}

/** Aliyun's ISO 8601 timestamp in UTC without milliseconds: 2026-12-02T06:30:00Z */
export const aliyunTimestamp = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function sendSmsParams(
  s: AliyunSmsSettings,
  msg: { phone: string; templateParam: Record<string, string>; outId?: string },
  at: Date,
  nonce: string = randomUUID(),
): Record<string, string> {
  return {
    AccessKeyId: s.accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    PhoneNumbers: msg.phone,
    RegionId: 'cn-hangzhou',
    SignName: s.signName,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: nonce,
    SignatureVersion: '1.0',
    TemplateCode: s.templateCode,
    TemplateParam: JSON.stringify(msg.templateParam),
    Timestamp: aliyunTimestamp(at),
    Version: '2017-05-25',
    ...(msg.outId ? { OutId: msg.outId } : {}),
  };
}

/** the signed request URL */
export function signedUrl(s: AliyunSmsSettings, params: Record<string, string>): string {
  const signature = sign(params, s.accessKeySecret);
  return `${s.endpoint.replace(/\/+$/, '')}/?Signature=${percentEncode(signature)}&${canonicalQuery(params)}`;
}

/**
 * Codes after which the message certainly was not sent and a later try can succeed (flow control,
 * throttling, the service busy); every other error code is permanent (a bad signature, key, sign,
 * template or number does not fix itself).
 */
export const TRANSIENT_CODES = new Set([
  'isv.BUSINESS_LIMIT_CONTROL', 'Throttling.User', 'Throttling', 'isp.SYSTEM_ERROR', 'ServiceUnavailable', 'isv.OUT_OF_SERVICE', 'InternalError',
]);

const RETRY_AFTER_MS: Record<string, number> = { 'isv.BUSINESS_LIMIT_CONTROL': 60_000 };

export async function aliyunSendSms(
  s: AliyunSmsSettings,
  msg: { phone: string; templateParam: Record<string, string>; outId?: string },
  opts: { now?: () => Date; fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<{ bizId: string; requestId: string }> {
  const url = signedUrl(s, sendSmsParams(s, msg, (opts.now ?? (() => new Date()))()));
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, { method: 'GET', signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    // refused or unresolvable: the request never reached Aliyun; anything else (a timeout) may have
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') throw new NotDeliveredError(`Dysmsapi unreachable (${code})`, false);
    throw err;
  }
  const text = await res.text();
  let body: { Code?: string; Message?: string; BizId?: string; RequestId?: string };
  try {
    body = JSON.parse(text);
  } catch {
    if (res.status >= 500) throw new NotDeliveredError(`Dysmsapi HTTP ${res.status}`, false);
    throw new NotDeliveredError(`Dysmsapi HTTP ${res.status}: not JSON`, true);
  }
  if (body.Code === 'OK' && body.BizId) return { bizId: body.BizId, requestId: body.RequestId ?? '' };
  const code = body.Code ?? `HTTP ${res.status}`;
  throw new NotDeliveredError(`Dysmsapi ${code}: ${body.Message ?? ''} (RequestId ${body.RequestId ?? '-'})`, !TRANSIENT_CODES.has(code), RETRY_AFTER_MS[code]);
}
