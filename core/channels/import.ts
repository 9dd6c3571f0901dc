// Bulk import of exported messages: the 12345 hotline's daily work-order export (CSV or JSON) and
// any channel's CSV with column mapping. Rows are validated one by one (a bad row is counted,
// reasoned and kept in rejects, never dropped) and stored in chunks with the bulk intake.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Sql } from '../db/connect';
import { insertReject } from '../db/rejects';
import { channelSchema, incomingMessageSchema, type Channel, type IncomingMessageInput } from '../messages/incoming';
import { acceptMessages } from '../messages/intake';
import type { JobQueue } from '../queue/contract';
import { readCsvFile } from '../util/csv';
import { flexibleTime, hotlineOrderSchema, hotlineOrderToIncoming } from './hotline/order';

export interface ImportRow {
  /** 1-based data row (after the CSV header) */
  row: number;
  raw: string;
  input?: IncomingMessageInput;
  reason?: string;
}

export interface ImportSummary {
  rows: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** reason → count */
  reasons: Record<string, number>;
  /** the first rejected rows with their reasons */
  rejectedRows: { row: number; reason: string }[];
  ms: number;
  rowsPerSecond: number;
}

function issuesText(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ');
}

function readRecords(file: string): Record<string, unknown>[] {
  if (/\.json$/i.test(file)) {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const list = Array.isArray(data) ? data : (data as { orders?: unknown }).orders;
    if (!Array.isArray(list)) throw new Error(`${file}: expected a JSON array of orders or { "orders": [...] }`);
    return list.map((x) => (x && typeof x === 'object' ? (x as Record<string, unknown>) : { value: x }));
  }
  return readCsvFile(file).rows;
}

/** the call centre's export uses Chinese headers; the webhook's field names work too */
const HOTLINE_ALIASES: Record<string, string> = {
  工单编号: 'orderNo', 工单号: 'orderNo', 来电时间: 'callTime', 来电号码: 'callerPhone', 主叫号码: 'callerPhone',
  诉求内容: 'content', 内容: 'content', 地址: 'address', 事发地址: 'address', 分类: 'category', 话务员分类: 'category', 来电人: 'callerName',
};

export function readHotlineFile(file: string): ImportRow[] {
  return readRecords(file).map((rec, i) => {
    const fields = Object.fromEntries(Object.entries(rec).map(([k, v]) => [HOTLINE_ALIASES[k.trim()] ?? k.trim(), v === '' ? undefined : v]));
    const raw = JSON.stringify(rec);
    const order = hotlineOrderSchema.safeParse(fields);
    if (!order.success) return { row: i + 1, raw, reason: issuesText(order.error) };
    return { row: i + 1, raw, input: hotlineOrderToIncoming(order.data, raw) };
  });
}

export const columnMapSchema = z.object({
  channel: channelSchema.default('portal'),
  textCol: z.string().min(1).default('content'),
  titleCol: z.string().min(1).optional(),
  idCol: z.string().min(1).optional(),
  timeCol: z.string().min(1).optional(),
  nameCol: z.string().min(1).optional(),
  phoneCol: z.string().min(1).optional(),
  addressCol: z.string().min(1).optional(),
});
export type ColumnMap = z.input<typeof columnMapSchema>;

/** A general CSV: the flags name the columns; rows without an id get one derived from their content (re-import is idempotent). */
export function readMessagesCsv(file: string, mapInput: ColumnMap, now: Date = new Date()): ImportRow[] {
  const map = columnMapSchema.parse(mapInput);
  const records = readRecords(file);
  const header = Object.keys(records[0] ?? {});
  for (const [flag, col] of Object.entries(map)) {
    if (flag.endsWith('Col') && col && records.length && !header.includes(col as string)) {
      throw new Error(`${file}: no column "${col}" for --${flag.replace(/Col$/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-col (columns: ${header.join(', ')})`);
    }
  }
  const cell = (rec: Record<string, unknown>, col?: string) => {
    const v = col ? String(rec[col] ?? '').trim() : '';
    return v === '' ? null : v;
  };
  return records.map((rec, i) => {
    const raw = JSON.stringify(rec);
    const text = cell(rec, map.textCol);
    if (!text) return { row: i + 1, raw, reason: `${map.textCol}: empty text` };
    let receivedAt = now;
    const t = cell(rec, map.timeCol);
    if (t) {
      const parsed = flexibleTime.safeParse(t);
      if (!parsed.success) return { row: i + 1, raw, reason: `${map.timeCol}: ${parsed.error.issues[0]?.message ?? 'bad time'}` };
      receivedAt = parsed.data;
    }
    const title = cell(rec, map.titleCol);
    const externalId = cell(rec, map.idCol) ?? `import:${createHash('sha256').update(JSON.stringify([title, text, t])).digest('hex').slice(0, 32)}`;
    const input: IncomingMessageInput = {
      channel: map.channel as Channel,
      externalId,
      receivedAt,
      raw,
      rawContentType: 'application/json',
      title,
      body: text,
      contactName: cell(rec, map.nameCol),
      contactPhone: cell(rec, map.phoneCol),
      address: cell(rec, map.addressCol),
    };
    const checked = incomingMessageSchema.safeParse(input);
    return checked.success ? { row: i + 1, raw, input } : { row: i + 1, raw, reason: issuesText(checked.error) };
  });
}

const CHUNK = 1000;

export async function importRows(
  deps: { sql: Sql; queue: JobQueue },
  channel: Channel,
  rows: ImportRow[],
  onProgress?: (done: number, total: number, elapsedMs: number) => void,
): Promise<ImportSummary> {
  const start = performance.now();
  const summary: ImportSummary = { rows: rows.length, accepted: 0, duplicates: 0, rejected: 0, reasons: {}, rejectedRows: [], ms: 0, rowsPerSecond: 0 };
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const good: IncomingMessageInput[] = [];
    for (const r of chunk) {
      if (r.input) {
        good.push(r.input);
        continue;
      }
      const reason = r.reason ?? 'unreadable row';
      summary.rejected++;
      const key = reason.replace(/"[^"]*"/g, '"…"').slice(0, 120);
      summary.reasons[key] = (summary.reasons[key] ?? 0) + 1;
      if (summary.rejectedRows.length < 50) summary.rejectedRows.push({ row: r.row, reason });
      await insertReject(deps.sql, { channel, raw: r.raw, contentType: 'application/json', reason: `import row ${r.row}: ${reason}`, details: { source: 'import', row: r.row } });
    }
    if (good.length) {
      const res = await acceptMessages(deps, good);
      summary.accepted += res.created.length;
      summary.duplicates += res.duplicates;
    }
    onProgress?.(Math.min(i + CHUNK, rows.length), rows.length, performance.now() - start);
  }
  summary.ms = Math.round(performance.now() - start);
  summary.rowsPerSecond = summary.ms ? Math.round((rows.length / summary.ms) * 1000) : rows.length;
  return summary;
}
