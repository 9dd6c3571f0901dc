// The actions the logged-in role may take on a case in its current status; the API decides
// legality, and its message (409 illegal_transition / conflict, 400 field errors) is shown as is.
import { useEffect, useState } from 'react';
import { api, ApiRequestError, type CaseDetail, type ReplyAdvice } from '../api';
import { OPEN_STATUSES } from '../format';
import { useT } from '../i18n';
import { useSession } from '../session';

type FieldKind = 'reason' | 'note' | 'workingDays' | 'department' | 'intoCaseId' | 'messageId';
interface ActionDef {
  key: string;
  /** the POST path segment */
  step: string;
  label: string;
  fields: FieldKind[];
  optional?: FieldKind[];
  extra?: Record<string, unknown>;
  tone?: 'primary' | 'danger';
}

const FIELD_LABEL: Record<FieldKind, string> = {
  reason: '理由', note: '备注', workingDays: '延期工作日数', department: '承办单位', intoCaseId: '并入工单（受理编号，或 #内部编号）', messageId: '拆分的留言',
};

function actionsFor(role: string, ownDept: boolean, d: CaseDetail): ActionDef[] {
  const s = d.case.status;
  const out: ActionDef[] = [];
  if (role === 'department' && ownDept) {
    if (s === 'dispatched') out.push({ key: 'accept', step: 'accept', label: '签收', fields: [], tone: 'primary' });
    if (s === 'dispatched' || s === 'accepted') out.push({ key: 'return', step: 'return', label: '退单', fields: ['reason'], tone: 'danger' });
    if (s === 'accepted' || s === 'waiting') out.push({ key: 'contact', step: 'contact', label: '联系诉求人', fields: [], optional: ['note'] });
    if (s === 'accepted') out.push({ key: 'pause', step: 'pause', label: '暂停', fields: ['reason'] });
    if (s === 'waiting') out.push({ key: 'resume', step: 'resume', label: '恢复', fields: [], optional: ['note'] });
    if ((s === 'accepted' || s === 'waiting') && !d.lifecycle.pendingExtension) out.push({ key: 'extend', step: 'request-extension', label: '延期', fields: ['workingDays', 'reason'] });
  }
  if (role === 'centre' || role === 'admin') {
    if (s === 'received' || s === 'returned') {
      out.push(d.case.awaitingDesignation
        ? { key: 'designate', step: 'designate', label: '指定承办', fields: ['department'], optional: ['reason'], tone: 'primary' }
        : { key: 'dispatch', step: 'dispatch', label: '派单', fields: ['department'], tone: 'primary' });
    }
    if (s === 'dispatched' || s === 'accepted' || s === 'waiting') out.push({ key: 'override', step: 'dispatch', label: '改派', fields: ['department', 'reason'] });
    if (d.lifecycle.pendingExtension) {
      out.push({ key: 'approve', step: 'decide-extension', label: '批准延期', fields: [], optional: ['workingDays'], extra: { approve: true }, tone: 'primary' });
      out.push({ key: 'refuse', step: 'decide-extension', label: '拒绝延期', fields: ['reason'], extra: { approve: false } });
    }
    if (s === 'replied') {
      out.push({ key: 'close', step: 'close', label: '办结', fields: [], tone: 'primary' });
      out.push({ key: 'reject', step: 'reject-reply', label: '驳回答复', fields: ['reason'], tone: 'danger' });
    }
    if (OPEN_STATUSES.includes(s)) out.push({ key: 'merge', step: 'merge', label: '合并', fields: ['intoCaseId'], optional: ['reason'] });
    if (d.messages.length > 1) out.push({ key: 'split', step: 'split', label: '拆分', fields: ['messageId', 'reason'] });
  }
  return out;
}

