// The actions staff take on a case, one declaration each: the URL segment (POST /api/v1/cases/:id/<route>),
// the button's label, the body (zod, with Chinese messages and field labels) and the lifecycle action it
// performs. Who may take it is not repeated here: it is the lifecycle's table (TRANSITIONS[type].roles and
// ownerOnly, core/cases/lifecycle.ts), read through the staff-account mapping of core/auth/permissions.ts.
// The API's routes and 403s, the list of actions returned with each case, and the dashboard's buttons and
// forms are all made from STAFF_ACTIONS: to add an action, add a declaration here.
import { z } from 'zod';
import { departmentIdField, noteField, reasonField, replyTextField, workingDaysField } from './action-fields';
import { actorFor, canSeeCase } from '../auth/permissions';
import type { StaffUser } from '../auth/staff';
import type { WorkingCalendar } from './calendar';
import {
  permissionRefusal,
  refusalNow,
  TRANSITIONS,
  type Actor,
  type CaseAction,
  type CaseActionType,
  type CaseState,
  type CaseStatus,
  type Role,
} from './lifecycle';
import type { CaseWork } from './case-work';
import type { SlaPolicy } from './sla';

// ---- fields: a label and a widget for the dashboard's generated forms, carried in the JSON Schema ----

export const WIDGETS = ['text', 'textarea', 'number', 'department', 'message', 'reply', 'person'] as const;
export type Widget = (typeof WIDGETS)[number];
const label = (title: string, widget: Widget) => ({ title, widget });

// the fields' limits and messages are the lifecycle's (action-fields.ts); here they get a label and a widget
const reason = (what = '理由') => reasonField(what).meta(label(what, 'textarea'));
const note = noteField.optional().meta(label('备注', 'textarea'));
const departmentId = departmentIdField.meta(label('承办单位', 'department'));
const workingDays = workingDaysField.meta(label('延期工作日数', 'number'));
const version = z.object({ version: z.number({ message: 'version 须为数字' }).int('version 须为整数').nonnegative('version 不能为负').optional() });

// ---- declarations ----

export type Tone = 'primary' | 'danger';

/** What a valid body asks for, ready for the use case that performs it. */
export type StaffRequest =
  | { kind: 'transition'; action: CaseAction; version?: number }
  | { kind: 'merge'; into: { caseId: number } | { trackingNo: string }; reason?: string; version?: number }
  | { kind: 'split'; messageId: number; reason: string }
  /** desk work beside the lifecycle (case-work.ts): 内部备注, 催办, 指派经办人, 批示 and its answer */
  | { kind: 'work'; work: CaseWork };

export type ParsedBody = { ok: true; request: StaffRequest } | { ok: false; error: z.ZodError };

export interface StaffAction {
  /** unique; one route may carry several actions (派单/改派, 批准/拒绝延期) */
  key: string;
  route: string;
  label: string;
  tone: Tone | null;
  /** the lifecycle action performed: its table says who may do it and when; null for split, which opens a new case */
  does: CaseActionType | null;
  /** for an action that is no transition only: the lifecycle roles that may take it */
  roles: readonly Role[];
  /** for an action that is no transition only: whether it makes sense on this case now */
  when?: (state: CaseState, c: WhenContext) => boolean;
  /** the body without `version` (every transition also takes the version the user saw) */
  input: z.ZodObject;
  parse(body: unknown): ParsedBody;
}

/** What a non-transition action's `when` may look at beside the state. */
export interface WhenContext {
  messageCount: number;
  /** 批示 on the case the department has not answered yet */
  openInstructions: number;
}

interface Common {
  key: string;
  route?: string;
  label: string;
  tone?: Tone;
}

function withVersion<T>(body: unknown, r: z.ZodSafeParseResult<T>, make: (data: T, version: number | undefined) => StaffRequest): ParsedBody {
  const v = version.safeParse(body);
  if (!r.success || !v.success) return { ok: false, error: new z.ZodError([...(r.error?.issues ?? []), ...(v.error?.issues ?? [])]) };
  return { ok: true, request: make(r.data, v.data.version) };
}

/** A lifecycle transition: the body is mapped to exactly the action the lifecycle takes. */
function transition<I extends z.ZodObject, T extends CaseActionType>(
  d: Common & { does: T; input: I; toAction: (body: z.output<I>) => Extract<CaseAction, { type: T }> },
): StaffAction {
  return {
    key: d.key, route: d.route ?? d.key, label: d.label, tone: d.tone ?? null, does: d.does, roles: [], input: d.input,
    parse: (body) => withVersion(body, d.input.safeParse(body), (b, v) => ({ kind: 'transition', action: d.toAction(b), version: v })),
  };
}

