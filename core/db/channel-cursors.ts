// Where each polled channel feed got to (Weibo since_id per account and feed).
import type { Db } from './connect';

export async function getChannelCursor(sql: Db, channel: string, account: string): Promise<string | undefined> {
  const [row] = await sql<{ cursor: string }[]>`SELECT cursor FROM channel_cursors WHERE channel = ${channel} AND account = ${account}`;
  return row?.cursor;
}

export async function setChannelCursor(sql: Db, channel: string, account: string, cursor: string): Promise<void> {
  await sql`
    INSERT INTO channel_cursors (channel, account, cursor) VALUES (${channel}, ${account}, ${cursor})
    ON CONFLICT (channel, account) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`;
}
