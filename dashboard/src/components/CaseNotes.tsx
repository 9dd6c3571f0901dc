// Internal notes, leaders' 批示 and the department's answers on a case: staff only (the API never puts
// them in a resident's view). An unanswered 批示 is marked; the department answers with 答复批示.
import type { CaseNote } from '../api';
import { fmtTime } from '../format';

const KIND: Record<string, string> = { note: '内部备注', instruction: '领导批示', answer: '答复批示' };
const AUTHOR: Record<string, string> = { centre: '协调中心', department: '承办单位', staff: '工作人员', leader: '领导' };

export function CaseNotes({ notes }: { notes: CaseNote[] }) {
  if (!notes.length) return null;
  return (
    <section data-testid="case-notes">
      <h3>内部备注与批示 <small className="muted">（仅工作人员可见）</small></h3>
      <ul className="notes">
        {notes.map((n) => (
          <li key={n.id} className={`note note-${n.kind}`} data-kind={n.kind}>
            <div className="small muted">
              <b>{KIND[n.kind] ?? n.kind}</b> · {AUTHOR[n.authorRole] ?? n.authorRole}{n.author.startsWith('staff:') ? `（${n.author.slice(6)}）` : ''} · {fmtTime(n.createdAt)}
              {n.kind === 'instruction' && (n.answeredAt ? <span className="tag good">已答复</span> : <span className="tag bad">待答复</span>)}
            </div>
            <p>{n.body}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
