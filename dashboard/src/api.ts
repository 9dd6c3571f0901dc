// The dashboard talks to the API over HTTP only, through Hono's typed client: the routes, their inputs
// and their answers are the server's own types (AppType, imported for types only: no server code is
// bundled). Staff are recognised by the HttpOnly session cookie that POST /api/v1/auth/login sets (no
// script can read it); every state-changing call also sends the session's CSRF token in X-CSRF-Token,
// which the page holds in memory only (from the login answer or GET /api/v1/session). A 401 means the
// session is gone, and the page forgets the user.
import { DetailedError, hc, parseResponse, type ClientResponse, type InferRequestType, type InferResponseType } from 'hono/client';
import { z } from 'zod';
import type { AppType } from '../../api/app';

let csrfToken: string | null = null;

/** the CSRF token of the current session (null: nobody logged in) */
export const csrfStore = {
  get: (): string | null => csrfToken,
  set: (t: string | null) => {
    csrfToken = t;
  },
};

export const UNAUTHORIZED_EVENT = 'minsheng:unauthorized';

export const client = hc<AppType>(typeof window === 'undefined' ? 'http://localhost/' : window.location.origin, {
  // same origin: the browser sends the session cookie itself
  init: { credentials: 'same-origin' },
  headers: (): Record<string, string> => (csrfToken ? { 'x-csrf-token': csrfToken } : {}),
});
export const v1 = client.api.v1;

// the API's one error body (api/errors.ts): { error: { code, message, details? } }
const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.union([z.array(z.object({ field: z.string(), message: z.string() })), z.record(z.string(), z.unknown())]).optional(),
  }),
});

const HAN = /[\u4e00-\u9fff]/;

/**
 * The Chinese part of a bilingual API message: the server writes "中文 (English)" or "中文 / English"
 * for log readers and API clients; the page shows the Chinese only (English is the EN toggle's).
 * A message without Chinese is left as it is.
 */
export function chinesePart(message: string): string {
  if (!HAN.test(message)) return message;
  let out = message;
  for (;;) {
    const m = /\s*[(（]([^()（）]*)[)）]\s*$/.exec(out);
    if (!m || HAN.test(m[1]) || !HAN.test(out.slice(0, m.index))) break;
    out = out.slice(0, m.index);
  }
  const slash = /\s+\/\s+([^\u4e00-\u9fff]+)$/.exec(out);
  if (slash && HAN.test(out.slice(0, slash.index))) out = out.slice(0, slash.index);
  return out.trim();
}

export class ApiRequestError extends Error {
  /** the server's message as sent (both languages) */
  readonly serverMessage: string;
  constructor(readonly status: number, message: string, readonly code?: string, readonly details?: z.infer<typeof errorBody>['error']['details']) {
    super(chinesePart(message));
    this.serverMessage = message;
  }
  /** field-level messages of a 400, keyed by field name */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(this.details)) for (const d of this.details) out[d.field] ??= chinesePart(d.message);
    return out;
  }
}

/** Awaits a typed call: its answer (typed by the server's 2xx responses), else an ApiRequestError with the server's message. */
export async function call<R extends ClientResponse<unknown>>(request: Promise<R>) {
  try {
    return await parseResponse(request);
  } catch (err) {
    if (!(err instanceof DetailedError)) throw err;
    const status = typeof err.statusCode === 'number' ? err.statusCode : 0;
    if (status === 401 && csrfToken) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    const body = errorBody.safeParse(err.detail?.data);
    if (!body.success) throw new ApiRequestError(status, err.message);
    throw new ApiRequestError(status, body.data.error.message, body.data.error.code, body.data.error.details);
  }
}

/** An error's message for the page (a rejected call is an ApiRequestError; anything else is shown as it is). */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// ---- the answers the pages show, as the server types them ----

