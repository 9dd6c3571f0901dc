// Helpers for the channel tests: a pipeline with channel config, and signed WeChat/12345 requests.
import { randomBytes } from 'node:crypto';
import type { Config } from '../../core/config';
import type { Database } from '../../core/db/connect';
import { hotlineSignature } from '../../core/channels/hotline/signature';
import { WechatCrypto } from '../../core/channels/wechat/crypto';
import { wechatSignature } from '../../core/channels/wechat/signature';
import { InProcessQueue } from '../../core/queue/in-process';
import { createProcessors } from '../../workers/processors/index';
import { silentLogger, type testApp } from './app';
import { shipped } from './cases';

type App = ReturnType<typeof testApp>;

export function channelPipeline(db: Database, config: Config, opts: { now?: () => Date } = {}) {
  const queue = new InProcessQueue({ concurrency: 2 });
  queue.register(createProcessors({ db, queue, logger: silentLogger, config, now: opts.now, shipped }));
  return queue;
}

export const nowSeconds = () => String(Math.floor(Date.now() / 1000));

export function wechatPost(
  app: App,
  xml: string,
  opts: { token: string; aesKey?: string; appId?: string; timestamp?: string; badSignature?: boolean; contentType?: string },
) {
  const timestamp = opts.timestamp ?? nowSeconds();
  const nonce = String(randomBytes(4).readUInt32BE());
  const q = new URLSearchParams({ timestamp, nonce, signature: wechatSignature(opts.token, timestamp, nonce) });
  let body = xml;
  if (opts.aesKey) {
    const encrypt = new WechatCrypto(opts.aesKey).encrypt(xml, opts.appId ?? '');
    body = `<xml><ToUserName><![CDATA[gh_5a1f0c9e7d21]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
    q.set('encrypt_type', 'aes');
    q.set('msg_signature', wechatSignature(opts.token, timestamp, nonce, encrypt));
  }
  if (opts.badSignature) q.set(opts.aesKey ? 'msg_signature' : 'signature', 'f'.repeat(40));
  return app.request(`/api/v1/channels/wechat?${q}`, { method: 'POST', headers: { 'content-type': opts.contentType ?? 'text/xml' }, body });
}

export function textXml(o: { msgId: string; content: string; from?: string; createTime?: number }): string {
  return `<xml><ToUserName><![CDATA[gh_5a1f0c9e7d21]]></ToUserName><FromUserName><![CDATA[${o.from ?? 'oUser_resident_001'}]]></FromUserName><CreateTime>${o.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${o.content}]]></Content><MsgId>${o.msgId}</MsgId></xml>`;
}

export function hotlinePost(app: App, body: unknown, opts: { secret: string; timestamp?: string; signature?: string; contentType?: string }) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = opts.timestamp ?? nowSeconds();
  return app.request('/api/v1/channels/hotline/orders', {
    method: 'POST',
    headers: {
      'content-type': opts.contentType ?? 'application/json',
      'x-timestamp': timestamp,
      'x-signature': opts.signature ?? hotlineSignature(opts.secret, timestamp, raw),
    },
    body: raw,
  });
}
