// The dashboard talks to the API over HTTP only.
export class ApiRequestError extends Error {
  constructor(readonly status: number, message: string, readonly details?: unknown) {
    super(message);
  }
}

export async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, { ...init, headers: { 'content-type': 'application/json', ...(init?.headers ?? {}) } });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    throw new ApiRequestError(res.status, body?.error?.message ?? `HTTP ${res.status}`, body?.error?.details);
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

export interface CaseItem {
  id: number;
  trackingNo: string;
  status: string;
  title: string | null;
  summary: string;
  channel: string;
  category: string | null;
  requestType: string | null;
  urgency: 'urgent' | 'normal';
  sentiment: string | null;
  district: string | null;
  departmentCode: string | null;
  resolveDueAt: string | null;
  needsReview: boolean;
  createdAt: string;
}
