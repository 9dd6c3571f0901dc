// 知识库 (every staff account): entries searched by Chinese full text (the API's q), filtered by category,
// department and validity; created, edited, expired and deleted by who may (the centre and admins any
// entry, a department its own; leaders read only — the API enforces it, the page hides what the user
// cannot do). Personal data typed into an entry is masked by the server on save; the page says how much.
// The 答复模板 tab lists reply templates with their placeholders and a preview; the centre and admins write them.
import { useState } from 'react';
import type { InferRequestType, InferResponseType } from 'hono/client';
import { ApiRequestError, call, messageOf, v1, type ReplyTemplate, type StaffUser } from '../api';
import { useT } from '../i18n';
import { useSession } from '../session';
import { usePoll } from '../usePoll';

type EntryList = InferResponseType<typeof v1.kb.entries.$get, 200>;
type Entry = EntryList['items'][number];
type EntryBody = InferRequestType<typeof v1.kb.entries.$post>['json'];

const PII_LABELS: Record<string, string> = { mobile: '手机号', landline: '固定电话', id_card: '身份证号', bank_card: '银行卡号', plate: '车牌号', email: '邮箱', name: '姓名' };
/** today in Asia/Shanghai (the API judges validity by that calendar) */
const shanghaiDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });

function canWrite(user: StaffUser, department: string | null): boolean {
  if (user.role === 'admin' || user.role === 'centre') return true;
  return user.role === 'department' && !!user.departmentCode && department === user.departmentCode;
}
const mayCreate = (user: StaffUser) => user.role === 'admin' || user.role === 'centre' || (user.role === 'department' && !!user.departmentCode);

function maskedNote(r: { masked?: number; maskedKinds?: string[] }): string | null {
  if (!r.masked) return null;
  return `已自动遮盖 ${r.masked} 处个人信息（${(r.maskedKinds ?? []).map((k) => PII_LABELS[k] ?? k).join('、')}），知识库条目不保存居民个人信息。`;
}

function useFieldErrors() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const { t } = useT();
  const fail = (e: unknown) => {
    const fields = e instanceof ApiRequestError && (e.status === 400 || e.status === 409) ? e.fieldErrors() : {};
    setErrors(fields);
    setError(Object.keys(fields).length ? t('请更正标出的字段') : messageOf(e));
  };
  const clear = () => { setErrors({}); setError(null); };
  const err = (field: string) => (errors[field] ? <span className="field-error" data-testid={`err-${field}`}>{errors[field]}</span> : null);
  return { error, fail, clear, err };
}

