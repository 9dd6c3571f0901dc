// SLA policy (办理时限) as data, and the deadline arithmetic built on the working calendar:
// deadlines per urgency / request type / subtopic, pauses while the resident is awaited, reminders
// (催办), escalation (督办), extensions (延期) and the return (退单) window.
import { z } from 'zod';
import { readJsonFile, shippedJson, shippedPath } from '../shipped/store';
import { REQUEST_TYPES, requestTypeSchema, urgencySchema, type RequestType } from '../nlp/types';
import { addHours, loadWorkingCalendar, officeHoursSchema, WorkingCalendar } from './calendar';

export const SLA_POLICY_FILE = shippedPath('sla-policy.json');

/** 'hours' run on the wall clock; 'workingDays' end at the close of office hours (see WorkingCalendar.addWorkingDays). */
export const durationSchema = z.discriminatedUnion('unit', [
  z.object({ unit: z.literal('hours'), amount: z.number().positive().max(24 * 366) }),
  z.object({ unit: z.literal('workingDays'), amount: z.number().int().positive().max(250) }),
]);
export type Duration = z.infer<typeof durationSchema>;
export type DeadlineUnit = Duration['unit'];

const byUrgency = z.object({ urgent: durationSchema, normal: durationSchema });

export const slaPolicySchema = z.object({
  version: z.literal(1),
  officeHours: officeHoursSchema,
  /** 派单: how long a received case may wait for the centre (待派单) from receipt; capped at the acceptance deadline */
  dispatch: byUrgency,
  /** 签收 */
  acceptance: byUrgency,
  /** first substantive response: acceptance plus contact with the resident, or a reply */
  response: byUrgency,
  /** 办结 */
  resolution: z.object({
    urgent: durationSchema,
    byRequestType: z.object(Object.fromEntries(REQUEST_TYPES.map((t) => [t, durationSchema])) as Record<(typeof REQUEST_TYPES)[number], typeof durationSchema>),
  }),
  /** Subtopics with their own clock (e.g. utilities outage: 24 hours); first match wins, urgency still comes first. */
  subtopics: z
    .array(
      z.object({
        name: z.string().min(1),
        label: z.string().optional(),
        match: z.array(z.string().min(1)).min(1),
        acceptance: durationSchema.optional(),
        response: durationSchema.optional(),
        resolution: durationSchema,
      }),
    )
    .default([]),
  /** the first dispatch's clock starts at receipt (a backlog never lengthens the wait) or at dispatch; later dispatches start it anew */
  clock: z.object({ firstDispatchFrom: z.enum(['receipt', 'dispatch']) }).default({ firstDispatchFrom: 'receipt' }),
  returns: z.object({ windowWorkingDays: z.number().int().positive(), maxReturns: z.number().int().positive() }),
  extensions: z.object({ maxTotalWorkingDays: z.number().int().nonnegative() }),
  reopen: z.object({ maxTimes: z.number().int().nonnegative() }),
  reminderFraction: z.number().gt(0).lt(1),
  escalation: z.object({
    afterWorkingDaysOverdue: z.number().int().positive(),
    urgentAfterHoursOverdue: z.number().positive(),
  }),
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;
export type SlaPolicyInput = z.input<typeof slaPolicySchema>;

export const caseClassificationSchema = z.object({
  urgency: urgencySchema,
  requestType: requestTypeSchema,
  /** the routing category or any label the policy's subtopics match, e.g. 停水 */
  subtopic: z.string().nullable().optional(),
});
export type CaseClassification = z.infer<typeof caseClassificationSchema>;

/** The request type the policy counts a case's deadlines by: the label read or stored, 求助 when it is none of REQUEST_TYPES. */
export function slaRequestType(label: string | null): RequestType {
  return REQUEST_TYPES.find((t) => t === label) ?? '求助';
}

export const DEADLINE_KINDS = ['acceptance', 'response', 'resolution'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export interface Deadline {
  kind: DeadlineKind;
  /** when the clock started (dispatch) */
  start: Date;
  /** effective due time, after pauses and extensions */
  due: Date;
  unit: DeadlineUnit;
  /** the rule's amount in its unit, before pauses and extensions */
  amount: number;
  /** which rule applied: 'urgent', 'subtopic:utilities-outage', 'requestType:咨询' */
  basis: string;
  /** set when a shorter later deadline capped this one (acceptance never after response, response never after resolution) */
  cappedBy?: DeadlineKind;
  /** the years without an official holiday file this deadline was counted through (暂定); absent when none */
  provisionalYears?: number[];
}
export type Deadlines = Record<DeadlineKind, Deadline>;

/** For reading stored deadlines back (JSON text dates become Dates). */
export const deadlineSchema = z.object({
  kind: z.enum(DEADLINE_KINDS),
  start: z.coerce.date(),
  due: z.coerce.date(),
  unit: z.enum(['hours', 'workingDays']),
  amount: z.number().positive(),
  basis: z.string(),
  cappedBy: z.enum(DEADLINE_KINDS).optional(),
  provisionalYears: z.array(z.number().int()).min(1).optional(),
});
export const deadlinesSchema = z.object({ acceptance: deadlineSchema, response: deadlineSchema, resolution: deadlineSchema });

/** 派单: the centre's deadline for a case that waits in 待派单, from receipt. */
export interface DispatchDeadline extends Omit<Deadline, 'kind'> {
  kind: 'dispatch';
}
export const dispatchDeadlineSchema = deadlineSchema.extend({ kind: z.literal('dispatch') });

/**
 * The 派单 deadline of a case received at receivedAt that no rule routed: the policy's dispatch time
 * by urgency, never later than the acceptance deadline counted from receipt (`receipt`, computeDeadlines).
 */
export function computeDispatchDeadline(policy: SlaPolicy, calendar: WorkingCalendar, cls: CaseClassification, receipt: Deadlines): DispatchDeadline {
  const duration = cls.urgency === 'urgent' ? policy.dispatch.urgent : policy.dispatch.normal;
  const start = receipt.acceptance.start;
  const d = markProvisional(calendar, {
    kind: 'acceptance', start, due: dueAfter(calendar, start, duration), unit: duration.unit, amount: duration.amount, basis: cls.urgency === 'urgent' ? 'urgent' : 'normal',
  });
  const { kind: _k, ...rest } = d.due.getTime() <= receipt.acceptance.due.getTime() ? d : capAt(d, receipt.acceptance);
  return { ...rest, kind: 'dispatch' };
}

export interface Pause {
  from: Date;
  to: Date;
}

export function parseSlaPolicy(json: unknown, source = 'sla policy'): SlaPolicy {
  const parsed = slaPolicySchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${source}: ${first?.path.join('.') || '(root)'}: ${first?.message}`);
  }
  return parsed.data;
}

const shippedPolicy = shippedJson('sla-policy.json', slaPolicySchema);

/** lexicons/sla-policy.json (read once), or another file's. */
export function loadSlaPolicy(file?: string): SlaPolicy {
  return file === undefined ? shippedPolicy() : readJsonFile(file, slaPolicySchema);
}

/** The SLA policy and the working calendar with its office hours: loaded once per process and passed down. */
export interface Sla {
  policy: SlaPolicy;
  calendar: WorkingCalendar;
}

/** The policy and a calendar with the policy's office hours, both from lexicons/. */
export function loadSla(opts: { policyFile?: string; calendarDir?: string } = {}): Sla {
  const policy = loadSlaPolicy(opts.policyFile);
  const h = policy.officeHours;
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const calendar = loadWorkingCalendar({
    dir: opts.calendarDir,
    officeHours: { open: hhmm(h.open), close: hhmm(h.close), lunch: h.lunch ? { start: hhmm(h.lunch.start), end: hhmm(h.lunch.end) } : null },
  });
  return { policy, calendar };
}

/** The end of a duration started at t. */
export function dueAfter(calendar: WorkingCalendar, t: Date, d: Duration): Date {
  return d.unit === 'hours' ? addHours(t, d.amount) : calendar.addWorkingDays(t, d.amount);
}

/** Which rules apply: urgency first, then a matching subtopic, then the request type. */
export function deadlineRules(policy: SlaPolicy, cls: CaseClassification): Record<DeadlineKind, { duration: Duration; basis: string }> {
  if (cls.urgency === 'urgent') {
    return {
      acceptance: { duration: policy.acceptance.urgent, basis: 'urgent' },
      response: { duration: policy.response.urgent, basis: 'urgent' },
      resolution: { duration: policy.resolution.urgent, basis: 'urgent' },
    };
  }
  const sub = cls.subtopic ? policy.subtopics.find((s) => s.name === cls.subtopic || s.match.some((m) => cls.subtopic!.includes(m))) : undefined;
  if (sub) {
    const basis = `subtopic:${sub.name}`;
    return {
      acceptance: sub.acceptance ? { duration: sub.acceptance, basis } : { duration: policy.acceptance.normal, basis: 'normal' },
      response: sub.response ? { duration: sub.response, basis } : { duration: policy.response.normal, basis: 'normal' },
      resolution: { duration: sub.resolution, basis },
    };
  }
  return {
    acceptance: { duration: policy.acceptance.normal, basis: 'normal' },
    response: { duration: policy.response.normal, basis: 'normal' },
    resolution: { duration: policy.resolution.byRequestType[cls.requestType], basis: `requestType:${cls.requestType}` },
  };
}

/**
 * Marks a new deadline with the provisional years its due was counted through (start to due).
 * Wall-clock (hours) arithmetic reads no calendar, so only working-day counting makes one provisional
 * (and, below, pauses and extensions counted in working days).
 */
function markProvisional(calendar: WorkingCalendar, d: Deadline): Deadline {
  if (d.unit !== 'workingDays') return d;
  const years = calendar.provisionalYearsBetween(d.start, d.due);
  return years.length ? { ...d, provisionalYears: years } : d;
}

/** The provisional years of all of a case's deadlines (the case's 暂定 mark). */
export function provisionalYearsOf(deadlines: Deadlines | null): number[] {
  if (!deadlines) return [];
  const years = new Set<number>();
  for (const k of DEADLINE_KINDS) for (const y of deadlines[k].provisionalYears ?? []) years.add(y);
  return [...years].sort((a, b) => a - b);
}

/** Acceptance, first-response and resolution deadlines for a clock started at startAt (dispatch). */
export function computeDeadlines(policy: SlaPolicy, calendar: WorkingCalendar, cls: CaseClassification, startAt: Date): Deadlines {
  const rules = deadlineRules(policy, cls);
  const make = (kind: DeadlineKind): Deadline => {
    const { duration, basis } = rules[kind];
    return markProvisional(calendar, { kind, start: startAt, due: dueAfter(calendar, startAt, duration), unit: duration.unit, amount: duration.amount, basis });
  };
  const resolution = make('resolution');
  const response = capAt(make('response'), resolution);
  const acceptance = capAt(make('acceptance'), response);
  return { acceptance, response, resolution };
}

/**
 * The same deadlines counted again on the calendar as it is now (after an official year replaced a
 * provisional one): each from its own start, unit and amount (the rule that set it, whatever the
 * policy or classification says today), capped as computeDeadlines caps, then the dispatch's pauses
 * and its granted extension applied. Deadlines with no provisional year are kept as they are.
 * Pauses are replayed before the extension: their real order is not in the state, and the two
 * commute except when an extension's close-of-day rounding meets a pause.
 */
export function recountDeadlines(
  calendar: WorkingCalendar,
  old: Deadlines,
  dispatch: { pauses: readonly Pause[]; extensionWorkingDays: number },
): Deadlines {
  const raw = (kind: DeadlineKind): Deadline => {
    const { provisionalYears: _p, cappedBy: _c, ...d } = old[kind];
    return markProvisional(calendar, { ...d, due: dueAfter(calendar, d.start, { unit: d.unit, amount: d.amount } as Duration) });
  };
  const resolution0 = raw('resolution');
  const response0 = capAt(raw('response'), resolution0);
  const acceptance = capAt(raw('acceptance'), response0);
  const response = applyPauses(response0, dispatch.pauses, calendar);
  let resolution = applyPauses(resolution0, dispatch.pauses, calendar);
  if (dispatch.extensionWorkingDays > 0) resolution = extendDeadline(calendar, resolution, dispatch.extensionWorkingDays);
  const fresh: Deadlines = { acceptance, response, resolution };
  const out = { ...old };
  for (const k of DEADLINE_KINDS) if (old[k].provisionalYears) out[k] = fresh[k];
  return out;
}

function capAt(d: Deadline, limit: Deadline): Deadline {
  if (d.due.getTime() <= limit.due.getTime()) return d;
  // the capped due is the limit's: it is as provisional as the limit is
  const { provisionalYears: _own, ...rest } = d;
  return { ...rest, due: limit.due, cappedBy: limit.cappedBy ?? limit.kind, ...(limit.provisionalYears ? { provisionalYears: limit.provisionalYears } : {}) };
}

/** Time from a to b in the deadline's own unit, as minutes: working minutes for working days, wall-clock minutes for hours. */
export function measureMinutes(calendar: WorkingCalendar, unit: DeadlineUnit, a: Date, b: Date): number {
  return unit === 'hours' ? (b.getTime() - a.getTime()) / 60_000 : calendar.workingMinutesBetween(a, b);
}

/** t plus minutes in the unit (never negative). */
export function addMinutesIn(calendar: WorkingCalendar, unit: DeadlineUnit, t: Date, minutes: number): Date {
  const m = Math.max(0, minutes);
  return unit === 'hours' ? new Date(t.getTime() + m * 60_000) : calendar.addWorkingMinutes(t, m);
}

/** Time left at `at`, in minutes of the deadline's unit; 0 once due. */
export function remainingAt(calendar: WorkingCalendar, deadline: Pick<Deadline, 'due' | 'unit'>, at: Date): number {
  return Math.max(0, measureMinutes(calendar, deadline.unit, at, deadline.due));
}

/**
 * The clock stops while the case waits on the resident: the time left when a pause starts is
 * resumed when it ends. Pauses that start at or after the due time change nothing (the case was
 * already overdue). Pauses are applied in order and must not overlap; the due never moves earlier.
 */
export function applyPauses<D extends Pick<Deadline, 'due' | 'unit'> & Partial<Pick<Deadline, 'provisionalYears'>>>(deadline: D, pauses: readonly Pause[], calendar: WorkingCalendar): D {
  const sorted = [...pauses].sort((a, b) => a.from.getTime() - b.from.getTime());
  let due = deadline.due;
  let last = -Infinity;
  for (const p of sorted) {
    if (p.to.getTime() < p.from.getTime()) throw new RangeError(`pause ends (${p.to.toISOString()}) before it starts (${p.from.toISOString()})`);
    if (p.from.getTime() < last) throw new RangeError('pauses overlap');
    last = p.to.getTime();
    if (p.from.getTime() >= due.getTime()) continue;
    const left = measureMinutes(calendar, deadline.unit, p.from, due);
    const moved = addMinutesIn(calendar, deadline.unit, p.to, left);
    if (moved.getTime() > due.getTime()) due = moved;
  }
  if (deadline.unit !== 'workingDays' || due === deadline.due) return { ...deadline, due };
  // working minutes were counted from the pause to the new due: those years may be provisional
  const years = new Set([...(deadline.provisionalYears ?? []), ...calendar.provisionalYearsBetween(sorted[0].from, due)]);
  return years.size ? { ...deadline, due, provisionalYears: [...years].sort((a, b) => a - b) } : { ...deadline, due };
}

/**
 * 催办: the instant when `fraction` of the time allowed (start → due, minus paused time) has been
 * used, measured in the deadline's unit. With pauses, pass the same pauses that moved the due.
 */
export function reminderAt(
  calendar: WorkingCalendar,
  deadline: Pick<Deadline, 'start' | 'due' | 'unit'>,
  fraction: number,
  pauses: readonly Pause[] = [],
): Date {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`reminder fraction must be in (0, 1), got ${fraction}`);
  const { start, due, unit } = deadline;
  // the active stretches: start → due with the pauses cut out
  const segments: Array<[Date, Date]> = [];
  let cursor = start;
  for (const p of [...pauses].sort((a, b) => a.from.getTime() - b.from.getTime())) {
    const from = new Date(Math.max(p.from.getTime(), cursor.getTime()));
    const to = new Date(Math.min(p.to.getTime(), due.getTime()));
    if (to.getTime() <= from.getTime()) continue;
    segments.push([cursor, from]);
    cursor = to;
  }
  segments.push([cursor, due]);
  const spans = segments.map(([a, b]) => Math.max(0, measureMinutes(calendar, unit, a, b)));
  let target = fraction * spans.reduce((s, x) => s + x, 0);
  for (let i = 0; i < segments.length; i++) {
    if (target <= spans[i] || i === segments.length - 1) return addMinutesIn(calendar, unit, segments[i][0], Math.min(target, spans[i]));
    target -= spans[i];
  }
  return due;
}

/** 督办: K working days overdue, i.e. the close of the Kth working day after the day of the due time. */
export function escalationAt(calendar: WorkingCalendar, due: Date, k: number): Date {
  return calendar.addWorkingDays(due, k);
}

/** Escalation per policy: urgent (wall-clock) deadlines escalate after hours, the others after working days. */
export function escalationFor(policy: SlaPolicy, calendar: WorkingCalendar, deadline: Pick<Deadline, 'due' | 'unit'>): Date {
  return deadline.unit === 'hours'
    ? addHours(deadline.due, policy.escalation.urgentAfterHoursOverdue)
    : escalationAt(calendar, deadline.due, policy.escalation.afterWorkingDaysOverdue);
}

/** The last moment the owning department may return (退单) a case dispatched at dispatchedAt. */
export function returnWindowEnd(policy: SlaPolicy, calendar: WorkingCalendar, dispatchedAt: Date): Date {
  return calendar.addWorkingDays(dispatchedAt, policy.returns.windowWorkingDays);
}

/** An approved extension (延期) of N working days moves the due to the close of the Nth working day after it. */
export function extendDeadline<D extends Pick<Deadline, 'due'> & Partial<Pick<Deadline, 'provisionalYears'>>>(calendar: WorkingCalendar, deadline: D, workingDays: number): D {
  const due = calendar.addWorkingDays(deadline.due, workingDays);
  const years = new Set([...(deadline.provisionalYears ?? []), ...calendar.provisionalYearsBetween(deadline.due, due)]);
  return years.size ? { ...deadline, due, provisionalYears: [...years].sort((a, b) => a - b) } : { ...deadline, due };
}
