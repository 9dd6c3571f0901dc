// A GeoReport v2 POST service request: the form-encoded fields, checked, and turned into our one
// message shape; the status a request shows (open/closed and FixMyStreet's extended statuses).
import { z } from 'zod';
import type { IncomingMessageInput } from '../../messages/incoming';
import { CONSENT_ATTRIBUTE, TITLE_ATTRIBUTE, type Open311Service } from './services';

const optional = (max: number, what: string) => z.string().trim().max(max, `${what}最多 ${max} 个字符`).optional().transform((s) => (s ? s : undefined));
const coordinate = (min: number, max: number, what: string) =>
  z
    .string()
    .trim()
    .regex(/^-?\d{1,3}(\.\d+)?$/, `${what}须为十进制数字`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${what}须在 ${min} 至 ${max} 之间`)
    .optional();

/** The POST fields of GeoReport v2 (attribute[code] collected into `attributes`). */
export const open311RequestFields = z.object({
    api_key: z.string().optional(),
    jurisdiction_id: optional(100, 'jurisdiction_id '),
    service_code: z.string({ error: '缺少 service_code (service_code is required)' }).trim().min(1, '缺少 service_code (service_code is required)').max(100),
    lat: coordinate(-90, 90, '纬度 lat '),
    long: coordinate(-180, 180, '经度 long '),
    address_string: optional(500, '地址 address_string '),
    address_id: optional(100, 'address_id '),
    email: z.string().trim().email('邮箱格式不正确 (not an email address)').max(200).optional().or(z.literal('').transform(() => undefined)),
    device_id: optional(200, 'device_id '),
    account_id: optional(200, 'account_id '),
    first_name: optional(50, '名 first_name '),
    last_name: optional(50, '姓 last_name '),
    phone: z
      .string()
      .trim()
      .transform((s) => s.replace(/[\s()-]/g, ''))
      .refine((s) => s === '' || /^\+?\d{3,20}$/.test(s), '电话号码格式不正确 (not a phone number)')
      .optional()
      .transform((s) => (s ? s : undefined)),
    description: z.string({ error: '请填写问题描述 description (description is required)' }).trim().min(5, '问题描述至少 5 个字 (description: at least 5 characters)').max(5000, '问题描述最多 5000 个字'),
    media_url: z.string().trim().url('media_url 须为网址 (must be a URL)').max(1000).optional().or(z.literal('').transform(() => undefined)),
    attributes: z.record(z.string(), z.union([z.string().max(1000), z.array(z.string().max(1000))])).default({}),
});

/** The fields with the rules that join them: a location, both coordinates, the attributes' values. */
export const open311RequestSchema = open311RequestFields.superRefine((v, ctx) => {
    if ((v.lat === undefined) !== (v.long === undefined)) ctx.addIssue({ code: 'custom', path: [v.lat === undefined ? 'lat' : 'long'], message: 'lat 与 long 须同时提供 (give both lat and long)' });
    if (v.lat === undefined && !v.address_string && !v.address_id) {
      ctx.addIssue({ code: 'custom', path: ['lat'], message: '须提供位置：lat/long 或 address_string (a location is required: lat & long, or address_string)' });
    }
    const consent = v.attributes[CONSENT_ATTRIBUTE];
    if (consent !== undefined && consent !== 'yes' && consent !== 'no') ctx.addIssue({ code: 'custom', path: [`attribute[${CONSENT_ATTRIBUTE}]`], message: '须为 yes 或 no' });
    const title = v.attributes[TITLE_ATTRIBUTE];
    if (title !== undefined && (typeof title !== 'string' || title.trim().length > 100)) ctx.addIssue({ code: 'custom', path: [`attribute[${TITLE_ATTRIBUTE}]`], message: '标题最多 100 个字' });
  });
export type Open311RequestForm = z.infer<typeof open311RequestSchema>;

/** Reads a form-encoded body into the schema's input: attribute[code] and attribute[code][] become `attributes`. */
export function readOpen311Form(body: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const attributes: Record<string, string | string[]> = {};
  for (const [k, v] of body) {
    const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(k);
    if (m) {
      if (m[2]) attributes[m[1]] = [...((attributes[m[1]] as string[] | undefined) ?? []), v];
      else attributes[m[1]] = v;
    } else if (!(k in out)) out[k] = v;
  }
  out.attributes = attributes;
  return out;
}

/** The message an Open311 request becomes (受理): the token is its external id, the form kept verbatim. */
export function open311ToIncoming(form: Open311RequestForm, service: Open311Service, ctx: { token: string; raw: string; clientName: string; now: Date }): IncomingMessageInput {
  const title = typeof form.attributes[TITLE_ATTRIBUTE] === 'string' ? (form.attributes[TITLE_ATTRIBUTE] as string).trim() : '';
  const name = [form.last_name, form.first_name].filter(Boolean).join('') || null;
  return {
    channel: 'open311',
    externalId: ctx.token,
    receivedAt: ctx.now,
    raw: ctx.raw,
    rawContentType: 'application/x-www-form-urlencoded',
    title: title || `[${service.service_name}]`,
    body: form.description,
    contactName: name,
    contactPhone: form.phone ?? null,
    contactHandle: form.email ?? form.account_id ?? form.device_id ?? null,
    account: ctx.clientName.slice(0, 100),
    address: form.address_string ?? null,
    location: form.lat !== undefined && form.long !== undefined ? { lat: form.lat, lng: form.long, label: form.address_string ?? null } : null,
    isPublic: form.attributes[CONSENT_ATTRIBUTE] === 'yes',
  };
}

/** FixMyStreet's extended statuses (the ones our lifecycle can reach), each open or closed per GeoReport v2. */
export const EXTENDED_STATUSES = {
  open: 'open',
  investigating: 'open',
  in_progress: 'open',
  action_scheduled: 'open',
  internal_referral: 'open',
  fixed: 'closed',
  closed: 'closed',
  duplicate: 'closed',
  no_further_action: 'closed',
  not_councils_responsibility: 'closed',
} as const;
export type ExtendedStatus = keyof typeof EXTENDED_STATUSES;

/** Case statuses behind each GeoReport status (a message with no case yet is open). */
export const CLOSED_CASE_STATUSES = ['replied', 'closed', 'rated', 'merged'] as const;
export const OPEN_CASE_STATUSES = ['received', 'dispatched', 'accepted', 'waiting', 'returned'] as const;

export function extendedStatus(r: {
  caseStatus: string | null; messageState: string; merged: boolean; resolved: boolean | null; awaitingDesignation: boolean | null;
}): ExtendedStatus {
  if (r.merged) return 'duplicate';
  switch (r.caseStatus) {
    case null:
      // processed without a case: the pipeline judged it not a request for the city
      return r.messageState === 'processed' ? 'not_councils_responsibility' : 'open';
    case 'received': return 'open';
    case 'dispatched': return 'action_scheduled';
    case 'accepted': return 'in_progress';
    case 'waiting': return 'investigating';
    case 'returned': return r.awaitingDesignation ? 'internal_referral' : 'action_scheduled';
    case 'replied':
    case 'closed':
    case 'rated':
      return r.resolved === true ? 'fixed' : r.resolved === false ? 'no_further_action' : 'closed';
    case 'merged': return 'duplicate';
    default: return 'open';
  }
}
