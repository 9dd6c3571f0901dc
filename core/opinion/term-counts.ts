// The topic code's word counts, written in batches. Every message the topic step takes adds one to
// the document frequency of each of its terms (opinion_terms, the idf of the topic likeness and
// labels) and of each of its words under its category (opinion_term_groups, the live generic words).
// Written inside the step's transaction, those upserts were over half of the step's PostgreSQL time
// (about 270 rows a message) and held the row lock of every common word — and of the document count,
// which every message updates — until the step committed, so steps in other districts waited on one
// another. Now a step adds its counts here after it commits, and the counts are written every
// FLUSH_MS (or at MAX_PENDING_KEYS), summed, in one transaction of their own, in one sorted order
// (so two processes flushing at once cannot deadlock).
//
// Reads stay exact within a process: each flush also counts one more under this process' marker row
// (a name no term can have), read by the same statement as the frequencies; what this process has
// counted but that statement did not see (not yet flushed, or flushed after its snapshot) is added
// back. A step also sees its own counts, as when they were written inside it. ("A process" is a
// pool: each pool has its own buffer and marker.) What another process has not flushed yet is
// missing from a read for FLUSH_MS at most, plus the time its flush takes: a count waits for the
// flush that the first count after the last flush arms, or for the next step's, whichever comes first.
//
// The trade: a process that dies without closing its database loses the counts of its last FLUSH_MS
// (statistics only: the messages, topics and cases are unaffected). A failed flush keeps its counts
// and is retried; a flush whose commit succeeded but whose answer was lost is retried too, so those
// counts are stored twice — the price of not holding the step's locks. Counts added after the
// database was closed are dropped (and counted in `dropped`).
import { randomUUID } from 'node:crypto';
import { onClose, type Db, type Sql } from '../db/connect';
import { addGroupCountsBatch, groupCountRows } from '../db/opinion-generic';
import { addTermCountsBatch, bumpTermMarker, deleteTermMarker, getTermStats, TERM_DOCS } from '../db/topics';

export const FLUSH_MS = 2_000;
export const MAX_PENDING_KEYS = 50_000;
/** flushed batches kept for reads whose snapshot was taken before the flush committed */
const KEEP_BATCHES = 4;
const SEP = '\u0000';

interface Batch {
  /** the marker count this batch's flush sets (expected while in flight) */
  gen: number;
  terms: Map<string, number>;
}

