// Our requests as GeoReport v2 lists them: status open/closed by the spec, the finer state in
// extended_attributes (when asked), every public text masked.
import { formatShanghai } from '../../cases/calendar';
import type { Db } from '../../db/connect';
import { listOpen311Requests, type Open311RequestFilter, type Open311RequestRow } from '../../db/open311';
import { maskForPublic } from '../../board/mask';
import { CASE_STATUS_LABELS } from '../../messages/status';
import { EXTENDED_STATUSES, extendedStatus } from './request';
import { serviceByCode, serviceForCategory } from './services';

export interface GeoReportRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string | null;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
  extended_attributes?: { status: string; status_label: string; channel: string };
}

export function presentRequest(r: Open311RequestRow, extensions: boolean): GeoReportRequest {
  const ext = extendedStatus(r);
  const status = EXTENDED_STATUSES[ext];
  const service = serviceForCategory(r.category) ?? (r.requestedService ? serviceByCode(r.requestedService) : undefined);
  // other channels' residents consented to publication with personal data hidden: a coarse place only
  const own = r.channel === 'open311';
  const known = [r.contactName, r.contactPhone, r.contactHandle, ...(r.known ?? [])];
  return {
    service_request_id: r.trackingNo,
    status,
    status_notes: maskForPublic(r.replyText, known, [r.departmentPhone]),
    service_name: service?.service_name ?? null,
    service_code: service?.service_code ?? null,
    description: maskForPublic(r.body, known) ?? '',
    agency_responsible: r.department,
    service_notice: r.awaitingDesignation ? '承办单位退回，正在重新派单' : null,
    requested_datetime: formatShanghai(r.receivedAt),
    updated_datetime: formatShanghai(r.updatedAt ?? r.receivedAt),
    expected_datetime: status === 'open' && r.resolveDueAt ? formatShanghai(r.resolveDueAt) : null,
    address: own ? maskForPublic(r.address, known) : null,
    address_id: null,
    zipcode: null,
    lat: own && r.location ? r.location.lat : null,
    long: own && r.location ? r.location.lng : null,
    media_url: r.mediaUrl,
    ...(extensions
      ? { extended_attributes: { status: ext, status_label: r.caseStatus ? CASE_STATUS_LABELS[r.caseStatus as keyof typeof CASE_STATUS_LABELS] ?? r.caseStatus : CASE_STATUS_LABELS.received, channel: r.channel } }
      : {}),
  };
}

export async function findRequests(sql: Db, f: Open311RequestFilter, extensions: boolean): Promise<GeoReportRequest[]> {
  return (await listOpen311Requests(sql, f)).map((r) => presentRequest(r, extensions));
}
