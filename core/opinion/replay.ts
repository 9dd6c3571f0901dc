// Replays a file of messages (the columns of the TipDM 2020 C attachment 3: message_id, subject,
// detail, created_at, likes, dislikes) in time order through the production topic code
// (assignToTopic on a fresh embedded PostgreSQL, the re-clustering sweep every simulated
// `sweepHours`), for the eval commands. Nothing here is used by the services.
import { connectDatabase, type Database } from '../db/connect';
import { migrate } from '../db/migrate';
import { analyzeMessage } from '../nlp/analyze';
import { readCsvFile } from '../util/csv';
import type { OpinionConfig } from './config';
import { opinionConfig } from './config';
import { assignToTopic, reclusterTopics, refreshActiveTopics, type AssignResult } from './topics';

export interface ReplayRow {
  id: number;
  subject: string;
  detail: string;
  at: Date;
  likes: number;
}

const REQUIRED = ['message_id', 'subject', 'detail', 'created_at', 'likes'];

/** Reads the file; throws a message naming the file and the bad row or column. */
export function readReplayFile(file: string): ReplayRow[] {
  const { header, rows } = readCsvFile(file);
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) throw new Error(`${file}: missing column(s) ${missing.join(', ')}`);
  return rows.map((r, i) => {
    const id = Number(r.message_id);
    const at = new Date(r.created_at);
    if (!Number.isInteger(id) || id <= 0) throw new Error(`${file}: row ${i + 2}: message_id "${r.message_id}" is not a positive integer`);
    if (Number.isNaN(at.getTime())) throw new Error(`${file}: row ${i + 2}: created_at "${r.created_at}" is not a time`);
    return { id, subject: r.subject ?? '', detail: r.detail ?? '', at, likes: Math.max(0, Number(r.likes) || 0) };
  }).sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id);
}

export interface Replay {
  db: Database;
  /** feeds one message (as the worker would after reading it), sweeping first when a sweep is due */
  add(row: ReplayRow, channel?: string): Promise<AssignResult>;
  /** the final sweep and heat at `now` */
  finish(now: Date): Promise<void>;
  close(): Promise<void>;
}

export async function openReplay(opts: { sweepHours?: number; cfg?: OpinionConfig } = {}): Promise<Replay> {
  const cfg = opts.cfg ?? opinionConfig();
  const db = await connectDatabase({ dataDir: '', inMemory: true });
  await migrate(db.sql);
  const sweepMs = (opts.sweepHours ?? 72) * 3_600_000;
  let nextSweep: number | null = null;
  return {
    db,
    async add(row, channel = 'portal') {
      if (nextSweep === null) nextSweep = row.at.getTime() + sweepMs;
      while (row.at.getTime() >= nextSweep) {
        await reclusterTopics(db.sql, new Date(nextSweep), cfg);
        nextSweep += sweepMs;
      }
      const analysis = analyzeMessage(row.detail, { title: row.subject || undefined });
      return assignToTopic(db.sql, {
        messageId: row.id, caseId: null, receivedAt: row.at, channel, isPublic: true, title: row.subject || null, body: row.detail,
        analysis, engagement: row.likes,
      }, cfg);
    },
    async finish(now) {
      await reclusterTopics(db.sql, now, cfg);
      await refreshActiveTopics(db.sql, now, cfg, { since: new Date(0) });
    },
    close: () => db.close(),
  };
}
