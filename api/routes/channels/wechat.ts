// 微信公众号 message push: GET URL verification and POST messages, plaintext or safe mode (AES).
// The message is stored before `success` goes back; the pipeline runs later on the queue.
import { Hono } from 'hono';
import { z } from 'zod';
import { acceptMessage, acceptRecordOnly } from '../../../core/messages/intake';
import { timestampProblem, wechatSettings } from '../../../core/channels/settings';
import { WechatCrypto, WechatCryptoError } from '../../../core/channels/wechat/crypto';
import { mapWechatMessage, WechatMessageError } from '../../../core/channels/wechat/message';
import { safeEqualHex, wechatSignature } from '../../../core/channels/wechat/signature';
import { parseWechatXml, WechatXmlError } from '../../../core/channels/wechat/xml';
import type { AppDeps, AppEnv } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';
import { limitBody, rejectAndThrow, requireConfigured, requireContentType, unauthorized } from './body';

const signed = z.object({
  timestamp: z.string().min(1, 'timestamp is required'),
  nonce: z.string().min(1, 'nonce is required').max(64),
  signature: z.string().optional(),
  msg_signature: z.string().optional(),
});
export const verifyQuery = signed.extend({ echostr: z.string().min(1, 'echostr is required').max(1024) });
export const pushQuery = signed.extend({ encrypt_type: z.enum(['raw', 'aes']).optional(), openid: z.string().optional() });

export function wechatRoutes(deps: AppDeps, now: () => Date) {
  const app = new Hono<AppEnv>();
  const settings = wechatSettings(deps.config);
  const crypto = settings?.aesKey ? new WechatCrypto(settings.aesKey) : null;
  const intake = { sql: deps.db.sql, queue: deps.queue, onQueueError: (err: unknown) => deps.logger.warn({ err }, 'enqueue failed; the sweep will retry') };

  function checkFresh(timestamp: string) {
    const problem = timestampProblem(timestamp, now());
    if (problem) throw unauthorized(problem);
  }
  function checkSignature(expected: string, given: string | undefined, name: string) {
    if (!given) throw unauthorized(`${name} is missing`);
    if (!safeEqualHex(expected, given)) throw unauthorized(`wrong ${name}`);
  }
  function decrypt(encrypted: string): string {
    if (!crypto) throw new ApiError('unavailable', 'an encrypted message arrived but WECHAT_ENCODING_AES_KEY is not configured');
    const { message, appId } = crypto.decrypt(encrypted);
    if (settings?.appId && appId !== settings.appId) throw unauthorized(`the message was encrypted for appid ${appId}, not this account`);
    return message;
  }

  // an unconfigured channel says so before anything else, rather than taking unauthenticated input
  app.use('*', async (_c, next) => {
    requireConfigured(settings, 'WeChat (WECHAT_TOKEN)');
    await next();
  });

  app.get('/', validate('query', verifyQuery), (c) => {
    const s = settings!;
    const q = c.req.valid('query');
    checkFresh(q.timestamp);
    if (q.msg_signature) {
      // the encrypted form of the verification (企业微信 style): echostr is ciphertext
      checkSignature(wechatSignature(s.token, q.timestamp, q.nonce, q.echostr), q.msg_signature, 'msg_signature');
      try {
        return c.text(decrypt(q.echostr));
      } catch (err) {
        if (err instanceof WechatCryptoError) throw new ApiError('bad_request', `echostr: ${err.message}`);
        throw err;
      }
    }
    checkSignature(wechatSignature(s.token, q.timestamp, q.nonce), q.signature, 'signature');
    return c.text(q.echostr);
  });

  app.post('/', limitBody, validate('query', pushQuery), async (c) => {
    const s = settings!;
    requireContentType(c, /^(text|application)\/xml\b/i, 'text/xml');
    const q = c.req.valid('query');
    checkFresh(q.timestamp);
    const raw = await c.req.text();
    const readXml = (text: string) => {
      try {
        return parseWechatXml(text);
      } catch (err) {
        if (err instanceof WechatXmlError) return rejectAndThrow(deps, c, 'wechat', raw, err.message);
        throw err;
      }
    };

    let fields: Record<string, string>;
    if (q.encrypt_type === 'aes' || q.msg_signature) {
      // nothing is stored before msg_signature holds: an unsigned or wrongly signed envelope is
      // answered and forgotten (kept as a reject it would let anyone fill the disk)
      if (!q.msg_signature) throw unauthorized('msg_signature is missing');
      let envelope: Record<string, string>;
      try {
        envelope = parseWechatXml(raw);
      } catch (err) {
        if (err instanceof WechatXmlError) throw new ApiError('bad_request', err.message);
        throw err;
      }
      if (!envelope.Encrypt) throw new ApiError('bad_request', 'safe-mode message without an <Encrypt> element');
      checkSignature(wechatSignature(s.token, q.timestamp, q.nonce, envelope.Encrypt), q.msg_signature, 'msg_signature');
      let inner: string;
      try {
        inner = decrypt(envelope.Encrypt);
      } catch (err) {
        if (err instanceof WechatCryptoError) return rejectAndThrow(deps, c, 'wechat', raw, err.message);
        throw err;
      }
      fields = await readXml(inner);
    } else {
      checkSignature(wechatSignature(s.token, q.timestamp, q.nonce), q.signature, 'signature');
      fields = await readXml(raw);
    }

    let mapped;
    try {
      mapped = mapWechatMessage(fields, raw);
    } catch (err) {
      if (err instanceof WechatMessageError) return rejectAndThrow(deps, c, 'wechat', raw, err.message);
      throw err;
    }
    const stored =
      mapped.kind === 'event' ? await acceptRecordOnly(intake, mapped.incoming, `WeChat event ${mapped.event}: no case`) : await acceptMessage(intake, mapped.incoming);
    deps.logger.debug({ messageId: stored.message.id, created: stored.created }, 'wechat message stored');
    // WeChat wants exactly "success" (or a passive reply); anything else shows the resident an error
    return c.text('success');
  });

  return app;
}
