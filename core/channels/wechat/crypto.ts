// Safe mode (安全模式) message encryption: AES-256-CBC, key = Base64(EncodingAESKey + "="), IV = the
// key's first 16 bytes, PKCS#7 padding to 32-byte blocks; plaintext = 16 random bytes + 4-byte
// big-endian length + message + appid.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const BLOCK = 32;

export class WechatCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatCryptoError';
  }
}

export class WechatCrypto {
  private readonly key: Buffer;
  private readonly iv: Buffer;

  constructor(encodingAesKey: string) {
    if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey)) throw new WechatCryptoError('EncodingAESKey must be 43 letters or digits');
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
    this.iv = this.key.subarray(0, 16);
  }

  /** Returns the message and the appid (receiveid) it was encrypted for. */
  decrypt(encrypted: string): { message: string; appId: string } {
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.key, this.iv);
      decipher.setAutoPadding(false);
      plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
    } catch (err) {
      throw new WechatCryptoError(`cannot decrypt: ${(err as Error).message}`);
    }
    const pad = plain.at(-1) ?? 0;
    if (pad < 1 || pad > BLOCK || plain.length < 20 + pad) throw new WechatCryptoError('bad PKCS#7 padding');
    plain = plain.subarray(0, plain.length - pad);
    const length = plain.readUInt32BE(16);
    if (20 + length > plain.length) throw new WechatCryptoError('message length exceeds the decrypted data');
    return { message: plain.subarray(20, 20 + length).toString('utf8'), appId: plain.subarray(20 + length).toString('utf8') };
  }

  encrypt(message: string, appId: string, random: Buffer = randomBytes(16)): string {
    const msg = Buffer.from(message, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length);
    const body = Buffer.concat([random, len, msg, Buffer.from(appId, 'utf8')]);
    const pad = BLOCK - (body.length % BLOCK);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.iv);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }
}