const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class TermCounts {
  /** this process' marker row in opinion_terms: starts with a space, as no term can */
  readonly marker = ` flush ${randomUUID()}`;
  private terms = new Map<string, number>();
  private groups = new Map<string, number>();
  private batches: Batch[] = [];
  private gen = 0;
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = Date.now();
  /** flushes that failed (their counts were kept and retried) */
  failures = 0;
  /** messages counted after close (their counts are dropped: the pool is gone) */
  dropped = 0;
  private closed = false;
  lastError: unknown = null;

  constructor(private readonly sql: Sql, private readonly opts: { flushMs?: number; maxPendingKeys?: number } = {}) {}

  /** Counts one message: its terms (and one more document) and its words under each of `groups`. */
  add(terms: Iterable<string>, groups: string[] = [], words: string[] = []): void {
    if (this.closed) {
      this.dropped++;
      return;
    }
    this.terms.set(TERM_DOCS, (this.terms.get(TERM_DOCS) ?? 0) + 1);
    for (const t of new Set(terms)) this.terms.set(t, (this.terms.get(t) ?? 0) + 1);
    const rows = groupCountRows(groups, words);
    for (let i = 0; i < rows.terms.length; i++) {
      const k = rows.grps[i] + SEP + rows.terms[i];
      this.groups.set(k, (this.groups.get(k) ?? 0) + 1);
    }
    if (this.terms.size + this.groups.size >= (this.opts.maxPendingKeys ?? MAX_PENDING_KEYS) || Date.now() - this.lastFlush >= this.flushMs()) {
      this.flush().catch(() => {}); // a failure keeps the counts and re-arms the timer
    } else this.armTimer();
  }

  /** Resolves when no flush is in flight (a failed one too). */
  async settled(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => {});
  }

  /** Distinct rows waiting to be written. */
  pendingKeys(): number {
    return this.terms.size + this.groups.size;
  }

  /**
   * The document count and the frequencies of `terms` as of now for this process: the stored
   * ones, plus what this process counted that the read did not see, plus `own` (the terms of the
   * message being taken, with its document) when given.
   */
  async read(tx: Db, terms: string[], own?: ReadonlySet<string>): Promise<{ docs: number; df: Map<string, number> }> {
    const { docs, df } = await getTermStats(tx, [this.marker, ...terms]);
    const seen = df.get(this.marker) ?? 0;
    df.delete(this.marker);
    const unseen = this.batches.filter((b) => b.gen > seen).map((b) => b.terms);
    unseen.push(this.terms);
    const extra = (t: string) => {
      let n = own && (t === TERM_DOCS || own.has(t)) ? 1 : 0;
      for (const m of unseen) n += m.get(t) ?? 0;
      return n;
    };
    for (const t of new Set(terms)) {
      const n = extra(t);
      if (n) df.set(t, (df.get(t) ?? 0) + n);
    }
    return { docs: docs + extra(TERM_DOCS), df };
  }

  /** Writes what is pending (after any flush in flight); throws if the write fails (the counts are kept). */
  async flush(): Promise<void> {
    await this.settled();
    if (!this.terms.size && !this.groups.size) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const terms = this.terms;
    const groups = this.groups;
    this.terms = new Map();
    this.groups = new Map();
    const batch: Batch = { gen: this.gen + 1, terms };
    this.batches.push(batch);
    this.lastFlush = Date.now();
    this.flushing = (async () => {
      try {
        const t = [...terms.keys()].sort(byCode);
        const g = [...groups.keys()].sort(byCode);
        const gen = await this.sql.begin(async (tx) => {
          await addTermCountsBatch(tx, t, t.map((k) => terms.get(k)!));
          const split = g.map((k) => k.split(SEP));
          await addGroupCountsBatch(tx, split.map((x) => x[1]), split.map((x) => x[0]), g.map((k) => groups.get(k)!));
          return bumpTermMarker(tx, this.marker);
        });
        // not the expected count: an earlier flush whose answer was lost had committed after all
        // (its counts, put back, are now stored twice); the batches kept before no longer match
        if (gen !== batch.gen) this.batches = [];
        batch.gen = gen;
        this.gen = gen;
        if (!this.batches.includes(batch)) this.batches.push(batch);
        // flushes take turns, so the batches are the confirmed ones: keep the last few
        if (this.batches.length > KEEP_BATCHES) this.batches = this.batches.slice(-KEEP_BATCHES);
      } catch (err) {
        this.failures++;
        this.lastError = err;
        this.batches = this.batches.filter((b) => b !== batch);
        for (const [k, n] of terms) this.terms.set(k, (this.terms.get(k) ?? 0) + n);
        for (const [k, n] of groups) this.groups.set(k, (this.groups.get(k) ?? 0) + n);
        if (!this.closed) this.armTimer();
        throw err;
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  /** Flushes and removes the marker row (the pool is about to end). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.closed = true;
    await this.flush();
    if (this.gen > 0) await deleteTermMarker(this.sql, this.marker);
  }

  private flushMs(): number {
    return this.opts.flushMs ?? FLUSH_MS;
  }

  /** The flush of what is left, FLUSH_MS after the first count since the last flush (a steady flow flushes from add). */
  private armTimer(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch(() => {}); // kept and retried (a failed flush re-arms the timer)
    }, this.flushMs());
    this.timer.unref();
  }
}

const buffers = new WeakMap<Sql, TermCounts>();

/**
 * The term counts of this pool (one per pool; flushed and its marker removed when the Database
 * closes). `opts` apply when the first call creates it.
 */
export function termCounts(sql: Sql, opts?: { flushMs?: number; maxPendingKeys?: number }): TermCounts {
  let b = buffers.get(sql);
  if (!b) {
    const created = new TermCounts(sql, opts);
    buffers.set(sql, created);
    // kept in the map once closed, so a step finishing after the close finds it and its counts are
    // dropped (counted in `dropped`) rather than held by a buffer no close would flush
    onClose(sql, () => created.close());
    b = created;
  }
  return b;
}

/** Writes this pool's pending counts (a no-op for a transaction or a pool that counted nothing). */
export async function flushTermCounts(sql: Db): Promise<void> {
  await buffers.get(sql as Sql)?.flush();
}
