// 人工复核: cases the NLP was unsure of, with its predictions and confidence; staff correct or confirm.
// Keyboard: j/k move between cases, a accepts the reading as shown (确认, or the correction made), Enter opens the case.
import { useEffect, useRef, useState } from 'react';
import { call, messageOf, v1, type Correction, type TriageItem } from '../api';
import { pct } from '../format';
import { useT } from '../i18n';
import { CHANNEL_LABELS, oneOf, SENTIMENT_LABELS, URGENCY_LABELS, REVIEW_REASON_LABELS } from '../labels';
import { useSession } from '../session';
import { usePoll } from '../usePoll';

function confClass(c: number | null): string {
  return c === null ? '' : c < 0.5 ? 'low' : c < 0.8 ? 'mid' : 'high';
}

function TriageRow({ item, categories, onDone, focused, register, onFocus }: {
  item: TriageItem; categories: string[]; onDone: () => void; focused: boolean; register: (submit: () => void) => void; onFocus: () => void;
}) {
  const { t } = useT();
  const { session, departmentName } = useSession();
  // the server's lists, sent with the session
  const { requestTypes: REQUEST_TYPES, urgencies: URGENCIES, sentiments: SENTIMENTS } = session!.reference;
  const [v, setV] = useState({
    category: item.category ?? '', requestType: oneOf(REQUEST_TYPES, item.requestType), urgency: oneOf(URGENCIES, item.urgency), sentiment: oneOf(SENTIMENTS, item.sentiment),
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    // only what changed is a correction; confirmRest turns the rest into labels too
    const body: Correction = { confirmRest: true };
    if (v.category && v.category !== item.category) body.category = v.category;
    if (v.requestType && v.requestType !== item.requestType) body.requestType = v.requestType;
    if (v.urgency && v.urgency !== item.urgency) body.urgency = v.urgency;
    if (v.sentiment && v.sentiment !== item.sentiment) body.sentiment = v.sentiment;
    try {
      await call(v1.triage[':caseId'].$post({ param: { caseId: String(item.id) }, json: body }));
      onDone();
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };
  register(() => { if (!busy) void submit(); });
  const changed = v.category !== (item.category ?? '') || v.requestType !== oneOf(REQUEST_TYPES, item.requestType) || v.urgency !== oneOf(URGENCIES, item.urgency) || v.sentiment !== oneOf(SENTIMENTS, item.sentiment);
  return (
    <div className={`card triage-item ${focused ? 'focused' : ''}`} data-testid="triage-item" data-case-id={item.id} aria-selected={focused} onClick={onFocus}>
      <div className="small muted">
        <span className="mono">{item.trackingNo}</span> · {CHANNEL_LABELS[item.channel] ?? item.channel} · {item.district ?? '区县未识别'} · {departmentName(item.departmentCode)}
      </div>
      {item.title && !item.summary.startsWith(item.title.replace(/…$/, '')) && <b>{item.title}</b>}
      <p className="summary">{item.summary}</p>
      {item.reviewReasons?.length ? <p className="small muted">复核原因：{item.reviewReasons.map((r) => REVIEW_REASON_LABELS[r] ?? r).join('；')}</p> : null}
      <div className="triage-fields">
        <label>
          <span className="label-line">{t('分类')} <span className={`conf ${confClass(item.categoryConfidence)}`}>{t('置信度')} {pct(item.categoryConfidence, 0)}</span></span>
          <select value={v.category} onChange={(e) => setV({ ...v, category: e.target.value })}>
            {!item.category && <option value="">—</option>}
            {categories.map((c) => <option key={c}>{c}</option>)}
          </select>
        </label>
        <label>
          <span className="label-line">{t('类型')} <span className={`conf ${confClass(item.typeConfidence)}`}>{t('置信度')} {pct(item.typeConfidence, 0)}</span></span>
          <select value={v.requestType ?? ''} onChange={(e) => setV({ ...v, requestType: oneOf(REQUEST_TYPES, e.target.value) })}>
            {!item.requestType && <option value="">—</option>}
            {REQUEST_TYPES.map((c) => <option key={c}>{c}</option>)}
          </select>
        </label>
        <label>
          {t('紧急程度')}
          <select value={v.urgency ?? ''} onChange={(e) => setV({ ...v, urgency: oneOf(URGENCIES, e.target.value) ?? v.urgency })}>
            {URGENCIES.map((k) => <option key={k} value={k}>{URGENCY_LABELS[k]}</option>)}
          </select>
        </label>
        <label>
          {t('情感')}
          <select value={v.sentiment ?? ''} onChange={(e) => setV({ ...v, sentiment: oneOf(SENTIMENTS, e.target.value) })}>
            {!item.sentiment && <option value="">—</option>}
            {SENTIMENTS.map((k) => <option key={k} value={k}>{SENTIMENT_LABELS[k]}</option>)}
          </select>
        </label>
        <button className="primary" disabled={busy} onClick={() => void submit()}>{changed ? t('更正') : t('确认')}</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

export function TriagePage() {
  const { t } = useT();
  const { session } = useSession();
  const [page, setPage] = useState(0);
  const [refresh, setRefresh] = useState(0);
  const { data, error } = usePoll(() => call(v1.triage.$get({ query: { limit: '20', offset: String(page * 20) } })), 30_000, [page, refresh]);
  const [cursor, setCursor] = useState(0);
  const submitters = useRef(new Map<number, () => void>());
  const items = data?.items ?? [];
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (!items.length || e.metaKey || e.ctrlKey || e.altKey || (el && ['INPUT', 'TEXTAREA'].includes(el.tagName))) return;
      const at = Math.min(cursor, items.length - 1);
      if (e.key === 'j') setCursor(Math.min(items.length - 1, at + 1));
      else if (e.key === 'k') setCursor(Math.max(0, at - 1));
      else if (e.key === 'a') submitters.current.get(items[at].id)?.();
      else if (e.key === 'Enter' && el?.tagName !== 'SELECT' && el?.tagName !== 'BUTTON') window.location.hash = `#/queue/${items[at].id}`;
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  useEffect(() => {
    document.querySelectorAll('[data-testid="triage-item"]')[cursor]?.scrollIntoView?.({ block: 'nearest' });
  }, [cursor]);
  return (
    <div>
      <h2>{t('人工复核')} {data && <small className="muted">{t('共')} {data.total} {t('件')}</small>}</h2>
      <p className="muted small">智能分析置信度较低的工单，按置信度从低到高排列。确认或更正后，结果写入工单并作为训练标注保存。</p>
      <p className="muted small keys">键盘：<kbd>j</kbd>/<kbd>k</kbd> 上下移动 · <kbd>a</kbd> 采纳（按当前显示确认） · <kbd>回车</kbd> 打开工单</p>
      {error && <p className="error">{t('加载失败')}：{error}</p>}
      {items.map((item, i) => (
        <TriageRow key={`${item.id}-${refresh}`} item={item} categories={session!.reference.categories} onDone={() => setRefresh((n) => n + 1)}
          focused={i === Math.min(cursor, items.length - 1)} register={(fn) => submitters.current.set(item.id, fn)} onFocus={() => setCursor(i)} />
      ))}
      {data && !data.items.length && <p className="muted">没有待复核的工单。</p>}
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
