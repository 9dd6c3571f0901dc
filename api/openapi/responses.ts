// Response schemas for the OpenAPI document. The routes return objects built by core/ (typed in
// TypeScript, not validated on the way out), so their shapes are declared here once; large ones are
// loose objects naming the fields clients rely on (other fields may be present).
import { z } from 'zod';
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

export const accepted = z.object({ trackingNo: z.string(), queryCode: z.string(), status: z.string(), duplicate: z.boolean() });
export const hotlineAccepted = z.object({ trackingNo: z.string(), queryCode: z.string(), orderNo: z.string(), duplicate: z.boolean() });

export const residentStatus = z.object({
  trackingNo: z.string(), receivedAt: time, channel: z.string(), stage: z.enum(CASE_STATUSES), stageLabel: z.string(),
  department: z.string().nullable(), dueAt: time.nullable(), repliedAt: time.nullable(), reply: z.string().nullable(),
  rating: z.string().nullable(), canRate: z.boolean(), history: z.array(z.object({ at: time, label: z.string() })),
});
export const residentDeadline = z.object({ dueAt: time.nullable(), provisional: z.boolean(), provisionalYears: z.array(z.number().int()), note: z.string().nullable() });
export const residentRated = z.object({ status: z.enum(CASE_STATUSES), reopened: z.boolean() });
export const residentSupplemented = z.object({ status: z.enum(CASE_STATUSES) });

export const caseRow = z.looseObject({
  id: z.number().int(), trackingNo: z.string(), status: z.enum(CASE_STATUSES), title: z.string().nullable(), summary: z.string(), channel: z.string(),
  category: z.string().nullable(), requestType: z.string().nullable(), urgency: z.enum(['urgent', 'normal']), district: z.string().nullable(),
  street: z.string().nullable(), departmentCode: z.string().nullable(), resolveDueAt: time.nullable(), overdue: z.boolean(),
  replyText: z.string().nullable(), rating: z.string().nullable(), version: z.number().int(), createdAt: time, updatedAt: time,
});
export const caseList = z.object({ total: z.number().int(), items: z.array(caseRow) });
const caseAction = z.looseObject({ type: z.string(), label: z.string() });
export const caseDetail = z.looseObject({
  case: caseRow,
  deadlines: z.unknown(),
  provisionalNote: z.string().nullable(),
  lifecycle: z.looseObject({ status: z.enum(CASE_STATUSES), ownerDepartmentId: z.string().nullable() }),
  actions: z.array(caseAction),
  events: z.array(z.looseObject({ type: z.string(), at: time })),
  messages: z.array(z.looseObject({ id: z.number().int(), channel: z.string(), trackingNo: z.string() })),
});
export const actionResult = z.looseObject({ status: z.enum(CASE_STATUSES).optional(), actions: z.array(caseAction).optional(), replyAdvice: z.unknown().optional() });
export const splitResult = z.looseObject({ caseId: z.number().int(), newCaseId: z.number().int(), messageId: z.number().int() });
export const replyCheck = z.object({
  score: z.number(), relevance: z.number(),
  parts: z.object({ greeting: z.boolean(), findings: z.boolean(), measures: z.boolean(), contact: z.boolean() }),
  flags: z.array(z.object({ code: z.string(), severity: z.string(), zh: z.string(), en: z.string() })), ok: z.boolean(),
});

export const session = z.object({
  user: z.looseObject({ username: z.string(), role: z.enum(['admin', 'centre', 'department', 'leader']), areas: z.array(z.string()) }).nullable(),
  demo: z.object({ enabled: z.boolean(), accounts: z.array(z.unknown()) }),
  reference: z.looseObject({}),
});

export const overview = z.looseObject({
  generatedAt: time,
  messages: z.object({ total: z.number().int(), today: z.number().int(), pending: z.number().int(), failed: z.number().int(), byChannel: z.record(z.string(), z.number().int()) }),
  cases: z.looseObject({ total: z.number().int(), open: z.number().int(), overdue: z.number().int(), needsReview: z.number().int(), byStatus: z.record(z.string(), z.number().int()) }),
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
export const hotTopics = z.object({
  days: z.number().int(), from: time, to: time, previousFrom: time, messages: z.number().int(),
  topics: z.array(z.looseObject({ key: z.string(), district: z.string().nullable(), keyword: z.string(), keywords: z.array(z.string()), volume: z.number().int(), cases: z.number().int(), open: z.number().int() })),
});
export const triageList = z.object({ total: z.number().int(), items: z.array(z.looseObject({ id: z.number().int(), trackingNo: z.string(), reviewReasons: z.array(z.string()).nullable() })) });
export const triageLabels = z.object({ counts: z.record(z.string(), z.unknown()) });
export const triageResult = z.looseObject({});
