// Open311 API keys: 32 random bytes shown once, stored as a sha256 hash (a random key cannot be
// guessed, so a slow password hash would add nothing but latency to every POST).
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/connect';
import { findLiveOpen311Key, insertOpen311Key, type Open311KeyRow } from '../../db/open311';

export const KEY_PREFIX = 'ms311_';

export function hashOpen311Key(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A new key for a client; the clear key is returned once and never stored. Null when the name is taken. */
export async function createOpen311Key(sql: Db, name: string): Promise<{ key: string; row: Open311KeyRow } | null> {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  const row = await insertOpen311Key(sql, { name, keyHash: hashOpen311Key(key), keyPrefix: key.slice(0, KEY_PREFIX.length + 6) });
  return row ? { key, row } : null;
}

/** The live key a client presented, or undefined (absent, unknown or revoked). */
export async function verifyOpen311Key(sql: Db, key: string | undefined | null): Promise<{ id: number; name: string } | undefined> {
  if (!key || key.length > 200) return undefined;
  return findLiveOpen311Key(sql, hashOpen311Key(key));
}
