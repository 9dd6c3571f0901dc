import { useState } from 'react';
import { api } from '../api';

interface ResidentStatus {
  trackingNo: string;
  receivedAt: string;
  stageLabel: string;
  department: string | null;
  dueAt: string | null;
  reply: string | null;
  history: { at: string; label: string }[];
}

const fmt = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' });

export function StatusPage() {
  const [trackingNo, setTrackingNo] = useState('');
  const [code, setCode] = useState('');
  const [result, setResult] = useState<ResidentStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setResult(null);
    try {
      setResult(await api<ResidentStatus>(`/api/v1/messages/${encodeURIComponent(trackingNo.trim())}?code=${encodeURIComponent(code.trim())}`));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div className="card narrow">
      <h3>查询我的留言办理进度</h3>
      <form onSubmit={submit} className="status-form">
        <label>受理编号<input value={trackingNo} onChange={(e) => setTrackingNo(e.target.value)} placeholder="如 MS2611230000001" required /></label>
        <label>查询码<input value={code} onChange={(e) => setCode(e.target.value)} placeholder="6 位查询码" maxLength={6} required /></label>
        <button type="submit">查询</button>
      </form>
      {error && <p className="error">{error}</p>}
      {result && (
        <div className="status-result">
          <p><b>当前状态：</b>{result.stageLabel}</p>
          {result.department && <p><b>承办单位：</b>{result.department}</p>}
          {result.dueAt && <p><b>办理时限：</b>{fmt(result.dueAt)}</p>}
          {result.reply && <p><b>答复：</b>{result.reply}</p>}
          <ol className="timeline">
            {result.history.map((h, i) => (
              <li key={i}><span className="muted">{fmt(h.at)}</span> {h.label}</li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