const mergeInput = z
  .object({
    // the target as staff know it (受理编号) or by its internal id
    intoTrackingNo: z.string({ message: '受理编号须为文字' }).trim().regex(/^MS\d{13}$/, '受理编号形如 MS2611230000001').optional().meta(label('并入工单（受理编号）', 'text')),
    intoCaseId: z.number({ message: '内部编号须为数字' }).int('内部编号须为整数').positive('内部编号须为正数').optional().meta(label('或并入工单（内部编号）', 'number')),
    reason: reason().optional(),
  })
  .refine((b) => (b.intoCaseId === undefined) !== (b.intoTrackingNo === undefined), {
    message: '请填写并入工单的受理编号或内部编号（二选一） (give intoCaseId or intoTrackingNo)',
    path: ['intoCaseId'],
  });

const splitInput = z.object({
  messageId: z.number({ message: '请选择要拆分的留言' }).int().positive().meta(label('拆分的留言', 'message')),
  reason: reason(),
});

/** A piece of desk work (no transition): who may do it and when is declared here. */
function work<I extends z.ZodObject>(
  d: Common & { roles: readonly Role[]; when?: StaffAction['when']; input: I; toWork: (body: z.output<I>) => CaseWork },
): StaffAction {
  return {
    key: d.key, route: d.route ?? d.key, label: d.label, tone: d.tone ?? null, does: null, roles: d.roles, when: d.when, input: d.input,
    parse: (body) => {
      const r = d.input.safeParse(body);
      return r.success ? { ok: true, request: { kind: 'work', work: d.toWork(r.data) } } : { ok: false, error: r.error };
    },
  };
}

const workText = (what: string, max = 5000) =>
  z.string({ message: `请填写${what}` }).trim().min(1, `请填写${what}`).max(max, `${what}最多 ${max} 字`).meta(label(what, 'textarea'));
const ACTIVE_STATUSES: readonly CaseStatus[] = ['dispatched', 'accepted', 'waiting'];

