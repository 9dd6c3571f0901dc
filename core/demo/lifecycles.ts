// Drives the demo's cases through believable pasts with the same case service staff use: most
// accepted, answered, closed and rated; some returned and re-dispatched, some paused for the
// resident, some extended, some left overdue until 督办. The pasts of up to 25 cases are one
// transaction with the progress marker, so a kill mid-way neither repeats nor skips a case; inside
// it the 25 are driven side by side (each case's steps in order, its own random draws), which gives
// each case the same past as driving them one after another.
import { setAppState, getAppState } from '../db/app-state';
import { listDispatchedCasesAfter } from '../db/cases';
import { listDepartments } from '../db/departments';
import type { Db, Sql } from '../db/connect';
import { transitionInTx } from '../cases/act-on-case';
import type { CaseServiceDeps } from '../cases/deps';
import { fireDueTimersInTx } from '../cases/fire-timers';
import { IllegalTransitionError, RATINGS, type Actor, type CaseAction, type Rating } from '../cases/lifecycle';
import { createRng, type Rng } from '../util/seeded-random';

const HOUR = 3600_000;
/** cases whose pasts share one transaction (each case's own rng: the same pasts as one by one) */
const LIFECYCLES_PER_TX = 25;

type DemoCase = Awaited<ReturnType<typeof listDispatchedCasesAfter>>[number];

const MEASURES = [
  '已安排工作人员现场处置，问题已解决',
  '已责令责任单位限期整改，并将持续跟踪回访',
  '已协调相关单位于三个工作日内完成维修',
  '已依法立案调查，处理结果将另行告知',
  '已与物业服务企业约谈，督促其落实整改',
];

function replyText(c: DemoCase, rng: Rng, phone: string | null): string {
  const about = c.title ? `“${c.title.slice(0, 24)}”` : '所反映';
  return `您好！您反映的${about}问题已收悉。经核实，${c.district ?? '该处'}情况属实。${rng.pick(MEASURES)}。如有疑问，请联系承办单位${phone ? `（电话 ${phone}）` : ''}。感谢您对我们工作的监督。`;
}

/** The district government for a case's district, else the city's urban management: where a returned case goes next. */
function redispatchTarget(c: DemoCase, districts: Map<string, string>, returnedBy: string): string {
  const gov = c.district ? districts.get(c.district) : undefined;
  if (gov && gov !== returnedBy) return gov;
  return returnedBy === 'urban-mgmt' ? 'housing' : 'urban-mgmt';
}

export async function driveDemoLifecycles(sql: Sql, deps: CaseServiceDeps, opts: { seed: number; now: Date; interleave?: boolean }): Promise<number> {
  const progress = (await getAppState<{ lastCaseId: number }>(sql, 'demo-lifecycles')) ?? { lastCaseId: 0 };
  const depts = await listDepartments(sql);
  const districts = new Map(depts.filter((d) => d.district).map((d) => [d.district!, d.code]));
  const phones = new Map(depts.map((d) => [d.code, d.phone]));
  const cases = await listDispatchedCasesAfter(sql, progress.lastCaseId);
  let driven = 0;
  for (let i = 0; i < cases.length; i += LIFECYCLES_PER_TX) {
    const batch = cases.slice(i, i + LIFECYCLES_PER_TX);
    await sql.begin(async (tx) => {
      // the first error of a chain; the others stop at their next step (the batch rolls back anyway)
      let failure: { err: unknown } | null = null;
      const stopped = () => failure !== null;
      const one = async (c: DemoCase) => {
        try {
          if (!(await drive(tx, deps, c, createRng(`${opts.seed}:case:${c.id}`), opts.now, districts, phones, stopped))) return;
          // what fell due after the case's last step up to now (overdue, 督办) is recorded too
          if (!stopped()) await fireDueTimersInTx(tx, deps, c.id, opts.now);
        } catch (err) {
          failure ??= { err };
        }
      };
      // interleaved: the cases' statements are pipelined on the one connection (each case's own
      // steps still in order; 25% less CPU than one case after another, measured on 300 cases)
      if (opts.interleave === false) for (const c of batch) await one(c);
      else {
        // every chain settled before the transaction ends: one failing, the others would go on
        // issuing statements on a finished transaction (Promise.all rejects at the first error)
        await Promise.allSettled(batch.map(one));
      }
      if (failure) throw (failure as { err: unknown }).err;
      await setAppState(tx, 'demo-lifecycles', { lastCaseId: batch[batch.length - 1].id });
    });
    driven += batch.length;
  }
  return driven;
}

