// The actions the server says the logged-in user may take on this case now (GET /cases/:id `actions`,
// and the `actions` of each action's answer), rendered exactly: one button each, and a form made from
// the fields the server declares (label, widget, required). The API decides legality, and its message
// (403, 409 illegal_transition / conflict, 400 field errors) is shown as is.
import { useEffect, useState } from 'react';
import { ApiRequestError, call, messageOf, v1, type ActionField, type ActionOutcome, type AllowedAction, type CaseDetail, type ReplyAdvice } from '../api';
import { useT } from '../i18n';
import { useSession } from '../session';
import { KbSuggestions, TemplatePicker } from './KbPanel';

type Body = Record<string, string | number | boolean>;

export function postAction(detail: CaseDetail, a: AllowedAction, values: Body): Promise<ActionOutcome> {
  // the version the user saw: a case changed meanwhile is a 409 conflict, not a silent overwrite
  const json: Body = { ...values, ...a.fixed, version: detail.case.version };
  return call(v1.cases[':id'][':action'].$post({ param: { id: String(detail.case.id), action: a.route }, json }));
}

function ReplyBox({ detail, action, onDone }: { detail: CaseDetail; action: AllowedAction; onDone: (o: ActionOutcome) => void }) {
  const { t, lang } = useT();
  const [text, setText] = useState('');
  const [advice, setAdvice] = useState<ReplyAdvice | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = detail.case.id;
  const field = action.fields[0];
  // advice while typing, debounced; it never blocks sending
  useEffect(() => {
    if (text.trim().length < 4) { setAdvice(null); return; }
    const timer = setTimeout(() => {
      call(v1.cases[':id']['reply-check'].$post({ param: { id: String(id) }, json: { text } })).then(setAdvice, () => setAdvice(null));
    }, 500);
    return () => clearTimeout(timer);
  }, [text, id]);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const outcome = await postAction(detail, action, { [field.name]: text });
      setText('');
      onDone(outcome);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="reply-box" data-action={action.key}>
      {detail.case.requestType === '咨询' && <KbSuggestions caseId={id} onInsert={(answer) => setText((t) => (t.trim() ? `${t.trimEnd()}\n${answer}` : answer))} />}
      <TemplatePicker caseId={id} category={detail.case.category} onPick={setText} />
      <label>
        {t(field.label)}（发送给本工单的每一位留言人）
        <textarea name={action.key} rows={5} maxLength={field.maxLength ?? undefined} value={text} onChange={(e) => setText(e.target.value)} placeholder="您好！经核实……已安排……如有疑问请联系……" />
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
      <button className={action.tone ?? 'primary'} disabled={busy || !text.trim()} onClick={() => void send()}>{t(action.label)}</button>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

/** A form control for one declared field; its name is the body's field name. */
function FieldControl({ field, detail, value, set }: { field: ActionField; detail: CaseDetail; value: string; set: (v: string) => void }) {
  const { session } = useSession();
  switch (field.widget) {
    case 'department':
      return (
        <select name={field.name} value={value} onChange={(e) => set(e.target.value)}>
          <option value="">请选择</option>
          {session!.reference.departments.filter((d) => d.kind !== 'centre').map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
        </select>
      );
    case 'person':
      return <PersonSelect name={field.name} caseId={detail.case.id} value={value} set={set} />;
    case 'message':
      return (
        <select name={field.name} value={value} onChange={(e) => set(e.target.value)}>
          <option value="">请选择</option>
          {detail.messages.slice(1).map((m) => <option key={m.id} value={m.id}>{m.trackingNo} {m.text.slice(0, 20)}</option>)}
        </select>
      );
    case 'textarea':
    case 'reply':
      return <textarea name={field.name} rows={2} maxLength={field.maxLength ?? undefined} value={value} onChange={(e) => set(e.target.value)} />;
    case 'number':
      return <input name={field.name} type="number" min={field.minimum ?? undefined} max={field.maximum ?? undefined} value={value} onChange={(e) => set(e.target.value)} />;
    default:
      return <input name={field.name} maxLength={field.maxLength ?? undefined} value={value} onChange={(e) => set(e.target.value)} />;
  }
}

/** The people of the case's department (指派经办人). */
function PersonSelect({ name, caseId, value, set }: { name: string; caseId: number; value: string; set: (v: string) => void }) {
  const [people, setPeople] = useState<{ username: string; displayName: string }[]>([]);
  useEffect(() => {
    call(v1.cases[':id'].assignees.$get({ param: { id: String(caseId) } })).then((r) => setPeople(r.items), () => setPeople([]));
  }, [caseId]);
  return (
    <select name={name} value={value} onChange={(e) => set(e.target.value)}>
      <option value="">请选择</option>
      {people.map((p) => <option key={p.username} value={p.username}>{p.displayName}（{p.username}）</option>)}
    </select>
  );
}

/** The body a form's values make: numbers for numeric widgets, empty fields left out. */
function bodyOf(a: AllowedAction, values: Record<string, string>): Body {
  const body: Body = {};
  for (const f of a.fields) {
    const v = values[f.name]?.trim();
    if (!v) continue;
    body[f.name] = f.widget === 'number' || f.widget === 'message' ? Number(v.replace(/^#/, '')) : v;
  }
  return body;
}

export function CaseActions({ detail, actions, onDone }: { detail: CaseDetail; actions: AllowedAction[]; onDone: (o: ActionOutcome) => void }) {
  const { t } = useT();
  const { session } = useSession();
  const [active, setActive] = useState<AllowedAction | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { setActive(null); setError(null); }, [detail.case.id, detail.case.version]);

  const replies = actions.filter((a) => a.fields.some((f) => f.widget === 'reply'));
  const buttons = actions.filter((a) => !replies.includes(a));
  if (!actions.length) return session?.user?.role === 'leader' ? <p className="muted small">督办领导账号只能查看和批示。</p> : null;

  const run = async (a: AllowedAction) => {
    setBusy(true);
    setError(null);
    try {
      const outcome = await postAction(detail, a, bodyOf(a, values));
      setActive(null);
      setValues({});
      onDone(outcome);
    } catch (err) {
      setError({ message: messageOf(err), fields: err instanceof ApiRequestError ? err.fieldErrors() : {} });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="actions" data-testid="case-actions">
      <h3>{t('可执行操作')}</h3>
      <div className="action-buttons">
        {buttons.map((a) => (
          <button key={a.key} data-action={a.key} className={`${a.tone ?? ''} ${active?.key === a.key ? 'active' : ''}`} disabled={busy}
            onClick={() => (a.fields.length ? setActive(active?.key === a.key ? null : a) : void run(a))}>
            {t(a.label)}
          </button>
        ))}
      </div>
      {active && (
        <form className="form action-form" onSubmit={(e) => { e.preventDefault(); void run(active); }}>
          {active.fields.map((f) => (
            <label key={f.name}>
              {t(f.label)}{f.required ? '' : '（可选）'}
              <FieldControl field={f} detail={detail} value={values[f.name] ?? ''} set={(v) => setValues({ ...values, [f.name]: v })} />
              {error?.fields[f.name] && <span className="field-error">{error.fields[f.name]}</span>}
            </label>
          ))}
          <button type="submit" className={active.tone ?? 'primary'} disabled={busy}>{t('确认')}{t(active.label)}</button>
        </form>
      )}
      {error && <p className="error" role="alert" data-testid="action-error">{error.message}</p>}
      {replies.map((a) => <ReplyBox key={a.key} detail={detail} action={a} onDone={onDone} />)}
    </section>
  );
}
