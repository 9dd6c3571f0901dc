// `npm run cli -- seed --messages N [--days 365] [--seed 1] [--batch 20000]`: writes N realistic
// messages with their cases (工单), case events and the SLA timers of the cases still open into the
// database of DATABASE_URL, in bulk (COPY, core/db/seed.ts), with progress on stderr and a JSON
// summary on stdout. For benchmarks of the dashboard at a city's scale: texts come from our demo
// generator (a pool reused with other places and dates), districts, streets, categories, channels and
// departments from the shipped lexicons, dates spread over `days` days up to now with a daily
// rhythm; about 8 % of messages are duplicates on an earlier case. Status follows age: old cases are
// mostly answered, closed and rated (三率 from real-looking dates), recent ones open.
import { syncBoard } from '../../core/board/board';
import { loadDepartments } from '../../core/cases/routing';
import { indexUnindexedCases } from '../../core/cases/search';
import { getConfigOrExit } from '../../core/config';
import { copyRows, finishSeed, seedIdBases, vacuumSeeded } from '../../core/db/seed';
import { rebuildRollups } from '../../core/db/rollups';
import type { Sql } from '../../core/db/connect';
import { CHANNEL_SHARE, generateDemoMessages } from '../../core/demo/generate';
import { CATEGORIES } from '../../core/demo/seed-corpus';
import { createLogger } from '../../core/logger';
import { loadGazetteer } from '../../core/places/gazetteer';
import { openDatabase } from '../../core/runtime';
import { loadShippedOrExit } from '../../core/shipped/index';
import { parseCommandArgs, UsageError, withUsage } from '../../core/util/args';
import { createRng } from '../../core/util/seeded-random';

const USAGE = 'usage: npm run cli -- seed --messages N [--days 365] [--seed 1] [--batch 20000]';
const DAY = 86_400_000;
const HOURS = [1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 3, 6, 8, 9, 9, 7, 6, 8, 9, 8, 7, 6, 5, 4, 3, 2, 1.5];
const HOUR_TOTAL = HOURS.reduce((a, b) => a + b, 0);