function EntryForm({ entry, user, onDone }: { entry: Entry | null; user: StaffUser; onDone: (note: string | null) => void }) {
  const { t } = useT();
  const { session } = useSession();
  const ref = session!.reference;
  const ownOnly = user.role === 'department';
  const [f, setF] = useState({
    question: entry?.question ?? '', answer: entry?.answer ?? '', category: entry?.category ?? '',
    departmentCode: entry?.departmentCode ?? (ownOnly ? (user.departmentCode ?? '') : ''), validFrom: entry?.validFrom ?? '', validTo: entry?.validTo ?? '',
  });
  const [busy, setBusy] = useState(false);
  const { error, fail, clear, err } = useFieldErrors();
  const set = (k: keyof typeof f, v: string) => setF({ ...f, [k]: v });
  const save = async () => {
    setBusy(true);
    clear();
    try {
      const json: EntryBody = { question: f.question, answer: f.answer, category: f.category || null, departmentCode: f.departmentCode || null, validFrom: f.validFrom || null, validTo: f.validTo || null };
      const r = entry ? await call(v1.kb.entries[':id'].$put({ param: { id: String(entry.id) }, json })) : await call(v1.kb.entries.$post({ json }));
      onDone(maskedNote(r) ?? (entry ? '已保存修改。' : '已新增条目。'));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card form" data-testid="kb-form">
      <b>{entry ? t('编辑条目') : t('新增条目')}</b>
      <p className="small muted">居民的姓名、手机号、身份证号等个人信息会在保存时自动遮盖；答案中可用 {'{居民称呼} {受理编号} {承办单位}'}，插入答复时按工单填写。</p>
      <label>{t('问题')}<textarea rows={2} value={f.question} onChange={(e) => set('question', e.target.value)} data-testid="kb-question" />{err('question')}</label>
      <label>{t('答案')}<textarea rows={5} value={f.answer} onChange={(e) => set('answer', e.target.value)} data-testid="kb-answer" />{err('answer')}</label>
      <div className="row">
        <label>{t('分类')}
          <select value={f.category} onChange={(e) => set('category', e.target.value)} data-testid="kb-category">
            <option value="">（不限）</option>
            {ref.categories.map((c) => <option key={c}>{c}</option>)}
          </select>
          {err('category')}
        </label>
        <label>{t('承办单位')}
          <select value={f.departmentCode} disabled={ownOnly} onChange={(e) => set('departmentCode', e.target.value)} data-testid="kb-department">
            {!ownOnly && <option value="">（通用，不属任何单位）</option>}
            {ref.departments.filter((d) => d.kind !== 'centre' || d.code === f.departmentCode).map((d) => <option key={d.code} value={d.code}>{d.shortName || d.name}</option>)}
          </select>
          {err('departmentCode')}
        </label>
      </div>
      <div className="row">
        <label>{t('生效日期')}（可空）<input type="date" value={f.validFrom} onChange={(e) => set('validFrom', e.target.value)} data-testid="kb-valid-from" />{err('validFrom')}</label>
        <label>{t('失效日期')}（可空，含当天）<input type="date" value={f.validTo} onChange={(e) => set('validTo', e.target.value)} data-testid="kb-valid-to" />{err('validTo')}</label>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="actions-row">
        <button className="primary" disabled={busy} onClick={() => void save()} data-testid="kb-save-entry">{t('保存')}</button>
        <button disabled={busy} onClick={() => onDone(null)}>{t('取消')}</button>
      </div>
    </div>
  );
}

function validity(e: Entry): string {
  if (!e.validFrom && !e.validTo) return '长期有效';
  return `${e.validFrom ?? '…'} 至 ${e.validTo ?? '…'}`;
}

function EntriesTab({ user }: { user: StaffUser }) {
  const { t } = useT();
  const { session } = useSession();
  const ref = session!.reference;
  const deptName = (code: string | null) => (code ? (ref.departments.find((d) => d.code === code)?.shortName ?? code) : '通用');
  const [draft, setDraft] = useState({ q: '', category: '', department: '', valid: '' });
  const [query, setQuery] = useState(draft);
  const [editing, setEditing] = useState<Entry | 'new' | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { data, error: loadError } = usePoll(
    () => call(v1.kb.entries.$get({ query: { ...(query.q ? { q: query.q } : {}), ...(query.category ? { category: query.category } : {}), ...(query.department ? { department: query.department } : {}), ...(query.valid === 'now' ? { valid: 'true' } : {}), limit: '200' } })),
    60_000,
    [refresh, query],
  );
  // 已失效 / 未生效: the API filters "valid today" only; the rest is the complement of the page it sent
  const items = (data?.items ?? []).filter((e) => query.valid !== 'not' || !e.validNow);
  const done = (msg: string | null) => {
    setEditing(null);
    setNote(msg);
    setRefresh((n) => n + 1);
  };
  const act = async (what: () => Promise<unknown>, msg: string) => {
    setError(null);
    try {
      await what();
      done(msg);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const expire = (e: Entry) => {
    const yesterday = shanghaiDay(-1);
    const validFrom = e.validFrom && e.validFrom > yesterday ? yesterday : e.validFrom;
    return act(() => call(v1.kb.entries[':id'].$put({ param: { id: String(e.id) }, json: { question: e.question, answer: e.answer, category: e.category, departmentCode: e.departmentCode, validFrom, validTo: yesterday } })), `条目已设为失效（失效日期 ${yesterday}），不再推荐给答复。`);
  };
  const remove = (e: Entry) => {
    if (!window.confirm(`删除条目「${e.question.slice(0, 30)}」？删除后不可恢复（审计记录保留原文）。`)) return;
    void act(() => call(v1.kb.entries[':id'].$delete({ param: { id: String(e.id) } })), '条目已删除。');
  };
  return (
    <div>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); setQuery(draft); }} data-testid="kb-filters">
        <input type="search" placeholder="搜索问题和答案（中文全文）" value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} data-testid="kb-search" />
        <select value={draft.category} onChange={(e) => setDraft({ ...draft, category: e.target.value })} data-testid="kb-filter-category">
          <option value="">{t('全部分类')}</option>
          {ref.categories.map((c) => <option key={c}>{c}</option>)}
        </select>
        <select value={draft.department} onChange={(e) => setDraft({ ...draft, department: e.target.value })} data-testid="kb-filter-department">
          <option value="">{t('全部单位')}</option>
          {ref.departments.filter((d) => d.kind !== 'centre').map((d) => <option key={d.code} value={d.code}>{d.shortName}</option>)}
        </select>
        <select value={draft.valid} onChange={(e) => setDraft({ ...draft, valid: e.target.value })} data-testid="kb-filter-valid">
          <option value="">全部有效期</option>
          <option value="now">当前有效</option>
          <option value="not">已失效或未生效</option>
        </select>
        <button className="primary" type="submit" data-testid="kb-search-go">{t('搜索')}</button>
      </form>
      {(loadError || error) && <p className="error">{loadError ?? error}</p>}
      {note && <p className="notice" role="status" data-testid="kb-note">{note}</p>}
      {editing === null && mayCreate(user) && <button className="primary" onClick={() => { setNote(null); setEditing('new'); }} data-testid="kb-new">{t('新增条目')}</button>}
      {editing !== null && <EntryForm key={editing === 'new' ? 'new' : editing.id} entry={editing === 'new' ? null : editing} user={user} onDone={done} />}
      {data && <p className="small muted">{query.valid === 'not' ? `${items.length} 条` : `共 ${data.total} 条`}{query.q ? `，按与「${query.q}」的匹配排序` : ''}</p>}
      {items.map((e) => {
        const writable = canWrite(user, e.departmentCode);
        return (
          <div key={e.id} className="card triage-item kb-entry" data-testid="kb-entry" data-entry-id={e.id}>
            <b>{e.question}</b>
            <p className="kb-answer">{e.answer}</p>
            <p className="small muted">
              {e.category && <span className="tag">{e.category}</span>} <span className="tag">{deptName(e.departmentCode)}</span>{' '}
              <span className="tag" style={e.validNow ? undefined : { background: '#fee2e2', color: '#991b1b' }} data-testid="kb-validity">{e.validNow ? '有效' : '已失效或未生效'}</span> {validity(e)} · {e.createdBy}
              {e.sourceCaseId && <> · 来自工单 {e.sourceCaseId}</>}
            </p>
            {writable ? (
              <div className="actions-row">
                <button onClick={() => { setNote(null); setEditing(e); }} data-testid="kb-edit">{t('编辑')}</button>
                {e.validNow && <button onClick={() => void expire(e)} data-testid="kb-expire">{t('设为失效')}</button>}
                <button onClick={() => remove(e)} data-testid="kb-delete">{t('删除')}</button>
              </div>
            ) : (
              <span className="small muted" data-testid="kb-readonly">{user.role === 'leader' ? '只读' : '只读（其他单位的条目）'}</span>
            )}
          </div>
        );
      })}
      {data && !items.length && <p className="muted">{query.q ? '没有匹配的条目。' : '知识库中还没有条目。'}</p>}
    </div>
  );
}

