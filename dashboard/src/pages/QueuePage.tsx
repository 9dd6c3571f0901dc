import { useState } from 'react';
import { api, type CaseItem } from '../api';
import { CHANNEL_LABELS, STATUS_LABELS } from '../labels';
import { usePoll } from '../usePoll';

const FILTERS: { key: string; label: string; query: string }[] = [
  { key: 'open', label: '在办', query: 'status=received,dispatched,accepted,returned,waiting' },
  { key: 'overdue', label: '超期', query: 'overdue=true' },
  { key: 'review', label: '待复核', query: 'needsReview=true&status=received,dispatched,accepted,returned,waiting' },
  { key: 'all', label: '全部', query: '' },
];

function due(iso: string | null): { text: string; late: boolean } {
  if (!iso) return { text: '—', late: false };
  const d = new Date(iso);
  return { text: d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }), late: d.getTime() < Date.now() };
}

export function QueuePage() {
  const [filter, setFilter] = useState('open');
  const query = FILTERS.find((f) => f.key === filter)!.query;
  const { data, error } = usePoll(() => api<{ total: number; items: CaseItem[] }>(`/api/v1/cases?limit=100&${query}`), 5000, [query]);
  return (
    <div>
      <div className="tabs">
        {FILTERS.map((f) => (
          <button key={f.key} className={f.key === filter ? 'active' : ''} onClick={() => setFilter(f.key)}>
            {f.label}
          </button>
        ))}
        {data && <span className="muted">共 {data.total} 件</span>}
      </div>
      {error && <p className="error">加载失败：{error}</p>}
      <table className="cases">
        <thead>
          <tr>
            <th>编号</th><th>标题</th><th>渠道</th><th>分类</th><th>类型</th><th>区县</th><th>承办单位</th><th>状态</th><th>办结时限</th>
          </tr>
        </thead>
        <tbody>
          {data?.items.map((c) => {
            const d = due(c.resolveDueAt);
            return (
              <tr key={c.id} className={c.urgency === 'urgent' ? 'urgent' : ''}>
                <td className="mono">{c.trackingNo}</td>
                <td title={c.summary}>{c.urgency === 'urgent' && <span className="tag bad">紧急</span>}{c.needsReview && <span className="tag warn">复核</span>}{c.title}</td>
                <td>{CHANNEL_LABELS[c.channel] ?? c.channel}</td>
                <td>{c.category}</td>
                <td>{c.requestType}</td>
                <td>{c.district ?? '—'}</td>
                <td>{c.departmentCode ?? '—'}</td>
                <td>{STATUS_LABELS[c.status] ?? c.status}</td>
                <td className={d.late && ['received', 'dispatched', 'accepted', 'returned', 'waiting'].includes(c.status) ? 'late' : ''}>{d.text}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
