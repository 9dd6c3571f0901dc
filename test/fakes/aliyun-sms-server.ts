// A fake Aliyun Dysmsapi (SendSms, 2017-05-25) that checks what the real one checks: the RPC
// signature recomputed from the received parameters with its own encoder (RFC 3986 bytes, sorted,
// "GET&%2F&" + encoded query, HMAC-SHA1 with secret + "&"), the AccessKeyId, a Timestamp within 15
// minutes, a SignatureNonce not seen before, the required parameters, the sign name, the template
// and its JSON parameters, the phone number; and answers in Aliyun's JSON shape with its error codes.
// `failNext` scripts flow control (isv.BUSINESS_LIMIT_CONTROL) or an outage for the next requests.
import { createHmac, randomUUID } from 'node:crypto';
import { sendJson, startFakeServer, type FakeServer } from './http';

export interface FakeSms {
  phone: string;
  signName: string;
  templateCode: string;
  templateParam: Record<string, string>;
  outId: string | null;
  bizId: string;
}

export interface FakeAliyunSms extends FakeServer {
  sent: FakeSms[];
  /** every request and the Code it was answered with */
  log: { code: string; params: Record<string, string> }[];
  failNext(code: 'isv.BUSINESS_LIMIT_CONTROL' | 'ServiceUnavailable', times?: number): void;
}

/** RFC 3986 unreserved characters stay; every other byte of the UTF-8 is %XX (upper case) */
function rfc3986(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const REQUIRED = ['AccessKeyId', 'Action', 'Format', 'PhoneNumbers', 'SignName', 'SignatureMethod', 'SignatureNonce', 'SignatureVersion', 'TemplateCode', 'Timestamp', 'Version'];

export async function startFakeAliyunSms(opts: {
  accessKeyId: string; accessKeySecret: string; signName: string; templateCode: string; templateVars: string[]; now?: () => Date;
}): Promise<FakeAliyunSms> {
  const sent: FakeSms[] = [];
  const log: FakeAliyunSms['log'] = [];
  const nonces = new Set<string>();
  const scripted: string[] = [];
  const server = await startFakeServer((req, url, _body, res) => {
    const requestId = randomUUID().toUpperCase();
    // the raw query: a parameter sent twice is an error, and the decoded values are what was signed
    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    const answer = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) => {
      log.push({ code, params });
      sendJson(res, status, { RequestId: requestId, Code: code, Message: message, ...extra, ...(status !== 200 ? { HostId: 'dysmsapi.aliyuncs.com', Recommend: `https://api.aliyun.com/troubleshoot?q=${code}` } : {}) });
    };
    if (req.method !== 'GET' && req.method !== 'POST') return answer(400, 'UnsupportedHTTPMethod', `The HTTP method ${req.method} is not supported.`);
    for (const k of [...REQUIRED, 'Signature']) if (!params[k]) return answer(400, 'MissingParameter', `The input parameter "${k}" that is mandatory for processing this request is not supplied.`);
    if (params.Action !== 'SendSms') return answer(400, 'InvalidAction.NotFound', `Specified api is not found, please check your url and method.`);
    if (params.Version !== '2017-05-25') return answer(400, 'InvalidVersion', `Specified parameter Version is not valid.`);
    if (params.SignatureMethod !== 'HMAC-SHA1' || params.SignatureVersion !== '1.0') return answer(400, 'InvalidSignatureMethod', 'Specified signature method is not supported.');
    if (params.AccessKeyId !== opts.accessKeyId) return answer(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(params.Timestamp)) return answer(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
    const skew = Math.abs(new Date(params.Timestamp).getTime() - (opts.now?.() ?? new Date()).getTime());
    if (skew > 15 * 60_000) return answer(400, 'InvalidTimeStamp.Expired', `Specified time stamp or date value is expired.`);
    const { Signature: signature, ...signed } = params;
    const query = Object.keys(signed).sort().map((k) => `${rfc3986(k)}=${rfc3986(signed[k])}`).join('&');
    const toSign = `${req.method}&${rfc3986('/')}&${rfc3986(query)}`;
    const expected = createHmac('sha1', `${opts.accessKeySecret}&`).update(toSign).digest('base64');
    if (signature !== expected) return answer(400, 'SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${toSign}`);
    if (nonces.has(params.SignatureNonce)) return answer(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    nonces.add(params.SignatureNonce);
    const next = scripted.shift();
    if (next === 'ServiceUnavailable') return answer(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.');
    if (next === 'isv.BUSINESS_LIMIT_CONTROL') return answer(200, 'isv.BUSINESS_LIMIT_CONTROL', '触发小时级流控Permits:5');
    if (params.Format !== 'JSON') return answer(200, 'isv.INVALID_PARAMETERS', '参数异常');
    if (!/^(?:\d{11})(?:,\d{11})*$/.test(params.PhoneNumbers) || !params.PhoneNumbers.split(',').every((p) => /^1[3-9]\d{9}$/.test(p))) return answer(200, 'isv.MOBILE_NUMBER_ILLEGAL', '非法手机号');
    if (params.SignName !== opts.signName) return answer(200, 'isv.SMS_SIGNATURE_ILLEGAL', '该账号下找不到对应签名');
    if (params.TemplateCode !== opts.templateCode) return answer(200, 'isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板');
    let vars: Record<string, string>;
    try {
      vars = JSON.parse(params.TemplateParam ?? '{}');
    } catch {
      return answer(200, 'isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值');
    }
    if (typeof vars !== 'object' || vars === null || Object.values(vars).some((v) => typeof v !== 'string')) return answer(200, 'isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值');
    const missing = opts.templateVars.filter((v) => !(v in vars));
    if (missing.length) return answer(200, 'isv.TEMPLATE_MISSING_PARAMETERS', `模板缺少变量：${missing.join(',')}`);
    const bizId = `${Date.now()}${Math.floor(Math.random() * 1e6)}^0`;
    for (const phone of params.PhoneNumbers.split(',')) sent.push({ phone, signName: params.SignName, templateCode: params.TemplateCode, templateParam: vars, outId: params.OutId ?? null, bizId });
    answer(200, 'OK', 'OK', { BizId: bizId });
  });
  return {
    ...server,
    sent,
    log,
    failNext(code, times = 1) {
      for (let i = 0; i < times; i++) scripted.push(code);
    },
  };
}