const SAMPLE = { 居民称呼: '王先生', 受理编号: 'WH20260101-0001', 承办单位: '市住房保障局' } as Record<string, string>;
const preview = (body: string) => body.replace(/\{([^{}\s]{1,12})\}/g, (whole, p: string) => SAMPLE[p] ?? whole);

function TemplateForm({ template, placeholders, onDone }: { template: ReplyTemplate | null; placeholders: string[]; onDone: (changed: boolean) => void }) {
  const { t } = useT();
  const { session } = useSession();
  const [f, setF] = useState({ name: template?.name ?? '', body: template?.body ?? '', category: template?.category ?? '' });
  const [busy, setBusy] = useState(false);
  const { error, fail, clear, err } = useFieldErrors();
  const save = async () => {
    setBusy(true);
    clear();
    try {
      const json = { name: f.name, body: f.body, category: f.category || null };
      if (template) await call(v1['reply-templates'][':id'].$put({ param: { id: String(template.id) }, json }));
      else await call(v1['reply-templates'].$post({ json }));
      onDone(true);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card form" data-testid="tpl-form">
      <label>{t('模板名称')}<input value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} data-testid="tpl-name" />{err('name')}</label>
      <label>{t('分类')}
        <select value={f.category} onChange={(e) => setF({ ...f, category: e.target.value })}>
          <option value="">（不限）</option>
          {session!.reference.categories.map((c) => <option key={c}>{c}</option>)}
        </select>
        {err('category')}
      </label>
      <div className="small">插入占位符：{placeholders.map((p) => <button key={p} type="button" className="small" onClick={() => setF({ ...f, body: `${f.body}{${p}}` })}>{`{${p}}`}</button>)}</div>
      <label>{t('模板内容')}<textarea rows={5} value={f.body} onChange={(e) => setF({ ...f, body: e.target.value })} data-testid="tpl-body" />{err('body')}</label>
      <div className="small muted">预览（示例工单）：</div>
      <p className="kb-answer" data-testid="tpl-preview">{preview(f.body) || '（空）'}</p>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="actions-row">
        <button className="primary" disabled={busy} onClick={() => void save()} data-testid="tpl-save">{t('保存')}</button>
        <button disabled={busy} onClick={() => onDone(false)}>{t('取消')}</button>
      </div>
    </div>
  );
}

