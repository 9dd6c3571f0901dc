// Replays a file of messages (the columns of the TipDM 2020 C attachment 3: message_id, subject,
// detail, created_at, likes, dislikes) in time order through the production topic code
// (assignToTopic on a fresh embedded PostgreSQL, the re-clustering sweep every simulated
// `sweepHours`), for the eval commands. Nothing here is used by the services.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { shippedDigest } from '../shipped/store';
import { connectDatabase, type Database } from '../db/connect';
import { migrate } from '../db/migrate';
import { analyzeMessage } from '../nlp/analyze';
import type { MessageAnalysis } from '../nlp/types';
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

export async function openReplay(opts: { sweepHours?: number; cfg?: OpinionConfig; analyze?: (row: ReplayRow) => MessageAnalysis } = {}): Promise<Replay> {
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
      const analysis = opts.analyze ? opts.analyze(row) : analyzeMessage(row.detail, { title: row.subject || undefined });
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

/**
 * For iterating on the topic code only: the NLP readings of a file's rows kept in `dir` (e.g. /tmp),
 * keyed by the file's bytes and the NLP code's and lexicons' bytes, so a change to either reads anew.
 * A row not in the cache is read by analyzeMessage and the cache is written back by `save`.
 */
export function analysisCache(dir: string, dataFile: string): { analyze: (row: ReplayRow) => MessageAnalysis; save: () => { file: string; hits: number; misses: number } } {
  const h = createHash('sha1');
  h.update(readFileSync(dataFile));
  for (const f of listFiles(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../nlp'))) h.update(f).update(readFileSync(f));
  // the topic settings (opinion.json) are not read by the NLP: changing them keeps the cache
  h.update(shippedDigest((name) => name === 'opinion.json'));
  const file = path.join(dir, `nlp-${h.digest('hex').slice(0, 16)}.json`);
  const cached: Record<string, MessageAnalysis> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, MessageAnalysis>) : {};
  let hits = 0;
  let misses = 0;
  return {
    analyze(row) {
      const key = `${row.id}`;
      if (cached[key]) {
        hits++;
        return cached[key];
      }
      misses++;
      return (cached[key] = analyzeMessage(row.detail, { title: row.subject || undefined }));
    },
    save() {
      if (misses) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(file, JSON.stringify(cached));
      }
      return { file, hits, misses };
    },
  };
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listFiles(p);
    return e.isFile() && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}
