// Password hashing with node:crypto's scrypt (memory-hard, as OWASP recommends for passwords): it
// ships with Node, so there is no native add-on to build (argon2 and bcrypt need node-gyp or
// prebuilt binaries, which the embedded `npm install && npm start` must not depend on).
// Stored as `scrypt$N$r$p$<salt b64>$<hash b64>`, so the cost can rise later without a migration.
import { randomBytes, randomInt, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));

/** N = 2^15, r = 8, p = 1: about 32 MiB and some 50-100 ms per hash on a server core */
const COST = { N: 1 << 15, r: 8, p: 1 };
const KEYLEN = 32;
const maxmem = (N: number, r: number) => 128 * N * r * 2;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;

/** Why a password is refused (Chinese first), or null. */
export function passwordProblem(pw: string): string | null {
  if (pw.length < PASSWORD_MIN) return `密码至少 ${PASSWORD_MIN} 个字符 (at least ${PASSWORD_MIN} characters)`;
  if (pw.length > PASSWORD_MAX) return `密码最多 ${PASSWORD_MAX} 个字符 (at most ${PASSWORD_MAX} characters)`;
  if (/^(.)\1*$/.test(pw)) return '密码不能由同一个字符组成 (not one character repeated)';
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, KEYLEN, { ...COST, maxmem: maxmem(COST.N, COST.r) });
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || N > 1 << 20) return false;
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  const key = await scrypt(password.normalize('NFC'), salt, expected.length, { N, r, p, maxmem: maxmem(N, r) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash nobody's password matches, checked for unknown names so their answer takes as long as a known one's. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}

/** A random password for a reset (shown once): 16 characters from an unambiguous alphabet. */
export function randomPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('');
}
