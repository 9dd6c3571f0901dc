// Response schemas for the OpenAPI document. The routes return objects built by core/ (typed in
// TypeScript, not validated on the way out), so their shapes are declared here once; large ones are
// loose objects naming the fields clients rely on (other fields may be present).
import { z } from 'zod';
import { storedDefinitionSchema } from '../../core/alerts/rule-schema';
import { AUDIT_ACTIONS } from '../../core/audit/audit';
import { STAFF_AREA_NAMES } from '../../core/auth/permissions';
import { STAFF_ROLES, TOKEN_SCOPES } from '../../core/auth/staff';
import { CASE_STATUSES } from '../../core/cases/statuses';

const time = z.string().meta({ format: 'date-time' });

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.union([z.array(z.object({ field: z.string(), message: z.string() })), z.record(z.string(), z.unknown())]).optional(),
    requestId: z.string().nullable(),
  }),
});

export const health = z.object({
  status: z.enum(['ok', 'degraded']),
  checks: z.object({ database: z.enum(['up', 'down']), queue: z.enum(['up', 'down']) }),
  mode: z.object({ database: z.enum(['postgres', 'embedded']), queue: z.string() }),
  warnings: z.array(z.unknown()),
});

export const accepted = z.object({ trackingNo: z.string(), queryCode: z.string(), status: z.string(), duplicate: z.boolean(), photos: z.number().int().describe('photos sent with the form') });
export const hotlineAccepted = z.object({
  trackingNo: z.string(), queryCode: z.string(), orderNo: z.string(), duplicate: z.boolean(),
  sms: z.object({ status: z.enum(['queued', 'not-enabled', 'no-mobile']), note: z.string() }).describe('the SMS with the tracking number and 查询码 to the caller'),
});

export const residentStatus = z.object({
  trackingNo: z.string(), receivedAt: time, channel: z.string(), stage: z.enum(CASE_STATUSES), stageLabel: z.string(),
  department: z.string().nullable(), dueAt: time.nullable(),
  provisional: z.boolean().describe('暂定: counted on the holidays of a year not announced yet'), provisionalYears: z.array(z.number().int()), deadlineNote: z.string().nullable(),
  repliedAt: time.nullable(), reply: z.string().nullable(),
  rating: z.string().nullable(), canRate: z.boolean(), history: z.array(z.object({ at: time, label: z.string() })),
  title: z.string().nullable().describe('the resident\'s own message'), text: z.string(),
  question: z.object({ at: time, text: z.string() }).nullable().describe('待补充材料: what the department asked for'),
  supplements: z.array(z.object({ at: time, text: z.string() })),
  photos: z.array(z.object({ id: z.number().int(), mime: z.enum(['image/jpeg', 'image/png']), width: z.number().int(), height: z.number().int(), createdAt: time })),
  canAddPhotos: z.boolean(),
  sms: z.object({ enabled: z.boolean(), note: z.string().nullable() }).describe('hotline callers: whether the tracking number was sent by SMS (短信未开通 when no provider is configured)'),
});
export const photosAdded = z.object({ added: z.number().int(), photos: z.array(z.object({ id: z.number().int(), mime: z.string(), width: z.number().int(), height: z.number().int() })) });
export const casePhotos = z.object({ items: z.array(z.object({ id: z.number().int(), messageId: z.number().int(), addedVia: z.enum(['intake', 'status-page']), mime: z.string(), width: z.number().int(), height: z.number().int(), byteSize: z.number().int(), createdAt: time })) });
export const residentRated = z.object({ status: z.enum(CASE_STATUSES), reopened: z.boolean() });
export const residentSupplemented = z.object({ status: z.enum(CASE_STATUSES) });

