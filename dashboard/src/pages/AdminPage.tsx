// 系统管理 (admins): staff accounts (add, disable/enable, reset password), API tokens for
// integrations (made, shown once, revoked) and the audit trail, searchable and paged.
import { useEffect, useState, type FormEvent } from 'react';
import { call, messageOf, v1, type ApiTokenItem, type AuditItem, type NewAccount, type StaffAccount } from '../api';
import { fmtTime } from '../format';
import { AUDIT_ACTION_LABELS, AUDIT_DETAIL_LABELS, AUDIT_GROUP_LABELS, CASE_ACTION_LABELS, ROLE_LABELS, SCOPE_LABELS } from '../labels';
import { useSession } from '../session';

const ROLES = ['admin', 'centre', 'department', 'leader'] as const;
const SCOPES = ['read', 'write', 'admin'] as const;

function Users({ onChange }: { onChange: () => void }) {
  const { session, departmentName } = useSession();
  const [items, setItems] = useState<StaffAccount[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [form, setForm] = useState<NewAccount>({ name: '', displayName: '', role: 'centre', departmentCode: null, password: '' });
  const load = () => call(v1.admin.users.$get()).then((r) => setItems(r.items), (e: unknown) => setError(messageOf(e)));
  useEffect(() => void load(), []);
  const run = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      setNotice(done);
      setError(null);
      await load();
      onChange();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await call(v1.admin.users.$post({ json: { ...form, departmentCode: form.role === 'department' ? form.departmentCode : null } }));
      setForm({ ...form, name: '', displayName: '', password: '' });
    }, `已创建 ${form.name}`);
  };
  const reset = (u: StaffAccount) =>
    run(async () => {
      const r = await call(v1.admin.users[':id']['reset-password'].$post({ param: { id: String(u.id) }, json: {} }));
      if ('password' in r && r.password) setNotice(`${u.username} 的新密码（仅显示一次）：${r.password}`);
    }, `${u.username} 的密码已重置`);
  return (
    <section className="card wide" data-testid="admin-users">
      <h3>用户</h3>
      {error && <p className="error" role="alert">{error}</p>}
      {notice && <p className="advice" data-testid="admin-notice">{notice}</p>}
      <div className="table-scroll">
        <table className="ranking">
          <thead><tr><th>用户名</th><th>姓名</th><th>角色</th><th>单位</th><th>状态</th><th>最近登录</th><th /></tr></thead>
          <tbody>
            {items.map((u) => (
              <tr key={u.id} data-user={u.username}>
                <td className="mono">{u.username}</td>
                <td>{u.displayName}</td>
                <td>{ROLE_LABELS[u.role] ?? u.role}</td>
                <td>{departmentName(u.departmentCode)}</td>
                <td>{!u.active ? '已停用' : u.lockedUntil && new Date(u.lockedUntil) > new Date() ? '已锁定' : u.hasPassword ? '正常' : '仅令牌'}</td>
                <td>{u.lastLoginAt ? fmtTime(u.lastLoginAt) : '—'}</td>
                <td>
                  {u.active ? (
                    <button className="link" disabled={u.id === session?.user?.id} onClick={() => void run(() => call(v1.admin.users[':id'].disable.$post({ param: { id: String(u.id) } })), `已停用 ${u.username}`)}>停用</button>
                  ) : (
                    <button className="link" onClick={() => void run(() => call(v1.admin.users[':id'].enable.$post({ param: { id: String(u.id) } })), `已启用 ${u.username}`)}>启用</button>
                  )}{' '}
                  <button className="link" onClick={() => void reset(u)}>重置密码</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="form inline" onSubmit={add} data-testid="add-user">
        <h4>新建用户</h4>
        <label>用户名<input name="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required /></label>
        <label>姓名<input name="displayName" value={form.displayName ?? ''} onChange={(e) => setForm({ ...form, displayName: e.target.value })} /></label>
        <label>角色
          <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: ROLES.find((r) => r === e.target.value) ?? 'centre' })}>
            {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
          </select>
        </label>
        {form.role === 'department' && (
          <label>单位
            <select name="departmentCode" value={form.departmentCode ?? ''} onChange={(e) => setForm({ ...form, departmentCode: e.target.value || null })} required>
              <option value="">请选择</option>
              {session?.reference.departments.filter((d) => d.kind !== 'centre').map((d) => <option key={d.code} value={d.code}>{d.shortName}</option>)}
            </select>
          </label>
        )}
        <label>初始密码<input name="password" type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required minLength={8} /></label>
        <button type="submit">创建</button>
      </form>
    </section>
  );
}

