// 工单队列: filters, full-text search, sortable columns (keyset pages), urgency and deadline countdown;
// the centre's queues (待派单, 答复审核, 延期审批) and bulk dispatch; a case opens in a drawer (#/queue/<id>).
import { useState } from 'react';
import { call, messageOf, v1, type CaseListQuery } from '../api';
import { CaseDrawer } from '../components/CaseDrawer';
import { DeskQueue, type DeskKind } from '../components/DeskQueue';
import { OpenTopicInstructions } from '../components/TopicInstructions';
import { countdown, fmtShort } from '../format';
import { useT } from '../i18n';
import { CHANNEL_LABELS, STATUS_LABELS } from '../labels';
import { useSession } from '../session';
import { usePoll } from '../usePoll';

// the open statuses come with the session (the server's one list)
const tabs = (open: string): { key: string; label: string; query: CaseListQuery; centreOnly?: boolean; desk?: DeskKind }[] => [
  { key: 'open', label: '在办', query: { status: open } },
  { key: 'overdue', label: '超期', query: { overdue: 'true' } },
  { key: 'review', label: '待复核', query: { needsReview: 'true', status: open } },
  { key: 'dispatch', label: '待派单', query: {}, centreOnly: true, desk: 'dispatch' },
  { key: 'replies', label: '答复审核', query: {}, centreOnly: true, desk: 'replies' },
  { key: 'extensions', label: '延期审批', query: {}, centreOnly: true, desk: 'extensions' },
  { key: 'all', label: '全部', query: {} },
];