function TemplatesTab({ user }: { user: StaffUser }) {
  const { t } = useT();
  const editor = user.role === 'admin' || user.role === 'centre';
  const [editing, setEditing] = useState<ReplyTemplate | 'new' | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const { data, error: loadError } = usePoll(() => call(v1['reply-templates'].$get({ query: {} })), 60_000, [refresh]);
  const placeholders = data?.placeholders ?? [];
  const done = (changed: boolean) => {
    setEditing(null);
    if (changed) setRefresh((n) => n + 1);
  };
  const remove = async (tpl: ReplyTemplate) => {
    if (!window.confirm(`删除模板「${tpl.name}」？`)) return;
    try {
      await call(v1['reply-templates'][':id'].$delete({ param: { id: String(tpl.id) } }));
      setRefresh((n) => n + 1);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <div>
      <p className="small muted" data-testid="tpl-placeholders">
        可用占位符：{placeholders.map((p) => <code key={p}>{`{${p}}`}</code>)}（{'{居民称呼}'}：居民留的称呼如「王先生」，否则「市民朋友」，不写全名）。{editor ? '' : '模板由协调中心维护，本账号只读。'}
      </p>
      {(loadError || error) && <p className="error">{loadError ?? error}</p>}
      {editor && editing === null && <button className="primary" onClick={() => setEditing('new')} data-testid="tpl-new">{t('新建模板')}</button>}
      {editing !== null && <TemplateForm key={editing === 'new' ? 'new' : editing.id} template={editing === 'new' ? null : editing} placeholders={placeholders} onDone={done} />}
      {data?.items.map((tpl) => (
        <div key={tpl.id} className="card triage-item" data-testid="tpl-item">
          <b>{tpl.name}</b> {tpl.category && <span className="tag">{tpl.category}</span>}
          <p className="kb-answer">{tpl.body}</p>
          <p className="small muted">预览：{preview(tpl.body)}</p>
          {editor && (
            <div className="actions-row">
              <button onClick={() => setEditing(tpl)}>{t('编辑')}</button>
              <button onClick={() => void remove(tpl)}>{t('删除')}</button>
            </div>
          )}
        </div>
      ))}
      {data && !data.items.length && <p className="muted">还没有答复模板。</p>}
    </div>
  );
}

export function KbPage({ params }: { params: string[] }) {
  const { t } = useT();
  const { session } = useSession();
  const user = session!.user!;
  const tab = params[0] === 'templates' ? 'templates' : 'entries';
  return (
    <div>
      <h2>{t('知识库')}</h2>
      <div className="tabs" role="tablist">
        <a href="#/kb" role="tab" className={tab === 'entries' ? 'active' : ''} data-testid="kb-tab-entries">{t('知识库条目')}</a>
        <a href="#/kb/templates" role="tab" className={tab === 'templates' ? 'active' : ''} data-testid="kb-tab-templates">{t('答复模板')}</a>
      </div>
      {tab === 'entries' ? <EntriesTab user={user} /> : <TemplatesTab user={user} />}
    </div>
  );
}
