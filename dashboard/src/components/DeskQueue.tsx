// The centre's queues (待派单, 答复审核, 延期审批): each case with why it waits, the departments the
// routing table suggests, and the actions the server lists for it. Keyboard: j/k move, a accepts the
// first suggestion (派单 to it; 审核通过 or 批准延期 in the other queues), x selects, Enter opens.
import { useEffect, useState } from 'react';
import { call, messageOf, v1, type ActionOutcome, type QueueEntry } from '../api';
import { countdown, fmtShort } from '../format';
import { STATUS_LABELS } from '../labels';
import { usePoll } from '../usePoll';

export type DeskKind = 'dispatch' | 'replies' | 'extensions';

const EMPTY: Record<DeskKind, string> = { dispatch: '没有待派单的工单。', replies: '没有待审核的答复。', extensions: '没有待审批的延期申请。' };
/** the one-key action of each queue: the server's action key, and for 待派单 the first suggestion */
const ACCEPT: Record<DeskKind, string[]> = { dispatch: ['dispatch', 'designate'], replies: ['approve-reply'], extensions: ['approve-extension'] };

function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export function DeskQueue({ kind, refresh, onChanged, selected, setSelected, drawerOpen }: {
  kind: DeskKind; refresh: number; onChanged: () => void;
  selected: Set<number>; setSelected: (s: Set<number>) => void; drawerOpen: boolean;
}) {
  const { data, error } = usePoll(() => call(v1.cases.queues[':kind'].$get({ param: { kind }, query: {} })), 15_000, [kind, refresh]);
  const [cursor, setCursor] = useState(0);
  const [busy, setBusy] = useState<number | null>(null);
  const [notice, setNotice] = useState<{ id: number; text: string; bad?: boolean } | null>(null);
  const items = data?.items ?? [];
  useEffect(() => { if (cursor >= items.length && items.length) setCursor(items.length - 1); }, [items.length, cursor]);

  const accept = async (item: QueueEntry) => {
    const action = item.actions.find((a) => ACCEPT[kind].includes(a.key));
    const target = kind === 'dispatch' ? item.suggestions.find((s) => !s.returnedBefore) ?? item.suggestions[0] : null;
    if (!action || (kind === 'dispatch' && !target)) {
      setNotice({ id: item.case.id, text: '没有可一键执行的操作，请打开工单处理', bad: true });
      return;
    }
    setBusy(item.case.id);
    try {
      const json = { ...action.fixed, ...(target ? { departmentId: target.department } : {}), version: item.case.version };
      const out: ActionOutcome = await call(v1.cases[':id'][':action'].$post({ param: { id: String(item.case.id), action: action.route }, json }));
      setNotice({ id: item.case.id, text: `${item.case.trackingNo} 已${action.label}${target ? `至${target.name}` : ''}（${'status' in out ? STATUS_LABELS[out.status] ?? out.status : ''}）` });
      onChanged();
    } catch (err) {
      setNotice({ id: item.case.id, text: messageOf(err), bad: true });
    } finally {
      setBusy(null);
    }
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (drawerOpen || isTyping(e) || e.metaKey || e.ctrlKey || e.altKey || !items.length) return;
      const item = items[Math.min(cursor, items.length - 1)];
      if (e.key === 'j') setCursor((c) => Math.min(items.length - 1, c + 1));
      else if (e.key === 'k') setCursor((c) => Math.max(0, c - 1));
      else if (e.key === 'a') void accept(item);
      else if (e.key === 'x') {
        const next = new Set(selected);
        if (next.has(item.case.id)) next.delete(item.case.id); else next.add(item.case.id);
        setSelected(next);
      } else if (e.key === 'Enter') window.location.hash = `#/queue/${item.case.id}`;
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  useEffect(() => {
    document.querySelector(`[data-desk-row="${cursor}"]`)?.scrollIntoView?.({ block: 'nearest' });
  }, [cursor]);

  return (
    <div className="desk-queue" data-testid={`desk-${kind}`}>
      <p className="muted small keys">键盘：<kbd>j</kbd>/<kbd>k</kbd> 上下移动 · <kbd>a</kbd> {kind === 'dispatch' ? '按首条建议派单' : kind === 'replies' ? '审核通过' : '批准延期'} · <kbd>x</kbd> 选中 · <kbd>回车</kbd> 打开</p>
      {error && <p className="error">加载失败：{error}</p>}
      {notice && <p className={notice.bad ? 'error' : 'advice ok small'} role="status" data-testid="desk-notice">{notice.text}</p>}
      <ul className="desk-items">
        {items.map((item, i) => (
          <li key={item.case.id} data-desk-row={i} data-case-id={item.case.id} className={`card desk-item ${i === cursor ? 'focused' : ''} ${item.case.urgency === 'urgent' ? 'urgent' : ''}`}
            aria-selected={i === cursor} onClick={() => setCursor(i)}>
            <div className="desk-line">
              {kind === 'dispatch' && (
                <input type="checkbox" aria-label="选中" checked={selected.has(item.case.id)} onClick={(e) => e.stopPropagation()}
                  onChange={(e) => { const next = new Set(selected); if (e.target.checked) next.add(item.case.id); else next.delete(item.case.id); setSelected(next); }} />
              )}
              <span className="mono small">{item.case.trackingNo}</span>
              <span className={`status s-${item.case.status}`}>{STATUS_LABELS[item.case.status] ?? item.case.status}</span>
              {item.case.urgency === 'urgent' && <span className="tag bad">紧急</span>}
              {item.awaitingDesignation && <span className="tag bad">须指定承办</span>}
              <a href={`#/queue/${item.case.id}`}>{item.case.title ?? item.case.summary.slice(0, 40)}</a>
              <span className="muted small">{fmtShort(item.case.createdAt)}</span>
              {item.dispatchDue && (() => {
                const cd = countdown(item.dispatchDue);
                return <span className={`small ${cd.late ? 'late' : cd.soon ? 'soon' : ''}`} data-testid="dispatch-due" title={`派单时限 ${fmtShort(item.dispatchDue)}`}>派单{cd.text}</span>;
              })()}
            </div>
            <div className="small why" data-testid="desk-why">{item.why}</div>
            {kind === 'dispatch' && item.suggestions.length > 0 && (
              <ol className="small suggestions-inline">
                {item.suggestions.map((s) => (
                  <li key={s.department}><b>{s.name}</b>{s.returnedBefore ? '（曾退回）' : ''} <span className="muted">{s.reason}</span></li>
                ))}
              </ol>
            )}
            {kind === 'replies' && item.case.replyText && <p className="reply small">{item.case.replyText}</p>}
            <div className="desk-actions">
              <button className="primary small" disabled={busy === item.case.id} onClick={(e) => { e.stopPropagation(); void accept(item); }}>
                {kind === 'dispatch' ? '按建议派单' : kind === 'replies' ? '审核通过' : '批准延期'}
              </button>
              <a className="small" href={`#/queue/${item.case.id}`}>打开处理</a>
            </div>
          </li>
        ))}
      </ul>
      {data && !items.length && <p className="muted">{EMPTY[kind]}</p>}
    </div>
  );
}