export const STAFF_ACTIONS: readonly StaffAction[] = [
  // 派单; on a case already with a department the same route is an override (改派) and needs a reason
  transition({
    key: 'dispatch', label: '派单', tone: 'primary', does: 'dispatch',
    // a reason is accepted (and ignored) as before, so one body serves 派单 and 改派
    input: z.object({ departmentId, reason: reason().optional().meta({ hidden: true }) }),
    toAction: (b) => ({ type: 'dispatch', departmentId: b.departmentId }),
  }),
  transition({
    key: 'designate', label: '指定承办', tone: 'primary', does: 'designate',
    input: z.object({ departmentId, reason: reason().optional() }),
    toAction: (b) => ({ type: 'designate', departmentId: b.departmentId, reason: b.reason }),
  }),
  transition({
    key: 'override', route: 'dispatch', label: '改派', does: 'override',
    input: z.object({ departmentId, reason: reason('改派理由') }),
    toAction: (b) => ({ type: 'override', departmentId: b.departmentId, reason: b.reason }),
  }),
  transition({ key: 'accept', label: '签收', tone: 'primary', does: 'accept', input: z.object({}), toAction: () => ({ type: 'accept' }) }),
  transition({
    key: 'return', label: '退单', tone: 'danger', does: 'return',
    input: z.object({ reason: reason('退单理由') }),
    toAction: (b) => ({ type: 'return', reason: b.reason }),
  }),
  transition({ key: 'contact', label: '联系诉求人', does: 'contact', input: z.object({ note }), toAction: (b) => ({ type: 'contact', note: b.note }) }),
  transition({ key: 'pause', label: '暂停', does: 'pause', input: z.object({ reason: reason('请居民补充的内容（居民在进度查询中可见）') }), toAction: (b) => ({ type: 'pause', reason: b.reason }) }),
  transition({ key: 'resume', label: '恢复', does: 'resume', input: z.object({ note }), toAction: (b) => ({ type: 'resume', note: b.note }) }),
  transition({
    key: 'request-extension', label: '延期', does: 'requestExtension',
    input: z.object({ workingDays, reason: reason('延期理由') }),
    toAction: (b) => ({ type: 'requestExtension', workingDays: b.workingDays, reason: b.reason }),
  }),
  transition({
    key: 'approve-extension', route: 'decide-extension', label: '批准延期', tone: 'primary', does: 'approveExtension',
    input: z.object({ approve: z.literal(true, { message: '请选择批准或拒绝 (approve: true or false)' }), workingDays: workingDays.optional().meta(label('批准工作日数（默认按申请）', 'number')) }),
    toAction: (b) => ({ type: 'approveExtension', workingDays: b.workingDays }),
  }),
  transition({
    key: 'refuse-extension', route: 'decide-extension', label: '拒绝延期', does: 'refuseExtension',
    input: z.object({ approve: z.literal(false, { message: '请选择批准或拒绝 (approve: true or false)' }), reason: reason('拒绝理由') }),
    toAction: (b) => ({ type: 'refuseExtension', reason: b.reason }),
  }),
  transition({
    key: 'reply', label: '答复', tone: 'primary', does: 'reply',
    input: z.object({ text: replyTextField.meta(label('答复', 'reply')) }),
    toAction: (b) => ({ type: 'reply', text: b.text }),
  }),
  transition({ key: 'reject-reply', label: '驳回答复', tone: 'danger', does: 'rejectReply', input: z.object({ reason: reason('驳回理由') }), toAction: (b) => ({ type: 'rejectReply', reason: b.reason }) }),
  transition({ key: 'approve-reply', label: '审核通过', tone: 'primary', does: 'approveReply', input: z.object({}), toAction: () => ({ type: 'approveReply' }) }),
  transition({ key: 'close', label: '办结', tone: 'primary', does: 'close', input: z.object({}), toAction: () => ({ type: 'close' }) }),
  {
    key: 'merge', route: 'merge', label: '合并', tone: null, does: 'merge', roles: [], input: mergeInput,
    parse: (body) =>
      withVersion(body, mergeInput.safeParse(body), (b, v) => ({
        kind: 'merge',
        into: b.intoCaseId !== undefined ? { caseId: b.intoCaseId } : { trackingNo: b.intoTrackingNo ?? '' },
        reason: b.reason,
        version: v,
      })),
  },
  // 拆分: a wrongly merged message gets its own new case (no transition of this case)
  {
    key: 'split', route: 'split', label: '拆分', tone: null, does: null, roles: ['centre', 'staff'], input: splitInput,
    when: (_s, c) => c.messageCount > 1,
    parse: (body) => {
      const r = splitInput.safeParse(body);
      return r.success ? { ok: true, request: { kind: 'split', messageId: r.data.messageId, reason: r.data.reason } } : { ok: false, error: r.error };
    },
  },
  // ---- desk work beside the lifecycle ----
  work({
    key: 'note', label: '内部备注', roles: ['staff', 'centre', 'department'],
    input: z.object({ text: workText('备注内容') }), toWork: (b) => ({ kind: 'note', text: b.text }),
  }),
  work({
    key: 'urge', label: '催办', roles: ['staff', 'centre'], when: (s) => ACTIVE_STATUSES.includes(s.status),
    input: z.object({ reason: workText('催办事项', 500) }), toWork: (b) => ({ kind: 'urge', reason: b.reason }),
  }),
  work({
    key: 'assign', label: '指派经办人', roles: ['department', 'centre'], when: (s) => s.ownerDepartmentId !== null && s.status !== 'merged',
    input: z.object({ assignee: z.string({ message: '请选择经办人' }).trim().min(1, '请选择经办人').max(64, '经办人账号最多 64 字').meta(label('经办人', 'person')) }),
    toWork: (b) => ({ kind: 'assign', assignee: b.assignee }),
  }),
  work({
    key: 'instruct', label: '领导批示', tone: 'primary', roles: ['leader'], when: (s) => s.status !== 'merged',
    input: z.object({ text: workText('批示内容', 2000) }), toWork: (b) => ({ kind: 'instruct', text: b.text }),
  }),
  work({
    key: 'answer-instruction', label: '答复批示', tone: 'primary', roles: ['department'], when: (_s, c) => c.openInstructions > 0,
    input: z.object({ text: workText('答复内容') }), toWork: (b) => ({ kind: 'answer', text: b.text }),
  }),
];

export const STAFF_ACTION_ROUTES = [...new Set(STAFF_ACTIONS.map((a) => a.route))];

// ---- what the dashboard is told: the fields of each action, read from its JSON Schema ----

export interface ActionField {
  name: string;
  label: string;
  widget: Widget;
  required: boolean;
  minimum: number | null;
  maximum: number | null;
  maxLength: number | null;
}

export interface ActionDescription {
  key: string;
  route: string;
  label: string;
  tone: Tone | null;
  /** body values sent as they are (no field is shown for them) */
  fixed: Record<string, string | number | boolean>;
  /** the fields to ask for, in order; the user's version is sent beside them */
  fields: ActionField[];
}

const isWidget = (w: unknown): w is Widget => WIDGETS.some((x) => x === w);