type Ok<T> = InferResponseType<T, 200>;
export type Session = Ok<typeof v1.session.$get>;
export type StaffUser = NonNullable<Session['user']>;
export type StaffRole = StaffUser['role'];
export type StaffArea = StaffUser['areas'][number];
export type CaseList = Ok<typeof v1.cases.$get>;
export type CaseListQuery = InferRequestType<typeof v1.cases.$get>['query'];
export type CaseItem = CaseList['items'][number];
export type CaseDetail = Ok<(typeof v1.cases)[':id']['$get']>;
export type CaseEvent = CaseDetail['events'][number];
/** one action the user may take now, with the fields its form asks for (from the server's declaration) */
export type AllowedAction = CaseDetail['actions'][number];
export type ActionField = AllowedAction['fields'][number];
export type ActionOutcome = InferResponseType<(typeof v1.cases)[':id'][':action']['$post']>;
export type ReplyAdvice = Ok<(typeof v1.cases)[':id']['reply-check']['$post']>;
export type Overview = Ok<typeof v1.stats.overview.$get>;
export type MetricsBlock = Ok<typeof v1.stats.metrics.$get>;
export type Rate = MetricsBlock['response'];
export type DepartmentRanking = Ok<typeof v1.stats.departments.$get>;
export type HotTopics = Ok<typeof v1.stats.topics.$get>;
/** a leader's 批示 on a 舆情 topic, with each department's answer */
export type InferTopicInstruction = Ok<(typeof v1.topics)[':id']['instructions']['$get']>['items'][number];
export type QueueList = Ok<(typeof v1.cases.queues)[':kind']['$get']>;
export type QueueEntry = QueueList['items'][number];
export type QueueCounts = Ok<typeof v1.cases.queues.$get>;
export type CaseNote = CaseDetail['notes'][number];
export type Suggestion = CaseDetail['suggestions'][number];
export type TriageList = Ok<typeof v1.triage.$get>;
export type TriageItem = TriageList['items'][number];
export type Correction = InferRequestType<(typeof v1.triage)[':caseId']['$post']>['json'];
export type ResidentStatus = Ok<(typeof v1.messages)[':trackingNo']['$get']>;
export type Accepted = InferResponseType<typeof v1.messages.$post>;
export type PortalForm = InferRequestType<typeof v1.messages.$post>['json'];
export type CaseContacts = Ok<(typeof v1.cases)[':id']['contact']['$get']>;
export type LoginAnswer = Ok<typeof v1.auth.login.$post>;
export type StaffAccount = Ok<typeof v1.admin.users.$get>['items'][number];
export type ApiTokenItem = Ok<typeof v1.admin.tokens.$get>['items'][number];
export type AuditPage = Ok<typeof v1.admin.audit.$get>;
export type AuditItem = AuditPage['items'][number];
export type AuditQuery = InferRequestType<typeof v1.admin.audit.$get>['query'];
export type NewAccount = InferRequestType<typeof v1.admin.users.$post>['json'];
export type NewToken = InferRequestType<typeof v1.admin.tokens.$post>['json'];
export type ResidentRating = InferRequestType<(typeof v1.messages)[':trackingNo']['rating']['$post']>['json']['rating'];
export type BoardPage = Ok<typeof v1.board.$get>;
export type KbSuggestion = Ok<typeof v1.kb.suggestions.$get>['items'][number];
export type ReplyTemplate = Ok<(typeof v1)['reply-templates']['$get']>['items'][number];
export type CasePhoto = Ok<(typeof v1.cases)[':id']['photos']['$get']>['items'][number];
export type PhotosAdded = InferResponseType<(typeof v1.messages)[':trackingNo']['photos']['$post'], 201>;

/**
 * A multipart POST (forms with photos; the typed client sends JSON only). Same answer handling as
 * `call`: the body on 2xx, else an ApiRequestError with the server's message and field messages.
 */
export async function postMultipart<T>(path: string, form: FormData, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(path, { method: 'POST', body: form, credentials: 'same-origin', headers: { ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}), ...headers } });
  const data: unknown = await res.json().catch(() => null);
  if (res.ok) return data as T;
  const body = errorBody.safeParse(data);
  if (!body.success) throw new ApiRequestError(res.status, `请求失败（HTTP ${res.status}）`);
  throw new ApiRequestError(res.status, body.data.error.message, body.data.error.code, body.data.error.details);
}