function int(name: string, v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max} (--${name} 须为 ${min} 到 ${max} 的整数)`);
  return n;
}

export const run = withUsage('seed', USAGE, async (argv) => {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: { messages: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, batch: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}" (多余的参数 "${positionals[0]}")`);
  if (values.messages === undefined) throw new UsageError('--messages is required (缺少 --messages)');
  const total = int('messages', values.messages, 0, 1, 100_000_000);
  const days = int('days', values.days, 365, 1, 3650);
  const batch = int('batch', values.batch, 20_000, 100, 200_000);
  const rng = createRng(int('seed', values.seed, 1, 0, 2 ** 31 - 1));
  const config = getConfigOrExit();
  if (!config.DATABASE_URL) throw new Error('seed writes into DATABASE_URL (a PostgreSQL server); set it — the embedded database is not for this');
  const shipped = loadShippedOrExit(config);
  const db = await openDatabase(config, createLogger({ level: 'warn', name: 'minsheng-seed' }), { departments: shipped.departments });
  const t0 = Date.now();
  try {
    const departments = loadDepartments();
    const gazetteer = loadGazetteer();
    const districtDept = new Map(departments.filter((d) => d.district).map((d) => [d.district!, d.code]));
    const functional = departments.filter((d) => d.kind !== 'district').map((d) => d.code);
    const pool = generateDemoMessages({ seed: 7, count: 3000, now: new Date() }).filter((m) => m.body.length >= 5);
    const channels = Object.entries(CHANNEL_SHARE) as [string, number][];
    const pickChannel = () => {
      let x = rng.next();
      for (const [c, share] of channels) if ((x -= share) <= 0) return c;
      return channels[0][0];
    };
    const pickHour = () => {
      let x = rng.next() * HOUR_TOTAL;
      for (let h = 0; h < 24; h++) if ((x -= HOURS[h]) <= 0) return h;
      return 12;
    };
    const bases = await seedIdBases(db.sql);
    const now = Date.now();
    let messageId = bases.messageId;
    let caseId = bases.caseId;
    let lastCase: { id: number; status: string } | null = null;
    let written = 0;
    let cases = 0;
    let events = 0;
    let timers = 0;
    while (written < total) {
      const n = Math.min(batch, total - written);
      const msgRows: unknown[][] = [];
      const caseRows: unknown[][] = [];
      const eventRows: unknown[][] = [];
      const timerRows: unknown[][] = [];
      for (let i = 0; i < n; i++) {
        const age = rng.next() * days; // days ago
        const dayStart = now - Math.floor(age) * DAY - ((now + 8 * 3600_000) % DAY); // 00:00 China time of that day
        let received = new Date(dayStart + pickHour() * 3600_000 + Math.floor(rng.next() * 3600_000));
        if (received.getTime() > now) received = new Date(now - Math.floor(rng.next() * 3600_000));
        const src = pool[Math.floor(rng.next() * pool.length)];
        const district = gazetteer.districts[Math.floor(rng.next() * gazetteer.districts.length)];
        const street = district.streets[Math.floor(rng.next() * district.streets.length)];
        const channel = pickChannel();
        messageId++;
        const trackingNo = `MS${chinaYymmdd(received)}${String(messageId % 10_000_000).padStart(7, '0')}`;
        const processed = new Date(received.getTime() + 2000 + Math.floor(rng.next() * 60_000));
        // a duplicate joins the case before it (merged into it, as the pipeline's 合并 does)
        let onCase: number;
        if (lastCase && rng.next() < 0.08) {
          onCase = lastCase.id;
        } else {
          caseId++;
          onCase = caseId;
          const ageDays = (now - received.getTime()) / DAY;
          const c = caseLife(rng.next(), ageDays);
          const dispatched = new Date(received.getTime() + 10 * 60_000 + Math.floor(rng.next() * 4 * 3600_000));
          const accepted = c.accepted ? new Date(dispatched.getTime() + Math.floor(rng.next() * 20 * 3600_000)) : null;
          const responded = c.replied ? new Date((accepted ?? dispatched).getTime() + Math.floor(rng.next() * 3 * DAY)) : null;
          const replied = c.replied ? new Date(responded!.getTime() + Math.floor(rng.next() * 10 * DAY)) : null;
          const closed = c.closed ? new Date(replied!.getTime() + Math.floor(rng.next() * 2 * DAY)) : null;
          const rated = c.rated ? new Date(closed!.getTime() + Math.floor(rng.next() * 3 * DAY)) : null;
          const acceptDue = new Date(dispatched.getTime() + DAY);
          const responseDue = new Date(dispatched.getTime() + 3 * DAY);
          const resolveDue = new Date(dispatched.getTime() + 15 * DAY);
          const clamp = (d: Date | null) => (d && d.getTime() > now ? new Date(now) : d);
          const urgent = rng.next() < 0.04;
          const sentimentX = rng.next();
          const sentiment = sentimentX < 0.55 ? 'negative' : sentimentX < 0.9 ? 'neutral' : 'positive';
          const dept = c.dispatched ? (rng.next() < 0.55 ? districtDept.get(district.name) ?? functional[0] : functional[Math.floor(rng.next() * functional.length)]) : null;
          const ratingX = rng.next();
          const rating = c.rated ? (ratingX < 0.7 ? '满意' : ratingX < 0.9 ? '基本满意' : '不满意') : null;
          const repliedAt = clamp(replied);
          const overdue = (repliedAt ?? new Date(now)).getTime() > resolveDue.getTime() && c.dispatched;
          const keywords = src.body.match(/[\u4e00-\u9fff]{2,4}/g)?.slice(0, 5) ?? [];
          caseRows.push([
            onCase, trackingNo, c.status, src.title ?? src.body.slice(0, 30), src.body.slice(0, 200), channel, CATEGORIES[Math.floor(rng.next() * CATEGORIES.length)],
            0.5 + rng.next() * 0.5, ['投诉', '求助', '咨询', '建议', '举报', '感谢'][Math.floor(rng.next() * rng.next() * 6)], 0.5 + rng.next() * 0.5,
            urgent ? 'urgent' : 'normal', sentiment, sentiment === 'negative' ? -rng.next() : rng.next(), district.name, street.name, keywords,
            rng.next() < 0.03, dept, dept ? 'seed' : null, acceptDue, responseDue, resolveDue, c.dispatched ? dispatched : null,
            clamp(accepted), clamp(responded), repliedAt, clamp(closed), clamp(rated), rating, c.rated ? ratingX < 0.85 : null,
            c.replied ? '您好，您反映的问题已转相关部门处理，现已办结。感谢您的监督。' : null, overdue, null, received, new Date(now),
          ]);
          cases++;
          let seq = 0;
          const ev = (type: string, from: string | null, to: string, kind: string, at: Date | null) => {
            if (!at) return;
            eventRows.push([onCase, ++seq, type, from, to, kind, kind === 'system' ? null : 'seed', clamp(at)]);
            events++;
          };
          ev('received', null, 'received', 'system', received);
          if (c.dispatched) ev('dispatched', 'received', 'dispatched', 'system', dispatched);
          if (c.accepted) ev('accepted', 'dispatched', 'accepted', 'department', accepted);
          if (c.replied) ev('replied', 'accepted', 'replied', 'department', replied);
          if (c.closed) ev('closed', 'replied', 'closed', 'centre', closed);
          if (c.rated) ev('rated', 'closed', 'rated', 'resident', rated);
          if (c.open && c.dispatched) {
            for (const [kind, at] of [['remind', new Date(dispatched.getTime() + 11.25 * DAY)], ['overdue', resolveDue], ['escalate', new Date(resolveDue.getTime() + DAY)]] as const) {
              timerRows.push([onCase, 'resolve', kind, resolveDue, at, at.getTime() <= now ? 'fired' : 'pending']);
              timers++;
            }
          }
          lastCase = { id: onCase, status: c.status };
        }
        msgRows.push([
          messageId, channel, `seed-${messageId}`, received, new Date(received.getTime() + 50), JSON.stringify({ title: src.title, content: src.body }), 'application/json',
          src.title, src.body, '张先生', `139${String(messageId % 100_000_000).padStart(8, '0')}`, `${district.name}${street.name}`, rng.next() < 0.8,
          trackingNo, 'SEED00', 'processed', 1, processed, onCase,
        ]);
      }
      await copyRows(db.sql, 'cases', caseRows);
      await copyRows(db.sql, 'messages', msgRows);
      await copyRows(db.sql, 'case_events', eventRows);
      if (timerRows.length) await copyRows(db.sql, 'sla_timers', timerRows);
      written += n;
      const s = (Date.now() - t0) / 1000;
      process.stderr.write(`seed: ${written.toLocaleString('en')}/${total.toLocaleString('en')} messages (${Math.round(written / s).toLocaleString('en')}/s)\n`);
    }
    process.stderr.write('seed: updating sequences and planner statistics\n');
    await finishSeed(db.sql);
    const rollups = await rebuildRollupsAfterSeed(db.sql);
    const readModels = await catchUpReadModels(db.sql);
    const summary = { messages: written, cases, caseEvents: events, slaTimers: timers, days, seconds: Math.round((Date.now() - t0) / 100) / 10, messagesBefore: bases.messages, rollups, ...readModels };
    console.log(JSON.stringify(summary));
    return 0;
  } finally {
    await db.close();
  }
});