function Tokens({ users }: { users: number }) {
  const [items, setItems] = useState<ApiTokenItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<string | null>(null);
  const [user, setUser] = useState('');
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<(typeof SCOPES)[number][]>(['read']);
  const [days, setDays] = useState('90');
  const load = () => call(v1.admin.tokens.$get()).then((r) => setItems(r.items), (e: unknown) => setError(messageOf(e)));
  useEffect(() => void load(), [users]);
  const add = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const r = await call(v1.admin.tokens.$post({ json: { user, name, scopes, expiresInDays: days ? Number(days) : null } }));
      setMade(r.token);
      setError(null);
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const revoke = async (id: number) => {
    try {
      await call(v1.admin.tokens[':id'].revoke.$post({ param: { id: String(id) } }));
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <section className="card wide" data-testid="admin-tokens">
      <h3>接口令牌</h3>
      {error && <p className="error" role="alert">{error}</p>}
      {made && <p className="advice">新令牌（仅显示一次，请妥善保存）：<code data-testid="new-token">{made}</code></p>}
      <div className="table-scroll">
        <table className="ranking">
          <thead><tr><th>#</th><th>用户</th><th>用途</th><th>权限</th><th>有效期至</th><th>最近使用</th><th /></tr></thead>
          <tbody>
            {items.map((t) => (
              <tr key={t.id}>
                <td>{t.id}</td><td className="mono">{t.username}</td><td>{t.name === 'default' ? '默认（账号自带）' : t.name}</td><td>{t.scopes.map((x) => SCOPE_LABELS[x] ?? x).join('、')}</td>
                <td>{t.expiresAt ? fmtTime(t.expiresAt) : '长期'}</td><td>{t.lastUsedAt ? fmtTime(t.lastUsedAt) : '—'}</td>
                <td>{t.revokedAt ? <span className="muted">已吊销</span> : <button className="link" onClick={() => void revoke(t.id)}>吊销</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="form inline" onSubmit={(e) => void add(e)}>
        <h4>新建令牌</h4>
        <label>所属用户<input value={user} onChange={(e) => setUser(e.target.value)} required /></label>
        <label>用途<input value={name} onChange={(e) => setName(e.target.value)} required /></label>
        <fieldset>
          <legend>权限</legend>
          {SCOPES.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} /> {SCOPE_LABELS[s]}
            </label>
          ))}
        </fieldset>
        <label>有效天数<input type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} /></label>
        <button type="submit">生成</button>
      </form>
    </section>
  );
}

/** the action in words: a case action by its own name (派单, 签收…) */
function actionLabel(a: AuditItem): string {
  const d = (a.detail ?? {}) as Record<string, unknown>;
  if (a.action === 'case.action' && typeof d.action === 'string') return `工单操作：${CASE_ACTION_LABELS[d.action] ?? d.action}`;
  if (a.action === 'staff.request' && typeof d.path === 'string') return pathLabel(d.path) ?? '其他操作';
  return AUDIT_ACTION_LABELS[a.action] ?? a.action;
}

/** the row's detail as 字段：值 pairs in Chinese (role and scope codes named; the API path kept as the address) */
/** the staff requests the trail records as 其他操作, by their address */
const PATH_LABELS: [RegExp, string][] = [
  [/^\/api\/v1\/topics\/\d+\/instructions$/, '话题批示'], [/^\/api\/v1\/topics\/instructions\/\d+\/answer$/, '答复话题批示'],
  [/^\/api\/v1\/cases\/bulk\/dispatch$/, '批量派单'], [/^\/api\/v1\/alerts\/\d+\/ack$/, '确认预警'], [/^\/api\/v1\/alert-rules/, '修改预警规则'],
  [/^\/api\/v1\/reports/, '生成舆情报告'], [/^\/api\/v1\/messages\/\d+\/retry$/, '重试处理失败的留言'], [/^\/api\/v1\/auth\/password$/, '修改密码'],
];
/** what a request did, in words (its address is kept for the tooltip) */
function pathLabel(path: string): string | null {
  return PATH_LABELS.find(([re]) => re.test(path))?.[1] ?? null;
}

function detailText(detail: unknown): string {
  if (!detail || typeof detail !== 'object') return '—';
  const d = detail as Record<string, unknown>;
  // the request itself (method, address, 200) says nothing the 操作 column does not: only an unknown address is named
  const rest = Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'method' && k !== 'status' && k !== 'path'));
  detail = rest;
  const value = (k: string, v: unknown): string => {
    if (k === 'action' && typeof v === 'string') return CASE_ACTION_LABELS[v] ?? v;
    if (k === 'role' && typeof v === 'string') return ROLE_LABELS[v] ?? v;
    if (k === 'scopes' && Array.isArray(v)) return v.map((x) => SCOPE_LABELS[String(x)] ?? String(x)).join('、');
    if (k === 'reason' && v === 'bad_credentials') return '用户名或密码错误';
    if (k === 'reason' && v === 'locked') return '账号已锁定';
    if (k === 'via') return v === 'token' ? '令牌' : v === 'session' ? '登录会话' : String(v);
    if (k === 'fields' && Array.isArray(v)) return v.map((x) => ({ name: '姓名', phone: '电话', handle: '账号', address: '地址' })[String(x)] ?? String(x)).join('、');
    if (Array.isArray(v)) return v.map(String).join('、');
    return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  };
  const parts = Object.entries(detail as Record<string, unknown>).filter(([k, v]) => v !== null && v !== undefined && k !== 'sessionId')
    .map(([k, v]) => `${AUDIT_DETAIL_LABELS[k] ?? k}：${value(k, v)}`);
  return parts.length ? parts.join('；') : '—';
}