export function describeAction(a: StaffAction): ActionDescription {
  const schema = z.toJSONSchema(a.input, { io: 'input' });
  const required = new Set(schema.required ?? []);
  const fixed: Record<string, string | number | boolean> = {};
  const fields: ActionField[] = [];
  for (const [name, p] of Object.entries(schema.properties ?? {})) {
    if (typeof p !== 'object' || p.hidden === true) continue;
    if (p.const !== undefined && p.const !== null) {
      fixed[name] = p.const;
      continue;
    }
    const numeric = p.type === 'integer' || p.type === 'number';
    fields.push({
      name,
      label: p.title ?? name,
      widget: isWidget(p.widget) ? p.widget : numeric ? 'number' : 'text',
      required: required.has(name),
      minimum: typeof p.minimum === 'number' ? p.minimum : null,
      maximum: typeof p.maximum === 'number' && p.maximum < Number.MAX_SAFE_INTEGER ? p.maximum : null,
      maxLength: typeof p.maxLength === 'number' ? p.maxLength : null,
    });
  }
  return { key: a.key, route: a.route, label: a.label, tone: a.tone, fixed, fields };
}

const descriptions = new Map(STAFF_ACTIONS.map((a) => [a.key, describeAction(a)]));

// ---- choosing, permitting, listing ----

function fixedMatch(a: StaffAction, body: Record<string, unknown>): boolean {
  return Object.entries(descriptions.get(a.key)!.fixed).every(([k, v]) => body[k] === v);
}

const objectBody = z.record(z.string(), z.unknown()).catch({});

/**
 * The action a POST to `route` means for this body on a case in this status: among the route's
 * actions, those whose fixed values the body carries, then the one the status allows.
 */
export function actionForRoute(route: string, body: unknown, status: CaseStatus): StaffAction | undefined {
  const all = STAFF_ACTIONS.filter((a) => a.route === route);
  const rec = objectBody.parse(body);
  const matching = all.filter((a) => fixedMatch(a, rec));
  const pool = matching.length ? matching : all;
  return pool.find((a) => a.does && TRANSITIONS[a.does].from.includes(status)) ?? pool[0];
}

/** The lifecycle roles that may take an action: the lifecycle's table, or the declaration of a non-transition. */
export function rolesOf(a: StaffAction): readonly Role[] {
  return a.does ? TRANSITIONS[a.does].roles : a.roles;
}

const ROLE_NAMES: Record<StaffUser['role'], string> = { admin: '管理员', centre: '协调中心', department: '承办单位', leader: '督办领导' };

export type Permission = { ok: true; actor: Actor } | { ok: false; message: string };

/** Whether this user may take this action on this case at all, as whom; a refusal is the API's 403. */
export function permit(user: StaffUser, a: StaffAction, state: Pick<CaseState, 'ownerDepartmentId'>): Permission {
  const actor = actorFor(user);
  if (!actor) return { ok: false, message: '该账号未绑定承办单位，不能办理 (the account has no department)' };
  const notOwn = { ok: false, message: '只能办理本单位的工单 (not your department’s case)' } as const;
  if (!canSeeCase(user, state.ownerDepartmentId)) return notOwn;
  const refusal = a.does ? permissionRefusal(state, a.does, actor) : a.roles.includes(actor.role) ? null : 'ROLE_NOT_ALLOWED';
  if (refusal === 'NOT_OWNER') return notOwn;
  if (refusal) {
    if (user.role === 'leader') return { ok: false, message: `督办领导账号只能查看和批示，不能执行「${a.label}」 (leader accounts read and give instructions only)` };
    return { ok: false, message: `${ROLE_NAMES[user.role]}账号无权执行「${a.label}」 (role ${user.role} may not do ${a.key})` };
  }
  return { ok: true, actor };
}

export interface ActionContext {
  policy: SlaPolicy;
  calendar: WorkingCalendar;
  at: Date;
  messageCount: number;
  openInstructions?: number;
}

function availableNow(a: StaffAction, state: CaseState, actor: Actor, c: ActionContext): boolean {
  if (a.does) return refusalNow(state, a.does, { actor, at: c.at, policy: c.policy, calendar: c.calendar }) === null;
  return a.roles.includes(actor.role) && (a.when?.(state, { messageCount: c.messageCount, openInstructions: c.openInstructions ?? 0 }) ?? true);
}

/** The actions this user may take on this case now, with the fields each asks for. Input may still be refused. */
export function allowedActions(user: StaffUser, state: CaseState, c: ActionContext): ActionDescription[] {
  return STAFF_ACTIONS.filter((a) => {
    const p = permit(user, a, state);
    return p.ok && availableNow(a, state, p.actor, c);
  }).map((a) => descriptions.get(a.key)!);
}
