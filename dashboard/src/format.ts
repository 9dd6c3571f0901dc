// Dates in Beijing time, and what a deadline means right now.
const TZ = 'Asia/Shanghai';

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function fmtShort(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('zh-CN', { timeZone: TZ, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

function span(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 60) return `${m}分钟`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}小时${m % 60 ? `${m % 60}分` : ''}`;
  return `${Math.floor(h / 24)}天${h % 24 ? `${h % 24}小时` : ''}`;
}

/** "剩 3天2小时" or "超期 5小时"; soon = less than a quarter of a day left */
export function countdown(dueIso: string | null, now = Date.now()): { text: string; late: boolean; soon: boolean } {
  if (!dueIso) return { text: '—', late: false, soon: false };
  const left = new Date(dueIso).getTime() - now;
  if (left < 0) return { text: `超期 ${span(-left)}`, late: true, soon: false };
  return { text: `剩 ${span(left)}`, late: false, soon: left < 6 * 3_600_000 };
}

export function pct(rate: number | null | undefined, digits = 1): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(digits)}%`;
}
