import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatShanghai as f, loadCalendarYears, parseShanghai, WorkingCalendar } from './calendar';
import {
  applyPauses,
  computeDeadlines,
  escalationAt,
  escalationFor,
  extendDeadline,
  loadSla,
  parseSlaPolicy,
  provisionalYearsOf,
  recountDeadlines,
  reminderAt,
  remainingAt,
  returnWindowEnd,
  SLA_POLICY_FILE,
  type Deadline,
} from './sla';

const { policy, calendar } = loadSla();
const t = (s: string): Date => {
  const d = parseShanghai(s);
  if (!d) throw new Error(`bad test time ${s}`);
  return d;
};
const working = (start: string, due: string): Deadline => ({
  kind: 'resolution',
  start: t(start),
  due: t(due),
  unit: 'workingDays',
  amount: 3,
  basis: 'test',
});

describe('policy file', () => {
  it('loads with the documented defaults', () => {
    expect(policy.acceptance.urgent).toEqual({ unit: 'hours', amount: 0.5 });
    expect(policy.acceptance.normal).toEqual({ unit: 'workingDays', amount: 1 });
    expect(policy.resolution.urgent).toEqual({ unit: 'hours', amount: 2 });
    expect(policy.resolution.byRequestType['咨询']).toEqual({ unit: 'workingDays', amount: 3 });
    expect(policy.resolution.byRequestType['举报'].amount).toBe(15);
    expect(policy.reminderFraction).toBe(0.75);
    expect(policy.extensions.maxTotalWorkingDays).toBe(10);
    expect(policy.returns).toEqual({ windowWorkingDays: 1, maxReturns: 3 });
    expect(calendar.officeHours).toEqual({ open: 510, close: 1050, lunch: { start: 720, end: 840 } });
  });

  it('rejects a bad policy naming the field', () => {
    const json = JSON.parse(readFileSync(SLA_POLICY_FILE, 'utf8'));
    expect(() => parseSlaPolicy({ ...json, reminderFraction: 1.5 })).toThrow(/reminderFraction/);
    const noType = structuredClone(json);
    delete noType.resolution.byRequestType['感谢'];
    expect(() => parseSlaPolicy(noType)).toThrow(/resolution\.byRequestType\.感谢/);
    const fractionalDays = structuredClone(json);
    fractionalDays.resolution.byRequestType['咨询'] = { unit: 'workingDays', amount: 2.5 };
    expect(() => parseSlaPolicy(fractionalDays)).toThrow(/咨询/);
  });
});

