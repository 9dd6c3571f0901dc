// 诉求人联系方式: the residents' name, phone and address on a case, for the staff who call them back
// (centre, admins, the case's department). Shown only on a click: each read is written to the audit
// trail, so the trail records who looked, not who merely opened the drawer.
import { useEffect, useState } from 'react';
import { call, messageOf, v1, type CaseContacts } from '../api';
import { CHANNEL_LABELS } from '../labels';
import { useSession } from '../session';

const CONTACT_ROLES = ['admin', 'centre', 'department'];

export function ContactPanel({ caseId }: { caseId: number }) {
  const { session } = useSession();
  const [data, setData] = useState<CaseContacts | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setData(null);
    setError(null);
  }, [caseId]);
  const role = session?.user?.role;
  if (!role || !CONTACT_ROLES.includes(role)) return null;
  const show = async () => {
    setBusy(true);
    try {
      setData(await call(v1.cases[':id'].contact.$get({ param: { id: String(caseId) } })));
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section data-testid="contact-panel">
      <h3>诉求人联系方式</h3>
      {!data && (
        <p>
          <button onClick={() => void show()} disabled={busy} data-testid="show-contact">显示联系方式</button>{' '}
          <span className="muted small">查看将记入审计日志</span>
        </p>
      )}
      {error && <p className="error">{error}</p>}
      {data && (
        <ul className="contacts">
          {data.contacts.map((p) => (
            <li key={p.messageId} data-testid="contact">
              <b>{p.name ?? '（未留姓名）'}</b>{' '}
              {p.phone ? <a href={`tel:${p.phone.replace(/[^\d+]/g, '')}`} className="mono">{p.phone}</a> : <span className="muted">无电话</span>}
              {p.handle && <span className="muted"> · {p.handle}</span>}
              {p.address && <div className="small">{p.address}</div>}
              <div className="small muted">{CHANNEL_LABELS[p.channel] ?? p.channel} · <span className="mono">{p.trackingNo}</span></div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
