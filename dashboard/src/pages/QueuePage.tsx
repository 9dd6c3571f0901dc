// 工单队列: filters, urgency and deadline countdown, pagination; a case opens in a drawer (#/queue/<id>).
import { useState } from 'react';
import { call, v1, type CaseListQuery } from '../api';
import { CaseDrawer } from '../components/CaseDrawer';
import { countdown, fmtShort } from '../format';
import { useT } from '../i18n';
import { CHANNEL_LABELS, STATUS_LABELS } from '../labels';
import { useSession } from '../session';
import { usePoll } from '../usePoll';

// the open statuses come with the session (the server's one list)
const tabs = (open: string): { key: string; label: string; query: CaseListQuery; centreOnly?: boolean }[] => [
  { key: 'open', label: '在办', query: { status: open } },
  { key: 'overdue', label: '超期', query: { overdue: 'true' } },
  { key: 'review', label: '待复核', query: { needsReview: 'true', status: open } },
  { key: 'dispatch', label: '待派单', query: { status: 'received,returned' }, centreOnly: true },
  { key: 'all', label: '全部', query: {} },
];
const PAGE_SIZE = 25;

export function QueuePage({ params }: { params: string[] }) {
  const { t } = useT();
  const { session, departmentName } = useSession();
  const user = session!.user!;
  const ref = session!.reference;
  const TABS = tabs(ref.openStatuses.join(','));
  const [tab, setTab] = useState('open');
  const [category, setCategory] = useState('');
  const [district, setDistrict] = useState('');
  const [department, setDepartment] = useState('');
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(0);
  const [refresh, setRefresh] = useState(0);
  const isDept = user.role === 'department';
  const query: CaseListQuery = {
    ...TABS.find((x) => x.key === tab)!.query,
    ...(category ? { category } : {}),
    ...(district ? { district } : {}),
    ...(!isDept && department ? { department } : {}),
    ...(q ? { q } : {}),
    limit: String(PAGE_SIZE),
    offset: String(page * PAGE_SIZE),
  };
  const { data, error } = usePoll(() => call(v1.cases.$get({ query })), 15_000, [JSON.stringify(query), refresh]);
  const selected = params[0] ? Number(params[0]) : null;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const reset = <T,>(set: (v: T) => void) => (v: T) => { set(v); setPage(0); };

  return (
    <div className="queue">
      <div className="tabs" role="tablist">
        {TABS.filter((x) => !x.centreOnly || user.role === 'centre' || user.role === 'admin').map((x) => (
          <button key={x.key} role="tab" aria-selected={x.key === tab} className={x.key === tab ? 'active' : ''} onClick={() => reset(setTab)(x.key)}>
            {t(x.label)}
          </button>
        ))}
      </div>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); reset(setQ)(search.trim()); }}>
        <select value={category} onChange={(e) => reset(setCategory)(e.target.value)} aria-label={t('分类')}>
          <option value="">{t('全部分类')}</option>
          {ref.categories.map((c) => <option key={c}>{c}</option>)}
        </select>
        <select value={district} onChange={(e) => reset(setDistrict)(e.target.value)} aria-label={t('区县')}>
          <option value="">{t('全部区县')}</option>
          {ref.districts.map((d) => <option key={d}>{d}</option>)}
        </select>
        {isDept ? (
          <span className="pill">{t('我的部门')}：{departmentName(user.departmentCode)}</span>
        ) : (
          <select value={department} onChange={(e) => reset(setDepartment)(e.target.value)} aria-label={t('承办单位')}>
            <option value="">{t('全部单位')}</option>
            {ref.departments.filter((d) => d.kind !== 'centre').map((d) => <option key={d.code} value={d.code}>{d.shortName}</option>)}
          </select>
        )}
        <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="标题、内容或受理编号" aria-label={t('搜索')} />
        <button type="submit">{t('搜索')}</button>
        {data && <span className="muted">{t('共')} {data.total} {t('件')}</span>}
      </form>
      {error && <p className="error">{t('加载失败')}：{error}</p>}
      <table className="cases">
        <thead>
          <tr>
            <th>{t('编号')}</th><th>{t('标题')}</th><th>{t('分类')}</th><th>{t('区县')}</th><th>{t('承办单位')}</th><th>{t('状态')}</th><th>{t('时限')}</th>
          </tr>
        </thead>
        <tbody>
          {data?.items.map((c) => {
            const open = ref.openStatuses.includes(c.status);
            const d = countdown(c.resolveDueAt);
            return (
              <tr key={c.id} className={`${c.urgency === 'urgent' ? 'urgent' : ''} ${c.id === selected ? 'selected' : ''}`} onClick={() => { window.location.hash = `#/queue/${c.id}`; }} data-case-id={c.id}>
                <td className="mono" data-label={t('编号')}>{c.trackingNo}</td>
                <td className="title-cell" title={c.summary}>
                  {c.urgency === 'urgent' && <span className="tag bad">{t('紧急')}</span>}
                  {c.needsReview && <span className="tag warn">复核</span>}
                  {c.escalatedAt && open && <span className="tag bad">督办</span>}
                  <a href={`#/queue/${c.id}`}>{c.title ?? c.summary.slice(0, 40)}</a>
                  <div className="muted small">{CHANNEL_LABELS[c.channel] ?? c.channel} · {c.requestType ?? '—'}</div>
                </td>
                <td data-label={t('分类')}>{c.category ?? '—'}</td>
                <td data-label={t('区县')}>{c.district ?? '—'}</td>
                <td data-label={t('承办单位')}>{departmentName(c.departmentCode)}</td>
                <td data-label={t('状态')}>{STATUS_LABELS[c.status] ?? c.status}</td>
                <td data-label={t('时限')} className={open && d.late ? 'late' : open && d.soon ? 'soon' : ''}>
                  {open ? d.text : '—'}
                  {open && c.resolveDueAt && <div className="muted small">{fmtShort(c.resolveDueAt)}</div>}
                </td>
              </tr>
            );
          })}
          {data && !data.items.length && (
            <tr><td colSpan={7} className="muted empty">没有符合条件的工单</td></tr>
          )}
        </tbody>
      </table>
      <div className="pager">
        <button disabled={page === 0} onClick={() => setPage(page - 1)}>{t('上一页')}</button>
        <span>{page + 1} / {pages}</span>
        <button disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>{t('下一页')}</button>
      </div>
      {selected && (
        <CaseDrawer caseId={selected} onClose={() => { window.location.hash = '#/queue'; }} onChanged={() => setRefresh((n) => n + 1)} />
      )}
    </div>
  );
}
