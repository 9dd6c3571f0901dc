// 知识库 at the desk: the best entries for a 咨询 case (with their score) to insert into the reply,
// reply templates filled from the case, and saving a sent reply as an entry.
import { useEffect, useState } from 'react';
import { call, messageOf, v1, type KbSuggestion, type ReplyTemplate } from '../api';

/** The best five entries valid today; 插入答复 hands an entry's answer to the reply form. */
export function KbSuggestions({ caseId, onInsert }: { caseId: number; onInsert: (answer: string) => void }) {
  const [items, setItems] = useState<KbSuggestion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call(v1.kb.suggestions.$get({ query: { caseId: String(caseId) } })).then((r) => { setItems(r.items); setError(null); }, (e: unknown) => setError(messageOf(e)));
  }, [caseId]);
  return (
    <div className="kb-suggestions" data-testid="kb-suggestions">
      <b>知识库推荐</b> <span className="small muted">（咨询类工单，按匹配度排序，仅列有效期内条目）</span>
      {error && <p className="error">{error}</p>}
      {items && !items.length && <p className="small muted">知识库中没有相近的条目。</p>}
      <ol>
        {items?.map((s) => (
          <li key={s.entry.id} data-entry-id={s.entry.id} data-testid="kb-suggestion">
            <div>
              <span className="tag" title={`匹配词：${s.matched.join(' ')}`}>匹配度 {Math.round(s.score * 100)}%</span> <b>{s.entry.question.slice(0, 60)}</b>
            </div>
            <div className="small muted">{s.entry.answer.slice(0, 120)}{s.entry.answer.length > 120 ? '…' : ''}</div>
            <button type="button" className="small" data-testid="kb-insert" onClick={() => onInsert(s.filledAnswer)}>插入答复</button>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** 答复模板: choosing one fills the reply form with it, its placeholders filled from the case. */
export function TemplatePicker({ caseId, category, onPick }: { caseId: number; category: string | null; onPick: (text: string) => void }) {
  const [templates, setTemplates] = useState<ReplyTemplate[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call(v1['reply-templates'].$get({ query: category ? { category } : {} })).then((r) => setTemplates(r.items), () => setTemplates([]));
  }, [category]);
  if (!templates.length) return null;
  const pick = async (id: string) => {
    if (!id) return;
    try {
      onPick((await call(v1['reply-templates'][':id'].render.$get({ param: { id }, query: { caseId: String(caseId) } }))).text);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <label className="template-picker">
      从模板开始
      <select name="template" defaultValue="" onChange={(e) => void pick(e.target.value)}>
        <option value="">不使用模板</option>
        {templates.map((t) => <option key={t.id} value={t.id}>{t.name}{t.category ? `（${t.category}）` : ''}</option>)}
      </select>
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}

/** 存入知识库: the reply the residents received becomes an entry of the case's department. */
export function SaveAsEntry({ caseId }: { caseId: number }) {
  const [saved, setSaved] = useState<{ id: number; masked: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      const r = await call(v1.kb.entries['from-case'][':caseId'].$post({ param: { caseId: String(caseId) }, json: {} }));
      setSaved({ id: r.id, masked: r.masked });
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  if (saved) return <p className="advice ok small" data-testid="kb-saved">已存入知识库（条目 #{saved.id}），今后相近的咨询会推荐它。{saved.masked ? `答复中的 ${saved.masked} 处个人信息已自动遮盖。` : ''}</p>;
  return (
    <>
      <button type="button" className="small" disabled={busy} data-testid="kb-save" onClick={() => void save()}>存入知识库</button>
      {error && <p className="error" role="alert">{error}</p>}
    </>
  );
}
