// Small key/value facts about this installation (demo progress, generated secrets).
import type { Db } from './connect';

export async function getAppState<T>(sql: Db, key: string): Promise<T | undefined> {
  const [row] = await sql<{ value: T }[]>`SELECT value FROM app_state WHERE key = ${key}`;
  return row?.value;
}

export async function setAppState(sql: Db, key: string, value: unknown): Promise<void> {
  await sql`
    INSERT INTO app_state (key, value) VALUES (${key}, ${sql.json(value as never)})
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`;
}

/** Sets the value only if the key is absent; returns the value in force. */
export async function initAppState<T>(sql: Db, key: string, value: T): Promise<T> {
  await sql`INSERT INTO app_state (key, value) VALUES (${key}, ${sql.json(value as never)}) ON CONFLICT (key) DO NOTHING`;
  return (await getAppState<T>(sql, key)) as T;
}
