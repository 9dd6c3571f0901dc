// What every channel endpoint does with a payload once it is authenticated: store it (受理) before
// answering, or keep it in rejects with the reason when it cannot be read.
import type { Sql } from '../db/connect';
import { insertMessage, markMessageWithoutCase, type StoredMessage } from '../db/messages';
import { insertReject } from '../db/rejects';
import { incomingMessageSchema, type IncomingMessageInput } from '../messages/incoming';
import { acceptMessage } from '../messages/intake';
import type { JobQueue } from '../queue/contract';

export interface ChannelIntakeDeps {
  sql: Sql;
  queue: JobQueue;
  onQueueError?: (err: unknown) => void;
}

/** A resident's message: stored, then queued for the pipeline (the message sweep covers a queue outage). */
export async function intakeMessage(deps: ChannelIntakeDeps, input: IncomingMessageInput): Promise<{ message: StoredMessage; created: boolean }> {
  const r = await acceptMessage(deps, input);
  return { message: r.message, created: r.created };
}

/** A record that is not a request (subscribe, menu click): stored once, never turned into a case. */
export async function intakeRecordOnly(deps: ChannelIntakeDeps, input: IncomingMessageInput, note: string): Promise<{ message: StoredMessage; created: boolean }> {
  const r = await insertMessage(deps.sql, incomingMessageSchema.parse(input));
  if (r.created) await markMessageWithoutCase(deps.sql, r.message.id, note);
  return r;
}

export async function rejectPayload(sql: Sql, channel: string, raw: string, contentType: string | undefined, reason: string, details?: Record<string, unknown>): Promise<number> {
  return insertReject(sql, { channel, raw, contentType: contentType ?? null, reason, details });
}