describe('computeDeadlines', () => {
  const start = t('2026-02-12T10:00'); // Thursday before Spring Festival

  it('咨询: 3 working days over Spring Festival', () => {
    const d = computeDeadlines(policy, calendar, { urgency: 'normal', requestType: '咨询' }, start);
    expect(f(d.acceptance.due)).toBe('2026-02-13T17:30:00+08:00');
    expect(f(d.response.due)).toBe('2026-02-14T17:30:00+08:00'); // make-up Saturday
    expect(f(d.resolution.due)).toBe('2026-02-24T17:30:00+08:00');
    expect(d.resolution).toMatchObject({ unit: 'workingDays', amount: 3, basis: 'requestType:咨询', kind: 'resolution' });
  });

  it('投诉 5 and 举报 15 working days', () => {
    expect(f(computeDeadlines(policy, calendar, { urgency: 'normal', requestType: '投诉' }, start).resolution.due)).toBe('2026-02-26T17:30:00+08:00');
    // 2/13, 2/14, 2/24–2/27, 2/28 (Sat), 3/2–3/6, 3/9–3/11
    expect(f(computeDeadlines(policy, calendar, { urgency: 'normal', requestType: '举报' }, start).resolution.due)).toBe('2026-03-11T17:30:00+08:00');
  });

  it('urgent: wall-clock, through the night and the holiday', () => {
    const d = computeDeadlines(policy, calendar, { urgency: 'urgent', requestType: '求助' }, t('2026-02-16T23:00'));
    expect(f(d.acceptance.due)).toBe('2026-02-16T23:30:00+08:00');
    expect(f(d.response.due)).toBe('2026-02-17T00:00:00+08:00');
    expect(f(d.resolution.due)).toBe('2026-02-17T01:00:00+08:00');
    expect(d.resolution.basis).toBe('urgent');
  });

  it('utilities outage subtopic: 24 hours, urgency still first', () => {
    const d = computeDeadlines(policy, calendar, { urgency: 'normal', requestType: '求助', subtopic: '小区停水' }, start);
    expect(f(d.resolution.due)).toBe('2026-02-13T10:00:00+08:00');
    expect(f(d.acceptance.due)).toBe('2026-02-12T11:00:00+08:00');
    expect(d.resolution.basis).toBe('subtopic:utilities-outage');
    const urgent = computeDeadlines(policy, calendar, { urgency: 'urgent', requestType: '求助', subtopic: '停电' }, start);
    expect(f(urgent.resolution.due)).toBe('2026-02-12T12:00:00+08:00');
  });

  it('caps acceptance and response at a shorter resolution', () => {
    const json = JSON.parse(readFileSync(SLA_POLICY_FILE, 'utf8'));
    json.resolution.byRequestType['感谢'] = { unit: 'hours', amount: 4 };
    const p = parseSlaPolicy(json);
    const d = computeDeadlines(p, calendar, { urgency: 'normal', requestType: '感谢' }, start);
    expect(f(d.resolution.due)).toBe('2026-02-12T14:00:00+08:00');
    expect(d.response.due).toEqual(d.resolution.due);
    expect(d.acceptance.due).toEqual(d.resolution.due);
    expect(d.acceptance.cappedBy).toBe('resolution');
  });
});

describe('pauses: the clock stops while the resident is awaited', () => {
  it('resumes the working minutes left at the pause start', () => {
    // due Wed 3/4 close; paused Mon 10:00 with 120 + 210 + 420 + 420 = 1170 minutes left
    const d = working('2026-03-02T08:30', '2026-03-04T17:30');
    expect(remainingAt(calendar, d, t('2026-03-02T10:00'))).toBe(1170);
    const moved = applyPauses(d, [{ from: t('2026-03-02T10:00'), to: t('2026-03-05T10:00') }], calendar);
    expect(f(moved.due)).toBe('2026-03-09T17:30:00+08:00'); // Thu 330 + Fri 420 + Mon 420
  });

  it('a same-day pause moves the due by the working time lost, skipping lunch', () => {
    const d = working('2026-03-02T08:30', '2026-03-04T17:30');
    // lost 10:00–12:00 and 14:00–16:00 = 240 minutes → Thu 08:30–12:00 (210) + 14:00–14:30 (30)
    expect(f(applyPauses(d, [{ from: t('2026-03-02T10:00'), to: t('2026-03-02T16:00') }], calendar).due)).toBe('2026-03-05T14:30:00+08:00');
    expect(f(applyPauses(d, [{ from: t('2026-03-02T12:10'), to: t('2026-03-02T13:50') }], calendar).due)).toBe('2026-03-04T17:30:00+08:00');
  });

  it('a weekend pause costs nothing; a pause across Spring Festival only its working days', () => {
    const d = working('2026-03-09T08:30', '2026-03-11T17:30');
    expect(f(applyPauses(d, [{ from: t('2026-03-07T10:00'), to: t('2026-03-08T18:00') }], calendar).due)).toBe('2026-03-11T17:30:00+08:00');
    const sf = working('2026-02-12T10:00', '2026-02-26T17:30');
    // paused Sat 2/14 (make-up) 17:00 → Tue 2/24 17:00: lost 30 min of 2/14 + 390 of 2/24 = one working day
    expect(f(applyPauses(sf, [{ from: t('2026-02-14T17:00'), to: t('2026-02-24T17:00') }], calendar).due)).toBe('2026-02-27T17:30:00+08:00');
    // resumed at 2/24 12:00 instead: 1290 minutes left at the pause start; from 2/24 12:00: 2/24 210, 2/25 420, 2/26 420 = 1050, 240 more on 2/27 = 08:30–12:00 (210) + 30 → 14:30
    expect(f(applyPauses(sf, [{ from: t('2026-02-14T17:00'), to: t('2026-02-24T12:00') }], calendar).due)).toBe('2026-02-27T14:30:00+08:00');
  });

  it('wall-clock deadlines resume wall-clock time', () => {
    const d: Deadline = { kind: 'resolution', start: t('2026-02-13T23:00'), due: t('2026-02-14T01:00'), unit: 'hours', amount: 2, basis: 'urgent' };
    expect(f(applyPauses(d, [{ from: t('2026-02-13T23:30'), to: t('2026-02-14T08:00') }], calendar).due)).toBe('2026-02-14T09:30:00+08:00');
  });

  it('several pauses in order; a pause after the due changes nothing; overlaps are refused', () => {
    const d = working('2026-03-02T08:30', '2026-03-04T17:30');
    const two = applyPauses(
      d,
      [
        { from: t('2026-03-03T08:30'), to: t('2026-03-03T12:00') }, // 210
        { from: t('2026-03-02T14:00'), to: t('2026-03-02T17:30') }, // 210, given out of order
      ],
      calendar,
    );
    expect(f(two.due)).toBe('2026-03-05T17:30:00+08:00');
    expect(applyPauses(d, [{ from: t('2026-03-05T09:00'), to: t('2026-03-06T09:00') }], calendar).due).toEqual(d.due);
    expect(() =>
      applyPauses(d, [{ from: t('2026-03-02T10:00'), to: t('2026-03-03T10:00') }, { from: t('2026-03-03T09:00'), to: t('2026-03-03T11:00') }], calendar),
    ).toThrow(/overlap/);
  });
});

