// 公开留言选登: answered messages whose residents agreed to publication, with the reply and the
// rating; personal data already masked by the API. Mobile first: one card per message, a search
// box and a pager that fit a 390 px screen.
import { useEffect, useState } from 'react';
import { call, messageOf, v1, type BoardPage as BoardAnswer } from '../api';
import { fmtTime } from '../format';
import { useT } from '../i18n';

const PAGE_SIZE = 10;

function Entry({ item }: { item: BoardAnswer['items'][number] }) {
  const { t } = useT();
  return (
    <article className="board-item" data-testid="board-item">
      <div className="board-item-head">
        <h3>{item.title ?? (item.body.length > 24 ? `${item.body.slice(0, 24)}…` : item.body)}</h3>
        <span className={`status s-${item.status}`}>{item.statusLabel}</span>
      </div>
      <p className="board-meta small muted">
        <span className="mono">{item.trackingNo}</span> · {fmtTime(item.receivedAt)}
        {item.district ? ` · ${item.district}` : ''}
        {item.category ? ` · ${item.category}` : ''}
      </p>
      <p className="board-body">{item.body}</p>
      {item.reply && (
        <div className="reply">
          <strong>{item.department ?? t('承办单位')}</strong> <span className="small muted">{t('答复')} {fmtTime(item.repliedAt)}</span>
          <p>{item.reply}</p>
        </div>
      )}
      {item.rating && <p className="board-rating small">群众评价：<span className={`rating r-${item.rating}`}>{item.rating}</span></p>}
    </article>
  );
}

export function BoardPage() {
  const { t } = useT();
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<BoardAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    call(v1.board.$get({ query: { page: String(page), pageSize: String(PAGE_SIZE), ...(applied ? { q: applied } : {}) } }))
      .then((d) => live && setData(d))
      .catch((err) => live && setError(messageOf(err)));
    return () => { live = false; };
  }, [applied, page]);
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  return (
    <div className="board">
      <div className="page-head">
        <h2>{t('公开留言选登')}</h2>
        <p className="small muted">经留言人同意公开，已隐去个人信息</p>
      </div>
      <form className="board-search" role="search" onSubmit={(e) => { e.preventDefault(); setPage(1); setApplied(q.trim()); }}>
        <input type="search" name="q" value={q} onChange={(e) => setQ(e.target.value)} placeholder="搜索留言或答复，如：路灯" maxLength={50} aria-label={t('搜索')} />
        <button type="submit" className="primary">{t('搜索')}</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {data && <p className="small muted" data-testid="board-total">{t('共')} {data.total} 条{applied ? `（“${applied}”）` : ''}</p>}
      {data?.items.length === 0 && <p className="muted">暂无公开留言</p>}
      {data?.items.map((item) => <Entry key={item.trackingNo} item={item} />)}
      {data && pages > 1 && (
        <div className="pager">
          <button disabled={page <= 1} onClick={() => setPage(page - 1)}>{t('上一页')}</button>
          <span>{page} / {pages}</span>
          <button disabled={page >= pages} onClick={() => setPage(page + 1)}>{t('下一页')}</button>
        </div>
      )}
    </div>
  );
}