function ReplyBox({ detail, onDone }: { detail: CaseDetail; onDone: () => void }) {
  const { t, lang } = useT();
  const [text, setText] = useState('');
  const [advice, setAdvice] = useState<ReplyAdvice | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = detail.case.id;
  // advice while typing, debounced; it never blocks sending
  useEffect(() => {
    if (text.trim().length < 4) { setAdvice(null); return; }
    const timer = setTimeout(() => {
      api<ReplyAdvice>(`/api/v1/cases/${id}/reply-check`, { json: { text } }).then(setAdvice, () => setAdvice(null));
    }, 500);
    return () => clearTimeout(timer);
  }, [text, id]);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/v1/cases/${id}/reply`, { json: { text, version: detail.case.version } });
      setText('');
      onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="reply-box">
      <label>
        {t('答复')}（发送给本工单的每一位留言人）
        <textarea name="reply" rows={5} value={text} onChange={(e) => setText(e.target.value)} placeholder="您好！经核实……已安排……如有疑问请联系……" />
      </label>
      {advice && (
        <div className={`advice ${advice.ok ? 'ok' : 'warn'}`} data-testid="reply-advice">
          <b>{t('答复质量建议')}</b> · 得分 {advice.score}
          <span className="parts">
            {([['greeting', '称呼'], ['findings', '核实情况'], ['measures', '处理措施'], ['contact', '联系方式']] as const).map(([k, label]) => (
              <span key={k} className={advice.parts[k] ? 'have' : 'miss'}>{advice.parts[k] ? '✓' : '✗'} {label}</span>
            ))}
          </span>
          {advice.flags.length > 0 && (
            <ul>{advice.flags.map((f) => <li key={f.code} className={f.severity}>{lang === 'en' ? f.en : f.zh}</li>)}</ul>
          )}
        </div>
      )}
      <button className="primary" disabled={busy || !text.trim()} onClick={() => void send()}>{t('答复')}</button>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

export function CaseActions({ detail, onDone }: { detail: CaseDetail; onDone: () => void }) {
  const { t } = useT();
  const { session } = useSession();
  const user = session!.user!;
  const [active, setActive] = useState<ActionDef | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [busy, setBusy] = useState(false);
  const ownDept = user.role === 'department' && detail.case.departmentCode === user.departmentCode;
  const list = actionsFor(user.role, ownDept, detail);
  const canReply = ownDept && detail.case.status === 'accepted';
  useEffect(() => { setActive(null); setError(null); }, [detail.case.id, detail.case.version]);

  if (user.role === 'leader') return <p className="muted small">督办领导账号只能查看。</p>;
  if (!list.length && !canReply) return null;

  const run = async (a: ActionDef) => {
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = { ...a.extra };
    for (const f of [...a.fields, ...(a.optional ?? [])]) {
      const v = values[f]?.trim();
      if (!v) continue;
      if (f === 'department') body.departmentId = v;
      else if (f === 'intoCaseId' && /^MS/i.test(v)) body.intoTrackingNo = v.toUpperCase();
      else if (f === 'intoCaseId') body.intoCaseId = Number(v.replace(/^#/, ''));
      else if (f === 'workingDays' || f === 'messageId') body[f] = Number(v);
      else body[f] = v;
    }
    if (a.step !== 'split') body.version = detail.case.version;
    try {
      await api(`/api/v1/cases/${detail.case.id}/${a.step}`, { json: body });
      setActive(null);
      setValues({});
      onDone();
    } catch (err) {
      const e = err as ApiRequestError;
      setError({ message: e.message, fields: e instanceof ApiRequestError ? e.fieldErrors() : {} });
    } finally {
      setBusy(false);
    }
  };
  const input = (f: FieldKind) => {
    const set = (v: string) => setValues({ ...values, [f]: v });
    const fieldErr = error?.fields[f === 'department' ? 'departmentId' : f];
    let control;
    if (f === 'department') {
      control = (
        <select name={f} value={values[f] ?? ''} onChange={(e) => set(e.target.value)}>
          <option value="">请选择</option>
          {session!.reference.departments.filter((d) => d.kind !== 'centre').map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
        </select>
      );
    } else if (f === 'messageId') {
      control = (
        <select name={f} value={values[f] ?? ''} onChange={(e) => set(e.target.value)}>
          <option value="">请选择</option>
          {detail.messages.slice(1).map((m) => <option key={m.id} value={m.id}>{m.trackingNo} {m.text.slice(0, 20)}</option>)}
        </select>
      );
    } else if (f === 'reason' || f === 'note') {
      control = <textarea name={f} rows={2} value={values[f] ?? ''} onChange={(e) => set(e.target.value)} />;
    } else {
      control = <input name={f} type="number" min={1} max={f === 'workingDays' ? 10 : undefined} value={values[f] ?? ''} onChange={(e) => set(e.target.value)} />;
    }
    return (
      <label key={f}>
        {FIELD_LABEL[f]}{(active?.optional ?? []).includes(f) ? '（可选）' : ''}
        {control}
        {fieldErr && <span className="field-error">{fieldErr}</span>}
      </label>
    );
  };

  return (
    <section className="actions" data-testid="case-actions">
      <h3>{t('可执行操作')}</h3>
      <div className="action-buttons">
        {list.map((a) => (
          <button key={a.key} className={`${a.tone ?? ''} ${active?.key === a.key ? 'active' : ''}`} disabled={busy}
            onClick={() => (a.fields.length || a.optional?.length ? setActive(active?.key === a.key ? null : a) : void run(a))}>
            {t(a.label)}
          </button>
        ))}
      </div>
      {active && (
        <form className="form action-form" onSubmit={(e) => { e.preventDefault(); void run(active); }}>
          {[...active.fields, ...(active.optional ?? [])].map(input)}
          <button type="submit" className={active.tone ?? 'primary'} disabled={busy}>{t('确认')}{t(active.label)}</button>
        </form>
      )}
      {error && <p className="error" role="alert" data-testid="action-error">{error.message}</p>}
      {canReply && <ReplyBox detail={detail} onDone={onDone} />}
    </section>
  );
}