export const caseRow = z.looseObject({
  id: z.number().int(), trackingNo: z.string(), status: z.enum(CASE_STATUSES), title: z.string().nullable(), summary: z.string(), channel: z.string(),
  category: z.string().nullable(), requestType: z.string().nullable(), urgency: z.enum(['urgent', 'normal']), district: z.string().nullable(),
  street: z.string().nullable(), departmentCode: z.string().nullable(), resolveDueAt: time.nullable(), overdue: z.boolean(),
  replyText: z.string().nullable(), rating: z.string().nullable(), version: z.number().int(), createdAt: time, updatedAt: time,
});
export const caseList = z.object({ total: z.number().int().describe('exact up to 10,000 rows past the page, else that bound'), totalExact: z.boolean().describe('false: more cases match than total'), items: z.array(caseRow), nextCursor: z.string().nullable().describe('with sort: the cursor of the next page') });
const caseAction = z.looseObject({
  key: z.string(), route: z.string().describe('POST /api/v1/cases/{id}/{route}'), label: z.string(), tone: z.enum(['primary', 'danger']).nullable(),
  fixed: z.record(z.string(), z.unknown()), fields: z.array(z.looseObject({ name: z.string(), label: z.string(), widget: z.string(), required: z.boolean() })),
});
/** a department the routing table suggests for a case no department has */
const suggestion = z.object({
  department: z.string(), name: z.string(), ruleId: z.string(), reason: z.string(), confidence: z.number(),
  returnedBefore: z.boolean().describe('this department returned the case before'),
});
const caseNote = z.object({
  id: z.number().int(), caseId: z.number().int(), kind: z.enum(['note', 'instruction', 'answer']), author: z.string(), authorRole: z.string(),
  departmentCode: z.string().nullable(), body: z.string(), answersId: z.number().int().nullable(), answeredAt: time.nullable(), createdAt: time,
});
export const caseDetail = z.looseObject({
  case: caseRow,
  deadlines: z.unknown(),
  provisionalNote: z.string().nullable(),
  lifecycle: z.looseObject({ status: z.enum(CASE_STATUSES), ownerDepartmentId: z.string().nullable() }),
  actions: z.array(caseAction),
  suggestions: z.array(suggestion).describe('待派单 only: the departments the routing table suggests'),
  notes: z.array(caseNote).describe('internal notes, 批示 and their answers'),
  openInstructions: z.number().int(),
  timers: z.array(z.looseObject({})),
  events: z.array(z.looseObject({ type: z.string(), at: time })),
  messages: z.array(z.looseObject({ id: z.number().int(), channel: z.string(), trackingNo: z.string(), receivedAt: time, title: z.string().nullable(), text: z.string() })),
});
const nextActions = { visible: z.boolean().describe('whether the caller may still see the case (a department that returned it may not)'), actions: z.array(caseAction) };
export const actionResult = z.looseObject({
  caseId: z.number().int(), status: z.enum(CASE_STATUSES).optional(), version: z.number().int(), ownerDepartmentId: z.string().nullable().optional(),
  events: z.array(z.looseObject({ type: z.string(), at: time })).optional(),
  event: z.unknown().optional().describe('desk work (note, urge, assign, instruct, answer-instruction): the event recorded'),
  noteId: z.number().int().nullable().optional(),
  replyAdvice: z.unknown().optional(), ...nextActions,
});
export const splitResult = z.looseObject({ caseId: z.number().int(), newCaseId: z.number().int(), messageId: z.number().int(), ...nextActions });
export const replyCheck = z.object({
  score: z.number(), relevance: z.number(),
  parts: z.object({ greeting: z.boolean(), findings: z.boolean(), measures: z.boolean(), contact: z.boolean() }),
  flags: z.array(z.object({ code: z.string(), severity: z.string(), zh: z.string(), en: z.string() })), ok: z.boolean(),
});

const staffUser = z.object({ id: z.number().int(), username: z.string(), displayName: z.string(), role: z.enum(STAFF_ROLES), departmentCode: z.string().nullable() });
const sessionUser = staffUser.extend({ areas: z.array(z.enum(STAFF_AREA_NAMES)).describe('the dashboard areas the role may open') });
const csrfToken = z.string().nullable().describe('send as X-CSRF-Token on every state-changing request made with the session cookie; null for a bearer token');
export const session = z.object({
  user: sessionUser.nullable(),
  via: z.enum(['session', 'token']).nullable(),
  csrfToken,
  demo: z.object({ enabled: z.boolean(), accounts: z.array(z.unknown()) }),
  reference: z.looseObject({}),
});

