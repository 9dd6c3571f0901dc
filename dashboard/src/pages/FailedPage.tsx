// 处理失败: messages the pipeline could not turn into a case, with their error; staff send one
// through the pipeline again (POST /api/v1/messages/:id/retry).
import { useState } from 'react';
import type { InferResponseType } from 'hono/client';
import { call, messageOf, v1 } from '../api';
import { useT } from '../i18n';
import { CHANNEL_LABELS } from '../labels';
import { usePoll } from '../usePoll';

type FailedList = InferResponseType<(typeof v1.messages.failed)['$get'], 200>;
type FailedItem = FailedList['items'][number];

function FailedRow({ item, onDone }: { item: FailedItem; onDone: () => void }) {
  const { t } = useT();
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call(v1.messages[':id'].retry.$post({ param: { id: String(item.id) } }));
      setNote('retried' in r && r.retried ? ('enqueued' in r && r.enqueued ? '已重新处理' : '队列暂不可用，一分钟内自动重试') : '该留言已生成工单');
      onDone();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card triage-item" data-testid="failed-item">
      <div className="small muted">
        <span className="mono">{item.trackingNo}</span> · {CHANNEL_LABELS[item.channel] ?? item.channel} · {new Date(item.storedAt).toLocaleString('zh-CN')} ·{' '}
        {item.parked ? '已挂起（不再自动重试）' : '自动重试中（每分钟）'} · {t('尝试')} {item.attempts} 次
      </div>
      {item.title && <b>{item.title}</b>}
      <p className="summary">{item.excerpt}</p>
      <p className="small error">错误：{item.lastError ?? '—'}</p>
      <button className="primary" disabled={busy} onClick={() => void retry()}>{t('重试')}</button>
      {note && <span className="small muted"> {note}</span>}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

export function FailedPage() {
  const { t } = useT();
  const [page, setPage] = useState(0);
  const [refresh, setRefresh] = useState(0);
  const { data, error } = usePoll(() => call(v1.messages.failed.$get({ query: { limit: '20', offset: String(page * 20) } })), 30_000, [page, refresh]);
  return (
    <div>
      <h2>{t('处理失败')} {data && <small className="muted">{t('共')} {data.total} {t('件')}</small>}</h2>
      <p className="muted small">已受理但未能生成工单的留言：用完重试次数的仍由系统每分钟自动重试，永久性错误的已挂起。排除故障后可点“重试”立即重新处理。</p>
      {error && <p className="error">{t('加载失败')}：{error}</p>}
      {data?.items.map((item) => <FailedRow key={`${item.id}-${refresh}`} item={item} onDone={() => setRefresh((n) => n + 1)} />)}
      {data && !data.items.length && <p className="muted">没有处理失败的留言。</p>}
      {data && data.total > 20 && (
        <div className="pager">
          <button disabled={page === 0} onClick={() => setPage(page - 1)}>{t('上一页')}</button>
          <span>{page + 1} / {Math.ceil(data.total / 20)}</span>
          <button disabled={(page + 1) * 20 >= data.total} onClick={() => setPage(page + 1)}>{t('下一页')}</button>
        </div>
      )}
    </div>
  );
}