/** The columns the list sorts by (the API's whitelist), by header. */
const SORTABLE: Record<string, string> = { 编号: 'trackingNo', 分类: 'category', 区县: 'district', 承办单位: 'departmentCode', 状态: 'status', 时限: 'resolveDueAt' };
type Sort = { by: string; dir: 'asc' | 'desc' } | null;
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
  const [sort, setSort] = useState<Sort>(null);
  // keyset pages: the cursor that starts each page seen so far (page 0 starts with none)
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [bulkDept, setBulkDept] = useState('');
  const [bulkResult, setBulkResult] = useState<{ text: string; bad: boolean } | null>(null);
  const isDept = user.role === 'department';
  const isCentre = user.role === 'centre' || user.role === 'admin';
  const current = TABS.find((x) => x.key === tab)!;
  const query: CaseListQuery = {
    ...current.query,
    ...(category ? { category } : {}),
    ...(district ? { district } : {}),
    ...(!isDept && department ? { department } : {}),
    ...(q ? { q } : {}),
    limit: String(PAGE_SIZE),
    ...(sort ? { sort: sort.by, dir: sort.dir, ...(cursors[page] ? { cursor: cursors[page]! } : {}) } : { offset: String(page * PAGE_SIZE) }),
  } as CaseListQuery;
  const { data, error } = usePoll(() => (current.desk ? Promise.resolve(null) : call(v1.cases.$get({ query }))), 15_000, [JSON.stringify(query), refresh, tab]);
  const { data: counts } = usePoll(() => (isCentre ? call(v1.cases.queues.$get()) : Promise.resolve(null)), 30_000, [refresh]);
  const selected = params[0] ? Number(params[0]) : null;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const hasNext = sort ? Boolean(data?.nextCursor) : page + 1 < pages;
  const reset = <T,>(set: (v: T) => void) => (v: T) => { set(v); setPage(0); setCursors([null]); setPicked(new Set()); };
  const next = () => {
    if (sort && data?.nextCursor) setCursors((cs) => [...cs.slice(0, page + 1), data.nextCursor]);
    setPage(page + 1);
  };
  const sortBy = (by: string) => {
    setSort((s) => (s?.by === by ? (s.dir === 'asc' ? { by, dir: 'desc' } : null) : { by, dir: 'asc' }));
    setPage(0);
    setCursors([null]);
  };
  const togglePick = (id: number, on: boolean) => { const n = new Set(picked); if (on) n.add(id); else n.delete(id); setPicked(n); };
  const bulkDispatch = async () => {
    setBulkResult(null);
    try {
      const versions = Object.fromEntries((data?.items ?? []).filter((c) => picked.has(c.id)).map((c) => [String(c.id), c.version]));
      const out = await call(v1.cases.bulk.dispatch.$post({ json: { caseIds: [...picked], departmentId: bulkDept, versions } }));
      const failed = out.results.filter((r) => !r.ok);
      setBulkResult({ text: `已派发 ${out.dispatched} 件${failed.length ? `；${failed.length} 件未派发：${failed.map((f) => `#${f.caseId} ${f.error}`).join('；')}` : ''}`, bad: failed.length > 0 });
      setPicked(new Set());
      setRefresh((n) => n + 1);
    } catch (err) {
      setBulkResult({ text: messageOf(err), bad: true });
    }
  };
  const header = (label: string) => {
    const by = SORTABLE[label];
    if (!by) return <th key={label}>{t(label)}</th>;
    const mark = sort?.by === by ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : '';
    return (
      <th key={label} aria-sort={sort?.by === by ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button type="button" className="sort" data-sort={by} onClick={() => sortBy(by)}>{t(label)}{mark}</button>
      </th>
    );
  };

  return (
    <div className="queue">
      {/* leaders' 批示 on a 舆情 topic: a department answers here; it stays until answered */}
      <OpenTopicInstructions canAnswer={isDept} refresh={refresh} />
      <div className="tabs" role="tablist">
        {TABS.filter((x) => !x.centreOnly || isCentre).map((x) => (
          <button key={x.key} role="tab" data-tab={x.key} aria-selected={x.key === tab} className={x.key === tab ? 'active' : ''} onClick={() => { setBulkResult(null); reset(setTab)(x.key); }}>
            {t(x.label)}{x.desk && counts ? <span className="count"> {counts[x.desk]}</span> : null}
          </button>
        ))}
      </div>
      {isCentre && picked.size > 0 && (
        <div className="bulk-bar" data-testid="bulk-bar">
          <span>已选 {picked.size} 件</span>
          <select value={bulkDept} onChange={(e) => setBulkDept(e.target.value)} aria-label="批量派往">
            <option value="">派往…</option>
            {ref.departments.filter((d) => d.kind !== 'centre').map((d) => <option key={d.code} value={d.code}>{d.shortName}</option>)}
          </select>
          <button className="primary" disabled={!bulkDept} onClick={() => void bulkDispatch()}>批量派单</button>
          <button onClick={() => setPicked(new Set())}>取消选择</button>
        </div>
      )}
      {bulkResult && <p className={bulkResult.bad ? 'error' : 'advice ok small'} data-testid="bulk-result">{bulkResult.text}</p>}
      {current.desk && (
        // keyed by queue: a notice of one queue never stays on another's
        <DeskQueue key={current.desk} kind={current.desk} refresh={refresh} onChanged={() => setRefresh((n) => n + 1)} selected={picked} setSelected={setPicked} drawerOpen={selected !== null} />
      )}
      {!current.desk && <>
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
        {data && <span className="muted">{data.totalExact === false ? t('超过') : t('共')} {data.total} {t('件')}</span>}
      </form>
      {error && <p className="error">{t('加载失败')}：{error}</p>}
      <table className="cases">
        <thead>
          <tr>
            {isCentre && <th aria-label="选择" />}
            {['编号', '标题', '分类', '区县', '承办单位', '状态', '时限'].map(header)}
          </tr>
        </thead>
        <tbody>
          {data?.items.map((c) => {
            const open = ref.openStatuses.includes(c.status);
            const d = countdown(c.resolveDueAt);
            return (
              <tr key={c.id} className={`${c.urgency === 'urgent' ? 'urgent' : ''} ${c.id === selected ? 'selected' : ''}`} onClick={() => { window.location.hash = `#/queue/${c.id}`; }} data-case-id={c.id}>
                {isCentre && (
                  <td className="pick" onClick={(e) => e.stopPropagation()}>
                    <input type="checkbox" aria-label={`选中 ${c.trackingNo}`} checked={picked.has(c.id)} onChange={(e) => togglePick(c.id, e.target.checked)} />
                  </td>
                )}
                <td className="mono" data-label={t('编号')}>{c.trackingNo}</td>
                <td className="title-cell" title={c.summary}>
                  {c.urgency === 'urgent' && <span className="tag bad">{t('紧急')}</span>}
                  {c.needsReview && <span className="tag warn">复核</span>}
                  {c.escalatedAt && open && <span className="tag bad">督办</span>}
                  {c.replyPending && <span className="tag warn">待审核</span>}
                  <a href={`#/queue/${c.id}`}>{c.title ?? c.summary.slice(0, 40)}</a>
                  <div className="muted small">{CHANNEL_LABELS[c.channel] ?? c.channel} · {c.requestType ?? '—'}</div>
                </td>
                <td data-label={t('分类')}>{c.category ?? '—'}</td>
                <td data-label={t('区县')}>{c.district ?? '—'}</td>
                <td data-label={t('承办单位')}>{departmentName(c.departmentCode)}</td>
                <td data-label={t('状态')}>{STATUS_LABELS[c.status] ?? c.status}</td>
                <td data-label={t('时限')} className={open && d.late ? 'late' : open && d.soon ? 'soon' : ''}>
                  {open ? d.text : '—'}
                  {open && c.provisional && <span className="tag warn" title="节假日安排尚未公布，期限按法定节假日推算" data-testid="provisional-tag">暂定</span>}
                  {open && c.resolveDueAt && <div className="muted small">{fmtShort(c.resolveDueAt)}</div>}
                </td>
              </tr>
            );
          })}
          {data && !data.items.length && (
            <tr><td colSpan={isCentre ? 8 : 7} className="muted empty">没有符合条件的工单</td></tr>
          )}
        </tbody>
      </table>
      <div className="pager">
        <button disabled={page === 0} onClick={() => setPage(page - 1)}>{t('上一页')}</button>
        <span>{sort ? `第 ${page + 1} 页` : `${page + 1} / ${pages}`}</span>
        <button disabled={!hasNext} onClick={next}>{t('下一页')}</button>
      </div>
      </>}
      {selected && (
        <CaseDrawer caseId={selected} onClose={() => { window.location.hash = '#/queue'; }} onChanged={() => setRefresh((n) => n + 1)} />
      )}
    </div>
  );
}
