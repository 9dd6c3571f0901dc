// 舆情预警 on the cockpit: the newest alerts of the page's period and district, with their rule, place
// and state. The page passes what GET /api/v1/alerts answered (staff only).
export interface AlertItem {
  id: number;
  title: string;
  rule: { name: string };
  district: string | null;
  openedAt: string;
  state: string;
  ack: { by: string } | null;
}

export function AlertsPanel({ items, error }: { items: readonly AlertItem[] | null; error?: string | null }) {
  if (error) return <p className="error">{error}</p>;
  if (!items) return <p className="muted">加载中…</p>;
  if (!items.length) return <p className="muted" data-testid="alerts-empty">所选时段暂无预警。</p>;
  return (
    <ul className="alerts" data-testid="alerts-list">
      {items.map((a) => (
        <li key={a.id} className={a.state === 'open' && !a.ack ? 'open' : ''}>
          <b>{a.title}</b>
          {a.state === 'open' ? <span className="tag bad">进行中</span> : <span className="tag">已结束</span>}
          {a.ack && <span className="tag">已确认 · {a.ack.by}</span>}
          <div className="muted small">{a.rule.name}{a.district ? ` · ${a.district}` : ''} · {a.openedAt.slice(0, 16).replace('T', ' ')}</div>
        </li>
      ))}
    </ul>
  );
}