const count = z.number().int();
export const overview = z.looseObject({
  generatedAt: time,
  period: z.object({ from: time, to: time, fromDay: z.string(), toDay: z.string() }),
  filter: z.object({ district: z.string().nullable(), category: z.string().nullable(), channel: z.string().nullable() }),
  messages: z.object({
    total: count.describe('all time'), periodTotal: count.describe('received in the period'), today: count, pending: count, failed: count,
    byChannel: z.record(z.string(), count).describe('all time'), periodByChannel: z.record(z.string(), count).describe('received in the period'),
  }),
  cases: z.looseObject({
    total: count.describe('created in the period, not merged'), open: count, overdue: count, needsReview: count, byStatus: z.record(z.string(), count),
    byCategory: z.array(z.object({ category: z.string(), count })), byDistrict: z.array(z.object({ district: z.string(), count })), sentiment: z.record(z.string(), count),
  }),
  daily: z.array(z.object({ day: z.string(), messages: count, cases: count, negative: count, neutral: count, positive: count })),
  demo: z.object({ done: z.boolean(), count }).nullable(),
});
const rate = z.object({ rate: z.number().nullable(), numerator: z.number().int(), denominator: z.number().int() });
const metricsBlock = z.object({
  volume: z.number().int(), response: rate, onTime: rate,
  satisfaction: rate.extend({ ratedShare: z.number().nullable(), rated: z.number().int(), closed: z.number().int() }),
  resolution: rate, overdueOpen: z.number().int(),
});
export const metrics = metricsBlock.extend({ from: time, to: time });
export const departmentRanking = z.object({
  from: time, to: time, minVolume: z.number().int(), rankBy: z.enum(['onTime', 'response', 'satisfaction']),
  ranked: z.array(metricsBlock.extend({ rank: z.number().int(), department: z.string(), name: z.string().nullable() })),
  belowMinimum: z.array(metricsBlock.extend({ department: z.string(), name: z.string().nullable() })),
});
const duration = z.object({
  count: z.number().int(), medianMinutes: z.number().nullable(), p90Minutes: z.number().nullable(),
  histogram: z.array(z.tuple([z.number().nullable(), z.number().int()])).describe('[bucket upper bound in minutes (null: beyond the last), count]'),
});
export const serviceTimes = z.object({
  from: time, to: time,
  departments: z.array(z.object({ department: z.string(), name: z.string().nullable(), volume: z.number().int(), overdueOpen: z.number().int(), response: duration, resolution: duration })),
  all: z.object({ response: duration, resolution: duration }),
});
const topicFilterEcho = (dims: ('district' | 'channel' | 'category')[]) =>
  z.object(Object.fromEntries(dims.map((d) => [d, z.string().nullable()]))).describe('what the figures are cut by (null: all)');
export const hotTopics = z.object({
  days: z.number().int(), from: time, to: time, previousFrom: time, messages: z.number().int(), filter: topicFilterEcho(['district', 'channel', 'category']),
  topics: z.array(z.looseObject({
    key: z.string(), district: z.string().nullable(), keyword: z.string(), keywords: z.array(z.string()), volume: z.number().int(), cases: z.number().int(), open: z.number().int(),
    heat: z.number().describe('the topic\'s heat; filtered by channel or category: times `share`'), topicHeat: z.number(),
    share: z.number().describe('of the topic\'s messages in the window, the share the filter keeps'),
  })),
});
export const triageList = z.object({ total: z.number().int(), items: z.array(z.looseObject({ id: z.number().int(), trackingNo: z.string(), reviewReasons: z.array(z.string()).nullable() })) });
export const triageLabels = z.object({ counts: z.record(z.string(), z.unknown()) });
export const triageResult = z.looseObject({});

