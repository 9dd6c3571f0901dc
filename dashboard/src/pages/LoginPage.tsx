// 员工登录: paste the bearer token; in a demo installation the public demo tokens are listed.
import { useState } from 'react';
import { messageOf } from '../api';
import { ROLE_LABELS } from '../labels';
import { useT } from '../i18n';
import { useSession } from '../session';

export function LoginPage({ next = '#/queue' }: { next?: string }) {
  const { t } = useT();
  const { session, login } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (value: string) => {
    setBusy(true);
    setError(null);
    try {
      await login(value);
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
      <form className="form" onSubmit={(e) => { e.preventDefault(); void submit(token); }}>
        <label>
          {t('令牌')} (API token)
          <input name="token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} placeholder="粘贴您的访问令牌" required minLength={6} />
        </label>
        <button type="submit" disabled={busy}>{t('登录')}</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {demo?.enabled && (
        <div className="demo-accounts">
          <h3>{t('演示账号')}</h3>
          <p className="muted small">本系统载入了演示数据，以下演示令牌是公开的，点击即可登录。</p>
          <ul>
            {demo.accounts.map((a) => (
              <li key={a.token}>
                <button className="link" onClick={() => void submit(a.token)} data-token={a.token}>
                  <code>{a.token}</code>
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
