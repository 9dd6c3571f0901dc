// The dashboard talks to the API over HTTP only. Staff calls carry the bearer token kept in
// localStorage; a 401 on a call that sent one means the token is gone, and the session ends.
const TOKEN_KEY = 'minsheng.token';

export const tokenStore = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (t: string) => localStorage.setItem(TOKEN_KEY, t),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiRequestError extends Error {
  constructor(readonly status: number, message: string, readonly code?: string, readonly details?: unknown) {
    super(message);
  }
  /** field-level messages of a 400, keyed by field name */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(this.details)) for (const d of this.details as FieldIssue[]) out[d.field] ??= d.message;
    return out;
  }
}

export const UNAUTHORIZED_EVENT = 'minsheng:unauthorized';

export async function api<T>(path: string, init?: RequestInit & { json?: unknown }): Promise<T> {
  const token = tokenStore.get();
  const headers: Record<string, string> = { ...(init?.headers as Record<string, string> | undefined) };
  if (init?.json !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, {
    ...init,
    method: init?.method ?? (init?.json !== undefined ? 'POST' : 'GET'),
    headers,
    body: init?.json !== undefined ? JSON.stringify(init.json) : init?.body,
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401 && token) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    throw new ApiRequestError(res.status, body?.error?.message ?? `HTTP ${res.status}`, body?.error?.code, body?.error?.details);
  }
  return body as T;
}

export interface Overview {
  generatedAt: string;
  messages: { total: number; today: number; pending: number; failed: number; byChannel: Record<string, number> };
  cases: {
    total: number;
    open: number;
    overdue: number;
    needsReview: number;
    byStatus: Record<string, number>;
    byCategory: { category: string; count: number }[];
    byDistrict: { district: string; count: number }[];
    sentiment: Record<string, number>;
  };
  daily: { day: string; messages: number; cases: number; negative: number }[];
}

export type StaffRole = 'admin' | 'centre' | 'department' | 'leader';

export interface StaffUser {
  id: number;
  username: string;
  displayName: string;
  role: StaffRole;
  departmentCode: string | null;
}

export interface Session {
  user: StaffUser | null;
  demo: { enabled: boolean; accounts: { token: string; displayName: string; role: StaffRole; departmentCode: string | null; departmentName: string | null }[] };
  reference: { departments: { code: string; name: string; shortName: string; kind: string }[]; categories: string[]; districts: string[] };
}

export interface CaseItem {
  id: number;
  trackingNo: string;
  status: string;
  title: string | null;
  summary: string;
  channel: string;
  category: string | null;
  categoryConfidence: number | null;
  requestType: string | null;
  typeConfidence: number | null;
  urgency: 'urgent' | 'normal';
  sentiment: string | null;
  district: string | null;
  street: string | null;
  address: string | null;
  keywords: string[];
  departmentCode: string | null;
  acceptDueAt: string | null;
  responseDueAt: string | null;
  resolveDueAt: string | null;
  dispatchedAt: string | null;
  acceptedAt: string | null;
  firstResponseAt: string | null;
  repliedAt: string | null;
  closedAt: string | null;
  rating: string | null;
  replyText: string | null;
  pausedAt: string | null;
  overdue: boolean;
  escalatedAt: string | null;
  needsReview: boolean;
  returnCount: number;
  reopenCount: number;
  awaitingDesignation: boolean;
  mergedInto: number | null;
  version: number;
  createdAt: string;
}

export interface Deadline {
  kind: string;
  start: string;
  due: string;
  unit: 'hours' | 'workingDays' | string;
  amount: number;
  basis: string;
}

export interface CaseEvent {
  id: number;
  seq: number;
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  actorKind: string;
  actorId: string | null;
  at: string;
  data: Record<string, unknown>;
}

export interface CaseDetail {
  case: CaseItem;
  deadlines: Partial<Record<'acceptance' | 'response' | 'resolution', Deadline>>;
  lifecycle: {
    status: string;
    ownerDepartmentId: string | null;
    pausedSince: string | null;
    pendingExtension: { workingDays: number; reason: string; requestedAt?: string } | null;
    extensionGrantedWorkingDays: number;
    returnCount: number;
    awaitingDesignation: boolean;
    reopenCount: number;
    mergedInto: string | null;
  };
  timers: { id: number; deadline: string; kind: string; dueAt: string; fireAt: string; state: string; firedAt: string | null }[];
  events: CaseEvent[];
  messages: { id: number; channel: string; trackingNo: string; receivedAt: string; title: string | null; text: string }[];
}

export interface ReplyAdvice {
  score: number;
  relevance: number;
  parts: { greeting: boolean; findings: boolean; measures: boolean; contact: boolean };
  flags: { code: string; severity: 'warning' | 'info'; zh: string; en: string }[];
  ok: boolean;
}

export interface Rate {
  rate: number | null;
  numerator: number;
  denominator: number;
}

export interface MetricsBlock {
  volume: number;
  response: Rate;
  onTime: Rate;
  satisfaction: Rate & { ratedShare: number | null; rated: number; closed: number };
  resolution: Rate;
  overdueOpen: number;
}

export interface DepartmentRanking {
  minVolume: number;
  rankBy: string;
  ranked: (MetricsBlock & { rank: number; department: string; name: string | null })[];
  belowMinimum: (MetricsBlock & { department: string; name: string | null })[];
}

export interface HotTopic {
  key: string;
  district: string | null;
  keyword: string;
  keywords: string[];
  volume: number;
  cases: number;
  open: number;
  previous: number;
  growth: number | null;
  burst: boolean;
  negative: number;
  negativeShare: number;
  topCategory: string | null;
  sampleTitle: string;
}

export interface HotTopics {
  days: number;
  messages: number;
  topics: HotTopic[];
}

export interface ResidentStatus {
  trackingNo: string;
  receivedAt: string;
  channel: string;
  stage: string;
  stageLabel: string;
  department: string | null;
  dueAt: string | null;
  repliedAt: string | null;
  reply: string | null;
  rating: string | null;
  canRate: boolean;
  history: { at: string; label: string }[];
}