/** false when it stopped because another chain of the batch failed */
async function drive(tx: Db, deps: CaseServiceDeps, c: DemoCase, rng: Rng, now: Date, districts: Map<string, string>, phones: Map<string, string | null>, stopped: () => boolean): Promise<boolean> {
  await driveSteps(tx, deps, c, rng, now, districts, phones, stopped);
  return !stopped();
}

async function driveSteps(tx: Db, deps: CaseServiceDeps, c: DemoCase, rng: Rng, now: Date, districts: Map<string, string>, phones: Map<string, string | null>, stopped: () => boolean) {
  let at = new Date(c.createdAt.getTime() + 5 * 60_000);
  let dept = c.departmentCode!;
  const centre: Actor = { role: 'centre', id: 'staff:demo-centre' };
  const department = (): Actor => ({ role: 'department', id: `staff:demo-${dept}`, departmentId: dept });
  /** one step `hours` later; false when that would be in the future (the case stays where it is) */
  const step = async (hours: number, action: CaseAction, actor: Actor, extra: { resolved?: boolean } = {}): Promise<boolean> => {
    const next = new Date(at.getTime() + hours * HOUR);
    if (next.getTime() > now.getTime() || stopped()) return false;
    at = next;
    try {
      const r = await transitionInTx(tx, deps, c.id, action, { actor, at, resolved: extra.resolved });
      if (r.state.ownerDepartmentId) dept = r.state.ownerDepartmentId;
      return true;
    } catch (err) {
      if (err instanceof IllegalTransitionError) return false; // a scripted step the case cannot take: it stops there
      throw err;
    }
  };

  // 退单 and re-dispatch (about one case in twelve)
  if (rng.chance(0.08)) {
    const from = dept;
    if (!(await step(rng.next() * 3 + 0.5, { type: 'return', reason: '经核实不属于本单位职责范围，请重新派单' }, department()))) return;
    if (!(await step(rng.next() * 2 + 0.5, { type: 'dispatch', departmentId: redispatchTarget(c, districts, from) }, centre))) return;
  }
  if (!(await step(rng.chance(0.1) ? 20 + rng.next() * 30 : rng.next() * 6 + 0.3, { type: 'accept' }, department()))) return;
  if (rng.chance(0.7) && !(await step(rng.next() * 8 + 0.5, { type: 'contact', note: '已电话联系诉求人了解情况' }, department()))) return;
  // some never get answered: left open, they run overdue and are escalated by the clock
  if (rng.chance(0.1)) return;
  if (rng.chance(0.12)) {
    if (!(await step(rng.next() * 12 + 1, { type: 'pause', reason: '需诉求人补充具体位置和照片' }, department()))) return;
    if (!(await step(rng.next() * 40 + 4, { type: 'resume', note: '诉求人已补充材料' }, { role: 'resident', id: 'resident:demo' }))) return;
  }
  if (rng.chance(0.1)) {
    if (!(await step(rng.next() * 24 + 2, { type: 'requestExtension', workingDays: rng.int(3, 10), reason: '涉及多部门协调，需延长办理时限' }, department()))) return;
    const decision: CaseAction = rng.chance(0.8) ? { type: 'approveExtension' } : { type: 'refuseExtension', reason: '问题可在原时限内办结' };
    if (!(await step(rng.next() * 6 + 1, decision, centre))) return;
  }
  const late = rng.chance(0.15);
  const replyHours = late ? 24 * (6 + rng.next() * 8) : rng.next() * 60 + 2;
  if (!(await step(replyHours, { type: 'reply', text: replyText(c, rng, phones.get(dept) ?? null) }, department()))) return;
  // a reply the review policy holds (lexicons/review-policy.json) is approved by the centre first; for
  // any other the step is refused and changes nothing (no time passes, no random draw)
  await step(0, { type: 'approveReply' }, centre);
  if (!(await step(rng.next() * 20 + 1, { type: 'close' }, centre))) return;
  if (!rng.chance(0.72)) return; // not every resident answers the callback
  // weights in RATINGS order: 满意, 基本满意, 不满意
  const rating = rng.weighted<Rating>(RATINGS, late ? [0.35, 0.3, 0.35] : [0.62, 0.26, 0.12]);
  const resolved = rating === '不满意' ? rng.chance(0.15) : rng.chance(0.93);
  if (!(await step(rng.next() * 48 + 2, { type: 'rate', rating, comment: rating === '不满意' ? '问题没有真正解决' : undefined }, { role: 'resident', id: 'resident:demo' }, { resolved }))) return;
  // 重办 after 不满意: the department takes it again
  if (rating === '不满意') await step(rng.next() * 6 + 1, { type: 'accept' }, department());
}