// desk: queues, bulk dispatch, contact, assignees
export const queueCounts = z.object({ dispatch: z.number().int().describe('待派单'), replies: z.number().int().describe('答复审核'), extensions: z.number().int().describe('延期审批') });
export const queueList = z.object({
  kind: z.enum(['dispatch', 'replies', 'extensions']),
  items: z.array(z.object({
    case: caseRow, why: z.string().nullable().describe('why the case waits here (routing explanation, 退单 reason, review rule, extension request)'),
    pendingExtension: z.object({ workingDays: z.number().int(), reason: z.string(), requestedAt: z.string(), departmentId: z.string() }).nullable(),
    suggestions: z.array(suggestion), awaitingDesignation: z.boolean(), actions: z.array(caseAction),
  })),
});
export const bulkDispatched = z.object({
  departmentId: z.string(), dispatched: z.number().int(),
  results: z.array(z.object({ caseId: z.number().int(), ok: z.boolean(), status: z.enum(CASE_STATUSES).optional(), error: z.string().optional().describe('why not (Chinese)') })),
});
export const caseContacts = z.object({
  caseId: z.number().int(),
  contacts: z.array(z.object({
    messageId: z.number().int(), trackingNo: z.string(), channel: z.string(), receivedAt: time,
    name: z.string().nullable(), phone: z.string().nullable(), handle: z.string().nullable(), address: z.string().nullable(),
  })),
});
export const assignees = z.object({ items: z.array(z.object({ username: z.string(), displayName: z.string() })) });

// staff sign-in and accounts
export const loggedIn = z.object({ user: sessionUser, csrfToken: z.string().describe('send as X-CSRF-Token on state-changing requests'), expiresAt: time });
export const me = z.object({
  user: sessionUser, via: z.enum(['session', 'token']), csrfToken,
  session: z.object({ maxAgeS: z.number().int(), idleTimeoutS: z.number().int() }).nullable(),
});
export const ok = z.object({ ok: z.literal(true) });
const account = staffUser.extend({
  active: z.boolean(), hasPassword: z.boolean(), createdAt: time, lastSeenAt: time.nullable(), lastLoginAt: time.nullable(),
  lockedUntil: time.nullable(), failedLogins: z.number().int(),
});
export const accounts = z.object({ items: z.array(account) });
export const accountCreated = z.object({ user: staffUser });
export const passwordReset = z.object({ ok: z.literal(true), password: z.string().optional().describe('the random password made, shown once (only when none was sent)') });
const apiToken = z.object({
  id: z.number().int(), userId: z.number().int(), username: z.string(), name: z.string(), scopes: z.array(z.enum(TOKEN_SCOPES)),
  expiresAt: time.nullable(), revokedAt: time.nullable(), createdAt: time, createdBy: z.string().nullable(), lastUsedAt: time.nullable(),
});
export const apiTokens = z.object({ items: z.array(apiToken) });
export const tokenCreated = z.object({ token: z.string().describe('the bearer token, shown once and never stored'), item: apiToken });
export const auditPage = z.object({
  items: z.array(z.object({
    id: z.number().int(), at: time, actor: z.string(), actorRole: z.string().nullable(), requestId: z.string().nullable(), action: z.enum(AUDIT_ACTIONS),
    caseId: z.number().int().nullable(), messageId: z.number().int().nullable(), ip: z.string().nullable(), detail: z.record(z.string(), z.unknown()),
  })),
  next: z.number().int().nullable().describe('pass as `before` for the next (older) page'),
});

