// 员工登录: name and password (the session lives in an HttpOnly cookie); in a demo installation the
// public demo accounts are listed, and a click logs in as one.
import { useState } from 'react';
import { messageOf } from '../api';
import { ROLE_LABELS } from '../labels';
import { useT } from '../i18n';
import { useSession } from '../session';

export function LoginPage({ next = '#/queue' }: { next?: string }) {
  const { t } = useT();
  const { session, login } = useSession();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (n: string, p: string) => {
    setBusy(true);
    setError(null);
    try {
      await login(n, p);
      setPassword('');
      window.location.hash = next;
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const demo = session?.demo;
  return (
    <div className="card narrow">
      <h2>{t('员工登录')}</h2>
      {session?.user && <p className="muted">已登录为 {session.user.displayName}。</p>}
      <form className="form" onSubmit={(e) => { e.preventDefault(); void submit(name, password); }}>
        <label>
          {t('用户名')}
          <input name="name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} />
        </label>
        <label>
          {t('密码')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required maxLength={200} />
        </label>
        <button type="submit" disabled={busy}>{t('登录')}</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {demo?.enabled && (
        <div className="demo-accounts">
          <h3>{t('演示账号')}</h3>
          <p className="muted small">本系统载入了演示数据，以下演示账号是公开的（密码与用户名相同），点击即可登录。</p>
          <ul>
            {demo.accounts.map((a) => (
              <li key={a.name}>
                <button className="link" onClick={() => void submit(a.name, a.password)} data-account={a.name}>
                  <code>{a.name}</code>
                </button>
                <span className="muted"> {a.departmentName ?? ROLE_LABELS[a.role]}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