describe('reminders and escalation', () => {
  it('reminds when 75% of the working time is used', () => {
    // 1260 minutes; 945 = Mon 420 + Tue 420 + Wed 105
    expect(f(reminderAt(calendar, working('2026-03-02T08:30', '2026-03-04T17:30'), 0.75))).toBe('2026-03-04T10:15:00+08:00');
    // 咨询 from 2/12 10:00, due 2/24 close: 330 + 420 + 420 + 420 = 1590; 1192.5 → 22.5 minutes into 2/24
    const d = computeDeadlines(policy, calendar, { urgency: 'normal', requestType: '咨询' }, t('2026-02-12T10:00'));
    expect(f(reminderAt(calendar, d.resolution, policy.reminderFraction))).toBe('2026-02-24T08:52:30+08:00');
  });

  it('wall-clock reminders for urgent cases', () => {
    const d = computeDeadlines(policy, calendar, { urgency: 'urgent', requestType: '求助' }, t('2026-02-12T10:00'));
    expect(f(reminderAt(calendar, d.resolution, 0.75))).toBe('2026-02-12T11:30:00+08:00');
  });

  it('skips paused time', () => {
    const base = working('2026-03-02T08:30', '2026-03-04T17:30');
    const pauses = [{ from: t('2026-03-02T10:00'), to: t('2026-03-05T10:00') }];
    const moved = applyPauses(base, pauses, calendar);
    // 90 used before the pause, 855 after: Thu 330 + Fri 420 + Mon 105
    expect(f(reminderAt(calendar, moved, 0.75, pauses))).toBe('2026-03-09T10:15:00+08:00');
  });

  it('escalates K working days after the due', () => {
    expect(f(escalationAt(calendar, t('2026-02-13T17:30'), 1))).toBe('2026-02-14T17:30:00+08:00');
    expect(f(escalationAt(calendar, t('2026-02-13T17:30'), 2))).toBe('2026-02-24T17:30:00+08:00');
    const urgent = computeDeadlines(policy, calendar, { urgency: 'urgent', requestType: '求助' }, t('2026-02-12T10:00'));
    expect(f(escalationFor(policy, calendar, urgent.resolution))).toBe('2026-02-12T14:00:00+08:00');
  });

  it('return window and extensions count working days', () => {
    expect(f(returnWindowEnd(policy, calendar, t('2026-02-13T16:00')))).toBe('2026-02-14T17:30:00+08:00');
    // +10: 2/14, 2/24–2/28, 3/2–3/5
    expect(f(extendDeadline(calendar, working('2026-02-12T10:00', '2026-02-13T17:30'), 10).due)).toBe('2026-03-05T17:30:00+08:00');
  });
});