// 舆情: topics, recurring problems, alerts, rules, reports
const burstState = z.enum(['none', 'new', 'burst']);
export const topicDetail = z.object({
  topic: z.looseObject({
    id: z.number().int(), label: z.string(), district: z.string().nullable(), place: z.string().nullable(), terms: z.array(z.string()), size: z.number().int(),
    heat: z.number(), firstAt: time, lastAt: time, status: z.enum(['active', 'merged']), mergedInto: z.number().int().nullable(), burstState, burstAt: time.nullable(),
    channels: z.array(z.string()), sample: z.string().nullable(),
  }),
  members: z.array(z.object({
    messageId: z.number().int(), caseId: z.number().int().nullable(), receivedAt: time, channel: z.string(), isPublic: z.boolean(), negative: z.boolean(),
    similarity: z.number(), text: z.string().nullable().describe('masked; null for a private message'),
  })),
  hourly: z.array(z.object({ hour: time, count: z.number().int() })),
  daily: z.array(z.object({ day: z.string(), count: z.number().int() })),
  bursts: z.array(z.object({ startedAt: time, lastAt: time, observed: z.number(), expected: z.number(), pValue: z.number(), windowHours: z.number() })),
  filter: topicFilterEcho(['channel', 'category']),
});
export const recurringProblems = z.object({
  since: time, until: time,
  departmentOnly: z.boolean().describe('a department user\'s list: only the problems with cases of its department'),
  filter: topicFilterEcho(['district', 'channel', 'category']),
  problems: z.array(z.object({
    topicId: z.number().int(), label: z.string(), district: z.string().nullable(), place: z.string().nullable(),
    weeks: z.number().int().describe('weeks with at least one message'), longestRun: z.number().int(), messages: z.number().int(), firstWeek: time, lastWeek: time,
    caseCount: z.number().int().describe('cases behind the problem the caller may see (a department user: its own department\'s)'),
    cases: z.array(z.object({ caseId: z.number().int(), trackingNo: z.string(), status: z.string(), title: z.string().nullable(), receivedAt: time })),
  })),
});
const alertView = z.object({
  id: z.number().int(), title: z.string(), rule: z.object({ id: z.number().int(), name: z.string() }), scopeKey: z.string(), district: z.string().nullable(),
  topic: z.object({ id: z.number().int(), label: z.string(), district: z.string().nullable(), size: z.number().int(), heat: z.number(), burstState: z.string(), status: z.string() }).nullable(),
  openedAt: time, lastTrueAt: time, endedAt: time.nullable(), state: z.enum(['open', 'ended']), evidence: z.record(z.string(), z.unknown()),
  ack: z.object({ at: time, by: z.string(), note: z.string().nullable() }).nullable(),
  deliveries: z.array(z.looseObject({ channel: z.string(), status: z.string(), attempts: z.number().int(), lastError: z.string().nullable(), tries: z.array(z.looseObject({ attempt: z.number().int(), at: time, ok: z.boolean() })) })),
});
export const alertList = z.object({ total: z.number().int(), alerts: z.array(alertView) });
export const alert = alertView;
export const alertAcked = z.object({ alert: alertView, acked: z.boolean().describe('false: it was acknowledged before (the first acknowledgement stays)') });
export const alertRule = z.object({
  id: z.number().int(), name: z.string(), enabled: z.boolean(), definition: storedDefinitionSchema, createdBy: z.string().nullable(), createdAt: time, updatedAt: time,
});
export const alertRules = z.object({
  rules: z.array(alertRule),
  options: z.object({ districts: z.array(z.string()), categories: z.array(z.string()), channels: z.array(z.string()), groupBy: z.array(z.string()) }).describe('what the rule form offers'),
});
const reportKind = z.enum(['daily', 'weekly']);
export const reportList = z.object({
  total: z.number().int(),
  reports: z.array(z.object({
    id: z.number().int(), kind: reportKind, periodStart: z.string(), periodEnd: z.string(), madeAt: time, title: z.string(),
    links: z.object({ html: z.string(), pdf: z.string(), data: z.string() }),
  })),
});
export const report = z.object({
  id: z.number().int(), kind: reportKind, periodStart: z.string(), periodEnd: z.string(), madeAt: time,
  data: z.looseObject({
    kind: reportKind, title: z.string(), periodStart: z.string(), periodLast: z.string(), madeAt: time,
    totals: z.looseObject({ messages: z.number().int(), cases: z.number().int(), negative: z.number().int(), negativeShare: z.number().nullable() }),
    sentimentTrend: z.array(z.looseObject({ day: z.string(), total: z.number().int() })),
    topTopics: z.array(z.looseObject({ topicId: z.number().int(), label: z.string(), volume: z.number().int(), heat: z.number(), burst: burstState })),
    bursts: z.array(z.looseObject({})), alerts: z.array(z.looseObject({})), departments: z.array(z.looseObject({ department: z.string() })),
  }),
});

/** 批示 on a 舆情 topic, with each department's answer and its cases in the topic */
export const topicInstruction = z.object({
  id: z.number().int(), topicId: z.number().int(), topicLabel: z.string(), author: z.string(), authorRole: z.string(), body: z.string(), createdAt: time,
  departments: z.array(z.object({
    departmentCode: z.string(), departmentName: z.string(), answer: z.string().nullable(), answeredBy: z.string().nullable(), answeredAt: time.nullable(),
    cases: z.array(z.object({ id: z.number().int(), trackingNo: z.string(), status: z.string() })),
  })),
});
export const topicInstructionList = z.object({ items: z.array(topicInstruction) });
