// Leaders' 批示 on a 舆情 topic (staff only): on the topic, the instructions with each department's
// answer and, for a leader, a box to give one; in a department's queue, the topic 批示 it has still to
// answer, with its cases in the topic and the answer box. The server decides who may do what.
import { useState } from 'react';
import { call, messageOf, v1, type InferTopicInstruction } from '../api';
import { fmtTime } from '../format';
import { STATUS_LABELS } from '../labels';
import { usePoll } from '../usePoll';

function Answers({ item }: { item: InferTopicInstruction }) {
  return (
    <ul className="small topic-answers">
      {item.departments.map((d) => (
        <li key={d.departmentCode} data-department={d.departmentCode}>
          <b>{d.departmentName}</b>{' '}
          {d.answeredAt ? <span className="tag good">已答复</span> : <span className="tag bad">待答复</span>}
          {d.cases.length > 0 && <span className="muted"> 工单 {d.cases.map((c) => <a key={c.id} href={`#/queue/${c.id}`} className="mono">{c.trackingNo}（{STATUS_LABELS[c.status] ?? c.status}）</a>).reduce<React.ReactNode[]>((out, a, i) => (i ? [...out, '、', a] : [a]), [])}</span>}
          {d.answer && <p>{d.answer} <span className="muted">· {fmtTime(d.answeredAt)}</span></p>}
        </li>
      ))}
    </ul>
  );
}

function TextForm({ label, button, name, max, onSend }: { label: string; button: string; name: string; max: number; onSend: (text: string) => Promise<void> }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await onSend(text);
      setText('');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="topic-form">
      <label className="small">{label}<textarea name={name} rows={3} maxLength={max} value={text} onChange={(e) => setText(e.target.value)} /></label>
      <button className="primary small" disabled={busy} onClick={() => void send()}>{button}</button>
      {error && <p className="error small" role="alert">{error}</p>}
    </div>
  );
}

/** The 批示 on one topic; a leader may give one. */
export function TopicInstructionPanel({ topicId, canInstruct }: { topicId: number; canInstruct: boolean }) {
  const [refresh, setRefresh] = useState(0);
  const { data, error } = usePoll(() => call(v1.topics[':id'].instructions.$get({ param: { id: String(topicId) } })), 60_000, [topicId, refresh]);
  return (
    <div className="topic-instructions" data-testid={`topic-instructions-${topicId}`}>
      {error && <p className="error small">{error}</p>}
      {data?.items.map((i) => (
        <div key={i.id} className="note note-instruction" data-instruction={i.id}>
          <div className="small muted"><b>领导批示</b> · {i.author.replace(/^staff:/, '')} · {fmtTime(i.createdAt)}</div>
          <p>{i.body}</p>
          <Answers item={i} />
        </div>
      ))}
      {canInstruct && (
        <TextForm label="批示内容（发给该话题各工单的承办单位，须逐一答复）" button="批示" name="topic-instruction" max={2000}
          onSend={async (text) => { await call(v1.topics[':id'].instructions.$post({ param: { id: String(topicId) }, json: { text } })); setRefresh((n) => n + 1); }} />
      )}
    </div>
  );
}

/** A department's topic 批示 still to answer (the queue page); for others, the open ones, read only. */
export function OpenTopicInstructions({ canAnswer, refresh: outer }: { canAnswer: boolean; refresh: number }) {
  const [refresh, setRefresh] = useState(0);
  const { data } = usePoll(() => call(v1.topics.instructions.$get({ query: {} })), 60_000, [refresh, outer]);
  if (!data?.items.length) return null;
  return (
    <section className="card open-topic-instructions" data-testid="open-topic-instructions">
      <h3>话题批示{canAnswer ? '待本单位答复' : '待答复'}（{data.items.length}）</h3>
      {data.items.map((i) => (
        <div key={i.id} className="note note-instruction" data-instruction={i.id}>
          <div className="small muted"><b>话题「{i.topicLabel}」</b> · 领导批示 · {fmtTime(i.createdAt)}</div>
          <p>{i.body}</p>
          <Answers item={i} />
          {canAnswer && (
            <TextForm label="答复内容" button="答复批示" name={`answer-${i.id}`} max={5000}
              onSend={async (text) => { await call(v1.topics.instructions[':id'].answer.$post({ param: { id: String(i.id) }, json: { text } })); setRefresh((n) => n + 1); }} />
          )}
        </div>
      ))}
    </section>
  );
}
