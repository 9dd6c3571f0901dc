// SLA timer rows (催办 / 超期 / 督办): what the delayed jobs and the periodic sweep fire from.
import type { Db } from './connect';

/** the deadlines a timer watches and what it does when it fires: the table's values and the sla-timer job's */
export const TIMER_DEADLINES = ['dispatch', 'accept', 'response', 'resolve'] as const;
export const TIMER_KINDS = ['remind', 'overdue', 'escalate'] as const;
export type TimerDeadline = (typeof TIMER_DEADLINES)[number];
export type TimerKind = (typeof TIMER_KINDS)[number];

export interface TimerSpec {
  deadline: TimerDeadline;
  kind: TimerKind;
  /** the deadline's due time this timer was computed for */
  dueAt: Date;
  fireAt: Date;
}

export interface TimerRow extends TimerSpec {
  id: number;
  caseId: number;
  state: 'pending' | 'fired' | 'cancelled';
  firedAt: Date | null;
}

const cols = (sql: Db) => sql`
  id, case_id, deadline, kind, due_at, fire_at, state, fired_at`;

/**
 * Makes the case's pending timers exactly `wanted`, in one statement: missing rows are inserted,
 * pending rows no longer wanted are cancelled, fired and cancelled rows are left alone (a wanted timer
 * that was cancelled stays so). Returns the wanted rows still pending. Sent at once (core/db/cases.ts
 * PIPELINING). A timer is its (deadline, kind, due time): the table's unique key with the case.
 */
export async function syncCaseTimers(sql: Db, caseId: number, wanted: TimerSpec[]): Promise<TimerRow[]> {
  return sql<TimerRow[]>`
    WITH wanted AS (
      SELECT DISTINCT ON (deadline, kind, due_at) * FROM unnest(${wanted.map((t) => t.deadline)}::text[], ${wanted.map((t) => t.kind)}::text[],
        ${wanted.map((t) => t.dueAt.toISOString())}::text[]::timestamptz[], ${wanted.map((t) => t.fireAt.toISOString())}::text[]::timestamptz[]) AS w(deadline, kind, due_at, fire_at)
    ), existing AS (
      SELECT t.id, t.state, t.deadline, t.kind, t.due_at,
        EXISTS (SELECT 1 FROM wanted w WHERE (w.deadline, w.kind, w.due_at) = (t.deadline, t.kind, t.due_at)) AS wanted
      FROM sla_timers t WHERE t.case_id = ${caseId}
    ), cancelled AS (
      UPDATE sla_timers t SET state = 'cancelled' FROM existing e WHERE t.id = e.id AND e.state = 'pending' AND NOT e.wanted
    ), inserted AS (
      INSERT INTO sla_timers (case_id, deadline, kind, due_at, fire_at)
      SELECT ${caseId}, w.deadline, w.kind, w.due_at, w.fire_at FROM wanted w
      WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE (e.deadline, e.kind, e.due_at) = (w.deadline, w.kind, w.due_at))
      ON CONFLICT DO NOTHING
      RETURNING ${cols(sql)}
    )
    SELECT ${cols(sql)} FROM sla_timers WHERE id IN (SELECT id FROM existing WHERE state = 'pending' AND wanted)
    UNION ALL SELECT ${cols(sql)} FROM inserted
    ORDER BY fire_at, id`.execute();
}

export async function listCaseTimers(sql: Db, caseId: number): Promise<TimerRow[]> {
  return sql<TimerRow[]>`SELECT ${cols(sql)} FROM sla_timers WHERE case_id = ${caseId} ORDER BY fire_at, id`;
}

export async function findTimer(sql: Db, caseId: number, deadline: TimerDeadline, kind: TimerKind, dueAt: Date): Promise<TimerRow | undefined> {
  const [row] = await sql<TimerRow[]>`
    SELECT ${cols(sql)} FROM sla_timers
    WHERE case_id = ${caseId} AND deadline = ${deadline} AND kind = ${kind} AND due_at = ${dueAt}`;
  return row;
}

export async function lockTimer(sql: Db, id: number): Promise<TimerRow | undefined> {
  const [row] = await sql<TimerRow[]>`SELECT ${cols(sql)} FROM sla_timers WHERE id = ${id} FOR UPDATE`;
  return row;
}

export async function markTimer(sql: Db, id: number, state: 'fired' | 'cancelled', at: Date): Promise<void> {
  await sql`UPDATE sla_timers SET state = ${state}, fired_at = ${state === 'fired' ? at : null} WHERE id = ${id}`;
}

/** Pending timers due by `until` on cases that are not waiting on the resident (the clock is stopped there). */
export async function listDueTimers(sql: Db, until: Date, opts: { caseId?: number; limit?: number } = {}): Promise<TimerRow[]> {
  return sql<TimerRow[]>`
    SELECT ${cols(sql)} FROM sla_timers t
    WHERE t.state = 'pending' AND t.fire_at <= ${until}
      ${opts.caseId ? sql`AND t.case_id = ${opts.caseId}` : sql``}
      AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = t.case_id AND c.status = 'waiting')
    ORDER BY t.fire_at, t.id LIMIT ${opts.limit ?? 500}`;
}

/** Pending timers firing between from and until: the sweep makes sure each has its delayed job. */
export async function listUpcomingTimers(sql: Db, from: Date, until: Date, limit = 5000): Promise<TimerRow[]> {
  return sql<TimerRow[]>`
    SELECT ${cols(sql)} FROM sla_timers WHERE state = 'pending' AND fire_at > ${from} AND fire_at <= ${until}
    ORDER BY fire_at LIMIT ${limit}`;
}

/** Open cases with deadlines whose resolution timers were never written (e.g. opened before timers existed). */
export async function listCasesMissingTimers(sql: Db, limit = 500): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    SELECT c.id FROM cases c
    WHERE (c.status IN ('received', 'dispatched', 'accepted', 'waiting') OR (c.status = 'replied' AND c.reply_pending)) AND c.resolve_due_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM sla_timers t WHERE t.case_id = c.id AND t.deadline = 'resolve' AND t.due_at = c.resolve_due_at)
    ORDER BY c.id LIMIT ${limit}`;
  return rows.map((r) => r.id);
}
