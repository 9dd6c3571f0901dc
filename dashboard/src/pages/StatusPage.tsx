// 进度查询: tracking number + 查询码 → status, department, deadline, history and the reply; rate the
// reply (回访) once the case is closed; supply information while the case waits on the resident.
import { useEffect, useState } from 'react';
import { call, messageOf, postMultipart, v1, ApiRequestError, type PhotosAdded, type ResidentRating, type ResidentStatus } from '../api';
import { PhotoPicker, PhotoStrip } from '../components/PhotoPicker';
import { fmtTime } from '../format';
import { useT } from '../i18n';

const RATINGS: ResidentRating[] = ['满意', '基本满意', '不满意'];

function RateForm({ status, code, onDone }: { status: ResidentStatus; code: string; onDone: () => void }) {
  const { t } = useT();
  const [rating, setRating] = useState<ResidentRating | ''>('');
  const [resolved, setResolved] = useState<string>('');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!rating) return;
    try {
      await call(v1.messages[':trackingNo'].rating.$post({
        param: { trackingNo: status.trackingNo },
        json: { code, rating, ...(resolved ? { resolved: resolved === 'yes' } : {}), ...(comment.trim() ? { comment: comment.trim() } : {}) },
      }));
      onDone();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <form className="form rate-form" onSubmit={submit} data-testid="rate-form">
      <h3>{t('评价')}：您对办理结果是否满意？</h3>
      <div className="choices">
        {RATINGS.map((r) => (
          <label key={r} className={`choice ${rating === r ? 'on' : ''}`}>
            <input type="radio" name="rating" value={r} checked={rating === r} onChange={() => setRating(r)} required />
            {t(r)}
          </label>
        ))}
      </div>
      <div className="choices">
        <span className="small">问题是否已解决？</span>
        {[['yes', '已解决'], ['no', '未解决']].map(([v, l]) => (
          <label key={v} className={`choice ${resolved === v ? 'on' : ''}`}>
            <input type="radio" name="resolved" value={v} checked={resolved === v} onChange={() => setResolved(v)} />
            {l}
          </label>
        ))}
      </div>
      <label>意见（可选）<textarea name="comment" rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} /></label>
      {rating === '不满意' && <p className="small muted">选择“不满意”后，工单将重新办理。</p>}
      <button type="submit" className="primary" disabled={!rating}>{t('提交')}</button>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}

function SupplementForm({ status, code, onDone }: { status: ResidentStatus; code: string; onDone: () => void }) {
  const { t } = useT();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await call(v1.messages[':trackingNo'].supplement.$post({ param: { trackingNo: status.trackingNo }, json: { code, text } }));
      setText('');
      onDone();
    } catch (err) {
      setError(err instanceof ApiRequestError ? Object.values(err.fieldErrors())[0] ?? err.message : messageOf(err));
    }
  };
  return (
    <form className="form" onSubmit={submit} data-testid="supplement-form">
      <h3>{t('补充材料')}</h3>
      <p className="small muted">承办单位正在等待您补充信息，提交后将继续办理。</p>
      <textarea name="supplement" rows={3} value={text} onChange={(e) => setText(e.target.value)} required minLength={2} />
      <button type="submit" className="primary">{t('提交')}</button>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}

function AddPhotosForm({ status, code, onDone }: { status: ResidentStatus; code: string; onDone: (n: number) => void }) {
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!files.length) return setError('请选择要上传的图片');
    setBusy(true);
    setError(undefined);
    const fd = new FormData();
    fd.append('code', code);
    for (const f of files) fd.append('photos', f, f.name);
    try {
      const r = await postMultipart<PhotosAdded>(`/api/v1/messages/${status.trackingNo}/photos`, fd);
      setFiles([]);
      onDone(r.added);
    } catch (err) {
      setError(err instanceof ApiRequestError ? Object.values(err.fieldErrors())[0] ?? err.message : messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={submit} data-testid="add-photos-form">
      <h3>补充图片</h3>
      <PhotoPicker files={files} onChange={setFiles} error={error} />
      <button type="submit" disabled={busy || !files.length}>上传图片</button>
    </form>
  );
}