/** The rollups (core/db/rollups.ts) are kept by the workers; rows written in bulk past them are counted again here. */
async function rebuildRollupsAfterSeed(sql: Sql): Promise<'rebuilt'> {
  process.stderr.write('seed: rebuilding rollups\n');
  await rebuildRollups(sql);
  return 'rebuilt';
}

/** The board entries and search lexemes the read-model sweep would make, made now (the bench reads them). */
async function catchUpReadModels(sql: Sql): Promise<{ boardEntries: number; searchIndexed: number }> {
  let boardEntries = 0;
  let searchIndexed = 0;
  for (;;) {
    const r = await syncBoard(sql, { maxBatches: 1, batch: 2000 });
    boardEntries += r.updated;
    if (!r.more) break;
    if (boardEntries % 50_000 < 2000) process.stderr.write(`seed: board ${boardEntries.toLocaleString('en')} entries\n`);
  }
  for (;;) {
    const n = await indexUnindexedCases(sql, 2000);
    searchIndexed += n;
    if (searchIndexed % 50_000 < 2000) process.stderr.write(`seed: search ${searchIndexed.toLocaleString('en')} cases indexed\n`);
    if (n < 2000) break;
  }
  await vacuumSeeded(sql);
  return { boardEntries, searchIndexed };
}

function chinaYymmdd(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(2, 10).replace(/-/g, '');
}

/** Where a case is in its life, from a random draw and its age in days. */
function caseLife(x: number, ageDays: number) {
  let status: string;
  if (ageDays > 30) status = x < 0.55 ? 'rated' : x < 0.9 ? 'closed' : x < 0.97 ? 'replied' : 'accepted';
  else if (ageDays > 7) status = x < 0.3 ? 'rated' : x < 0.6 ? 'closed' : x < 0.8 ? 'replied' : x < 0.93 ? 'accepted' : x < 0.97 ? 'dispatched' : 'waiting';
  else status = x < 0.05 ? 'received' : x < 0.4 ? 'dispatched' : x < 0.7 ? 'accepted' : x < 0.85 ? 'replied' : x < 0.95 ? 'closed' : x < 0.98 ? 'returned' : 'waiting';
  const order = ['received', 'dispatched', 'accepted', 'replied', 'closed', 'rated'];
  const at = status === 'waiting' || status === 'returned' ? 2 : order.indexOf(status);
  return {
    status,
    dispatched: at >= 1,
    accepted: at >= 2 && status !== 'returned',
    replied: at >= 3,
    closed: at >= 4,
    rated: at >= 5,
    open: at <= 2 || status === 'waiting' || status === 'returned',
  };
}