const dayStart = (d: string) => (d ? new Date(`${d}T00:00:00+08:00`).toISOString() : undefined);

function Audit({ refresh }: { refresh: number }) {
  const [filter, setFilter] = useState({ actor: '', action: '', caseId: '', from: '', to: '' });
  const [items, setItems] = useState<AuditItem[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = (before?: number) => ({
    ...(filter.actor ? { actor: filter.actor } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.caseId ? { caseId: filter.caseId } : {}),
    ...(filter.from ? { from: dayStart(filter.from) } : {}),
    ...(filter.to ? { to: new Date(new Date(dayStart(filter.to)!).getTime() + 86_400_000).toISOString() } : {}),
    limit: '50',
    ...(before ? { before: String(before) } : {}),
  });
  const load = async (before?: number) => {
    try {
      const r = await call(v1.admin.audit.$get({ query: query(before) }));
      setItems(before ? [...items, ...r.items] : r.items);
      setNext(r.next);
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  useEffect(() => void load(), [refresh]);
  const field = (k: keyof typeof filter, label: string, type = 'text') => (
    <label>{label}<input name={k} type={type} value={filter[k]} onChange={(e) => setFilter({ ...filter, [k]: e.target.value })} /></label>
  );
  return (
    <section className="card wide" data-testid="admin-audit">
      <h3>审计日志</h3>
      <form className="form inline" onSubmit={(e) => { e.preventDefault(); void load(); }}>
        {field('actor', '操作人')}
        <label>操作
          <select name="action" value={filter.action} onChange={(e) => setFilter({ ...filter, action: e.target.value })}>
            <option value="">全部操作</option>
            {Object.entries(AUDIT_GROUP_LABELS).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
            {Object.entries(AUDIT_ACTION_LABELS).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
          </select>
        </label>
        {field('caseId', '工单编号', 'number')}
        {field('from', '起', 'date')}
        {field('to', '止', 'date')}
        <button type="submit">查询</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="table-scroll">
        <table className="ranking">
          <thead><tr><th>时间</th><th>操作人</th><th>角色</th><th>操作</th><th>工单</th><th>地址</th><th>请求编号</th><th>详情</th></tr></thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-action={a.action}>
                <td>{fmtTime(a.at)}</td><td className="mono">{a.actor}</td><td>{a.actorRole ? ROLE_LABELS[a.actorRole] ?? a.actorRole : '—'}</td>
                <td title={a.action}>{actionLabel(a)}</td><td>{a.caseId ?? '—'}</td><td className="mono">{a.ip ?? '—'}</td>
                <td className="mono small">{a.requestId?.slice(0, 8) ?? '—'}</td><td className="small" title={typeof (a.detail as Record<string, unknown> | null)?.path === 'string' ? String((a.detail as Record<string, unknown>).path) : undefined}>{detailText(a.detail)}</td>
              </tr>
            ))}
            {!items.length && <tr><td colSpan={8} className="muted empty">没有记录</td></tr>}
          </tbody>
        </table>
      </div>
      {next && <button onClick={() => void load(next)}>更多</button>}
    </section>
  );
}

export function AdminPage() {
  const [changes, setChanges] = useState(0);
  return (
    <div className="admin">
      <div className="page-head"><h2>系统管理</h2></div>
      <Users onChange={() => setChanges((n) => n + 1)} />
      <Tokens users={changes} />
      <Audit refresh={changes} />
    </div>
  );
}