export function StatusPage({ params }: { params: string[] }) {
  const { t } = useT();
  const [trackingNo, setTrackingNo] = useState(params[0] ?? '');
  const [code, setCode] = useState(params[1] ?? '');
  const [result, setResult] = useState<ResidentStatus | null>(null);
  // 暂定: the deadline was counted on the statutory holidays of a year whose arrangement is not announced
  const [provisional, setProvisional] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const lookup = async () => {
    setError(null);
    try {
      const req = { param: { trackingNo: trackingNo.trim() }, query: { code: code.trim() } };
      const status = await call(v1.messages[':trackingNo'].$get(req));
      setResult(status);
      setProvisional(status.deadlineNote);
    } catch (err) {
      setResult(null);
      setProvisional(null);
      setError(err instanceof ApiRequestError ? Object.values(err.fieldErrors())[0] ?? err.message : messageOf(err));
    }
  };
  useEffect(() => {
    if (params[0] && params[1]) void lookup();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const done = (msg: string) => { setNotice(msg); void lookup(); };
  return (
    <div className="card narrow">
      <h2>{t('进度查询')}</h2>
      <form onSubmit={(e) => { e.preventDefault(); setNotice(null); void lookup(); }} className="form inline">
        <label>{t('受理编号')}<input name="trackingNo" value={trackingNo} onChange={(e) => setTrackingNo(e.target.value)} placeholder="如 MS2611230000001" required /></label>
        <label>{t('查询码')}<input name="code" value={code} onChange={(e) => setCode(e.target.value)} placeholder="6 位查询码" maxLength={6} required /></label>
        <button type="submit" className="primary">{t('查询')}</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {notice && <p className="notice">{notice}</p>}
      {result && (
        <div className="status-result" data-testid="status-result">
          <p className="stage"><span className={`status s-${result.stage}`} data-testid="resident-stage">{result.stageLabel}</span></p>
          <dl className="facts">
            <dt>{t('受理编号')}</dt><dd className="mono">{result.trackingNo}</dd>
            <dt>受理时间</dt><dd>{fmtTime(result.receivedAt)}</dd>
            {result.department && (<><dt>{t('承办单位')}</dt><dd>{result.department}</dd></>)}
            {result.dueAt && (<><dt>办理时限</dt><dd>{fmtTime(result.dueAt)}</dd></>)}
            {result.rating && (<><dt>您的评价</dt><dd>{result.rating}</dd></>)}
          </dl>
          {result.dueAt && provisional && <p className="advice warn small" data-testid="provisional-note">{provisional}</p>}
          {result.sms.note && <p className={`small ${result.sms.enabled ? 'muted' : 'advice warn'}`} data-testid="sms-note">{result.sms.note}</p>}
          <div className="own-message" data-testid="own-message">
            <div className="small muted">您的留言</div>
            {result.title && <b>{result.title}</b>}
            <p>{result.text}</p>
            <PhotoStrip photos={result.photos} src={(id) => `/api/v1/messages/${result.trackingNo}/photos/${id}?code=${encodeURIComponent(code.trim())}`} />
            {result.supplements.map((s, i) => (
              <div key={i} className="small"><span className="muted">{fmtTime(s.at)} 补充：</span>{s.text}</div>
            ))}
          </div>
          {result.question && (
            <div className="question" data-testid="pause-question">
              <b>承办单位请您补充：</b>
              <p>{result.question.text}</p>
              <span className="small muted">{fmtTime(result.question.at)}</span>
            </div>
          )}
          {result.reply && (
            <div className="reply" data-testid="resident-reply">
              <b>{t('答复')}</b>{result.repliedAt && <span className="muted small"> {fmtTime(result.repliedAt)}</span>}
              <p>{result.reply}</p>
            </div>
          )}
          {result.stage === 'replied' && <p className="small muted">答复已发出，经 12345 中心审核办结后即可评价。</p>}
          {result.canRate && result.stage === 'closed' && !result.rating && <RateForm status={result} code={code.trim()} onDone={() => done('感谢您的评价！')} />}
          {result.stage === 'waiting' && <SupplementForm status={result} code={code.trim()} onDone={() => done('已收到您的补充信息。')} />}
          {result.canAddPhotos && <AddPhotosForm status={result} code={code.trim()} onDone={(n) => done(n ? `已收到 ${n} 张图片。` : '这些图片已上传过。')} />}
          <h3>办理过程</h3>
          {/* only what the resident received: the server leaves out replies held for review and internal steps */}
          <ol className="timeline" data-testid="resident-history">
            {result.history.map((h, i) => (
              <li key={i}><span className="when">{fmtTime(h.at)}</span> {h.label}</li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