describe('provisional deadlines', () => {
  const cls = { urgency: 'normal' as const, requestType: '举报' as const, subtopic: null };
  const STAND_IN_2027 = { year: 2027, source: { title: 'stand-in' }, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-04' }], workdays: [] };

  it('marks the deadlines counted through a year without a file, and only those', () => {
    const d = computeDeadlines(policy, calendar, cls, t('2026-12-29T10:00'));
    expect(d.acceptance.provisionalYears).toBeUndefined(); // 12/30
    expect(d.response.provisionalYears).toBeUndefined(); // 12/31
    expect(d.resolution.provisionalYears).toEqual([2027]);
    expect(provisionalYearsOf(d)).toEqual([2027]);
    expect(provisionalYearsOf(computeDeadlines(policy, calendar, cls, t('2026-03-02T10:00')))).toEqual([]);
    // urgent deadlines run on the wall clock: never provisional
    expect(provisionalYearsOf(computeDeadlines(policy, calendar, { ...cls, urgency: 'urgent' }, t('2027-03-02T10:00')))).toEqual([]);
  });

  it('a pause or an extension that carries a deadline into such a year marks it', () => {
    const d = working('2026-12-21T10:00', '2026-12-24T17:30');
    expect(applyPauses(d, [{ from: t('2026-12-22T10:00'), to: t('2027-01-05T10:00') }], calendar).provisionalYears).toEqual([2027]);
    expect(applyPauses(d, [{ from: t('2026-12-22T10:00'), to: t('2026-12-23T10:00') }], calendar).provisionalYears).toBeUndefined();
    expect(extendDeadline(calendar, d, 10).provisionalYears).toEqual([2027]);
    expect(extendDeadline(calendar, d, 2).provisionalYears).toBeUndefined(); // 12/28
  });

  it('recounts on the official year: the due moves, the mark goes, pauses and extensions are kept', () => {
    const live = new WorkingCalendar({ years: loadCalendarYears() });
    const old = computeDeadlines(policy, live, cls, t('2026-12-29T10:00'));
    expect(f(old.resolution.due)).toBe('2027-01-20T17:30:00+08:00');
    const pauses = [{ from: t('2027-01-05T10:00'), to: t('2027-01-06T10:00') }];
    const paused = { ...old, resolution: applyPauses(extendDeadline(live, old.resolution, 2), pauses, live) };
    expect(f(paused.resolution.due)).toBe('2027-01-25T17:30:00+08:00'); // +2 working days, +1 paused day

    live.setYears([...loadCalendarYears(), STAND_IN_2027]);
    const plain = recountDeadlines(live, old, { pauses: [], extensionWorkingDays: 0 });
    expect(f(plain.resolution.due)).toBe('2027-01-21T17:30:00+08:00'); // Mon 1/4 is off in the stand-in
    expect(plain.resolution.provisionalYears).toBeUndefined();
    expect(plain.acceptance).toEqual(old.acceptance); // never provisional: kept as it was
    const again = recountDeadlines(live, paused, { pauses, extensionWorkingDays: 2 });
    expect(f(again.resolution.due)).toBe('2027-01-26T17:30:00+08:00');
    expect(provisionalYearsOf(again)).toEqual([]);
    // the rule that set each deadline is kept (its unit, amount and basis), whatever the policy says now
    expect(again.resolution).toMatchObject({ unit: 'workingDays', amount: 15, basis: 'requestType:举报' });
  });
});
