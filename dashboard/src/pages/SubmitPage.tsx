// 我要留言: the portal form (POST /api/v1/messages); on success the tracking number and 查询码,
// on 400 the message beside each field.
import { useRef, useState } from 'react';
import { call, messageOf, postMultipart, v1, ApiRequestError, type Accepted, type PortalForm } from '../api';
import { PhotoPicker } from '../components/PhotoPicker';
import { useT } from '../i18n';
import { useSession } from '../session';

/** A key for one submission (crypto.randomUUID needs https; getRandomValues does not). */
function newIdempotencyKey(): string {
  return `portal-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const EMPTY = { title: '', content: '', contactName: '', phone: '', district: '', address: '' };

export function SubmitPage() {
  const { t } = useT();
  const { session } = useSession();
  const [form, setForm] = useState(EMPTY);
  // 公开选登 needs the resident's consent: unchecked until they tick it
  const [isPublic, setIsPublic] = useState(false);
  const [photos, setPhotos] = useState<File[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Accepted | null>(null);
  const [busy, setBusy] = useState(false);
  // one Idempotency-Key per submission: a retry of the same form after a lost answer is answered
  // with the first tracking number instead of storing the message twice; an edited form is a new one
  const attempt = useRef<{ key: string; body: string } | null>(null);
  const set = (k: keyof typeof EMPTY) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => setForm({ ...form, [k]: e.target.value });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(null);
    const body: PortalForm = { title: form.title, content: form.content, contactName: form.contactName, phone: form.phone, isPublic };
    if (form.district) body.district = form.district;
    if (form.address.trim()) body.address = form.address.trim();
    const text = JSON.stringify({ body, photos: photos.map((f) => [f.name, f.size, f.lastModified]) });
    if (attempt.current?.body !== text) attempt.current = { key: newIdempotencyKey(), body: text };
    const headers = { 'Idempotency-Key': attempt.current.key };
    try {
      if (photos.length) {
        // with photos: the same fields as multipart/form-data, the files in `photos`
        const fd = new FormData();
        for (const [k, v] of Object.entries(body)) fd.append(k, String(v));
        for (const f of photos) fd.append('photos', f, f.name);
        setDone(await postMultipart<Accepted>('/api/v1/messages', fd, headers));
      } else {
        setDone(await call(v1.messages.$post({ json: body }, { headers })));
      }
      attempt.current = null;
      setForm(EMPTY);
      setPhotos([]);
    } catch (err) {
      if (err instanceof ApiRequestError && err.status === 400 && Object.keys(err.fieldErrors()).length) setErrors(err.fieldErrors());
      else setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  if (done) {
    return (
      <div className="card narrow success" data-testid="submit-success">
        <h2>留言已受理</h2>
        <p>请保存以下信息，用于查询办理进度和评价办理结果：</p>
        <dl className="facts big">
          <dt>{t('受理编号')}</dt><dd className="mono" data-testid="tracking-no">{done.trackingNo}</dd>
          <dt>{t('查询码')}</dt><dd className="mono" data-testid="query-code">{done.queryCode}</dd>
        </dl>
        {done.photos > 0 && <p className="small muted" data-testid="photos-accepted">已收到 {done.photos} 张图片（已删除位置等拍摄信息）。</p>}
        <p className="actions-row">
          <a className="button primary" href={`#/status/${done.trackingNo}/${done.queryCode}`}>{t('进度查询')}</a>
          <button onClick={() => setDone(null)}>再写一条</button>
        </p>
      </div>
    );
  }
  const field = (k: keyof typeof EMPTY, label: string, control: React.ReactNode) => (
    <label className={errors[k] ? 'has-error' : ''}>
      {label}
      {control}
      {errors[k] && <span className="field-error" data-testid={`error-${k}`}>{errors[k]}</span>}
    </label>
  );
  return (
    <div className="card narrow">
      <h2>{t('我要留言')}</h2>
      <p className="muted small">您的诉求将转交承办单位办理，咨询类 3 个工作日、求助和投诉类 5 个工作日内答复。联系方式仅用于办理，不会公开。</p>
      <form className="form" onSubmit={submit} noValidate>
        {field('title', t('标题'), <input name="title" value={form.title} onChange={set('title')} maxLength={100} />)}
        {field('content', t('内容'), <textarea name="content" rows={6} value={form.content} onChange={set('content')} maxLength={5000} placeholder="请写明时间、地点和具体问题" />)}
        <div className="row">
          {field('district', t('区县'), (
            <select name="district" value={form.district} onChange={set('district')}>
              <option value="">请选择（可选）</option>
              {session?.reference.districts.map((d) => <option key={d}>{d}</option>)}
            </select>
          ))}
          {field('address', t('地址'), <input name="address" value={form.address} onChange={set('address')} maxLength={200} placeholder="街道、小区或路段（可选）" />)}
        </div>
        <div className="row">
          {field('contactName', t('联系人'), <input name="contactName" value={form.contactName} onChange={set('contactName')} maxLength={50} />)}
          {field('phone', t('电话'), <input name="phone" type="tel" value={form.phone} onChange={set('phone')} />)}
        </div>
        <PhotoPicker files={photos} onChange={setPhotos} error={errors.photos} />
        <label className="check"><input type="checkbox" name="isPublic" checked={isPublic} onChange={(e) => setIsPublic(e.target.checked)} data-testid="consent" /> 同意在“公开留言选登”中公开留言及答复（隐去姓名、电话等个人信息）</label>
        <button type="submit" className="primary" disabled={busy}>{t('提交')}</button>
        {error && <p className="error" role="alert">{error}</p>}
      </form>
    </div>
  );
}
