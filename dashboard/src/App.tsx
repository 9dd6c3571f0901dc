import { useEffect, useState, type ComponentType } from 'react';
import type { StaffArea } from './api';
import { LangProvider, useT } from './i18n';
import { ROLE_LABELS } from './labels';
import { AdminPage } from './pages/AdminPage';
import { AlertRulesPage } from './pages/AlertRulesPage';
import { AlertsPage } from './pages/AlertsPage';
import { BoardPage } from './pages/BoardPage';
import { FailedPage } from './pages/FailedPage';
import { KbPage } from './pages/KbPage';
import { LeadersPage } from './pages/LeadersPage';
import { LoginPage } from './pages/LoginPage';
import { OverviewPage } from './pages/OverviewPage';
import { QueuePage } from './pages/QueuePage';
import { ReportsPage } from './pages/ReportsPage';
import { StatusPage } from './pages/StatusPage';
import { SubmitPage } from './pages/SubmitPage';
import { TriagePage } from './pages/TriagePage';
import { SessionProvider, useSession } from './session';

interface PageDef {
  path: string;
  label: string;
  component: ComponentType<{ params: string[] }>;
  /** the staff area it shows (the session lists the user's areas); absent: everyone */
  area?: StaffArea;
}

const PAGES: PageDef[] = [
  { path: '', label: '总览', component: OverviewPage },
  { path: 'queue', label: '工单队列', component: QueuePage, area: 'cases' },
  { path: 'triage', label: '人工复核', component: TriagePage, area: 'triage' },
  { path: 'failed', label: '处理失败', component: FailedPage, area: 'triage' },
  { path: 'kb', label: '知识库', component: KbPage, area: 'cases' },
  { path: 'leaders', label: '领导驾驶舱', component: LeadersPage },
  { path: 'alerts', label: '舆情预警', component: AlertsPage, area: 'alerts' },
  { path: 'alert-rules', label: '预警规则', component: AlertRulesPage, area: 'alertRules' },
  { path: 'reports', label: '舆情报告', component: ReportsPage, area: 'reports' },
  { path: 'status', label: '进度查询', component: StatusPage },
  { path: 'submit', label: '我要留言', component: SubmitPage },
  { path: 'admin', label: '系统管理', component: AdminPage, area: 'admin' },
  { path: 'board', label: '公开留言选登', component: BoardPage },
];

function useHashPath(): string[] {
  const read = () => window.location.hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean);
  const [parts, setParts] = useState(read);
  useEffect(() => {
    const on = () => setParts(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return parts;
}

function Shell() {
  const { t, lang, setLang } = useT();
  const { session, logout } = useSession();
  const [first = '', ...params] = useHashPath();
  const user = session?.user ?? null;
  const visible = PAGES.filter((p) => !p.area || (user && user.areas.includes(p.area)));
  const page = PAGES.find((p) => p.path === first);
  let body;
  if (first === 'login') body = <LoginPage />;
  else if (!page) body = <OverviewPage />;
  else if (page.area && !session) body = <p className="muted">{t('加载中')}</p>;
  else if (page.area && !user) body = <LoginPage next={`#/${first}`} />;
  else if (page.area && user && !user.areas.includes(page.area)) body = <p className="error">当前账号无权查看此页</p>;
  else body = <page.component params={params} />;
  return (
    <div className="app">
      <header>
        <a className="brand" href="#/">
          民声 <small>{t('芜湖市民诉求办理')}</small>
        </a>
        <nav>
          {visible.map((p) => (
            <a key={p.path} href={`#/${p.path}`} className={p === page || (!page && p.path === '' && first !== 'login') ? 'active' : ''}>
              {t(p.label)}
            </a>
          ))}
        </nav>
        <div className="who">
          <button className="link" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="lang-toggle">
            {lang === 'zh' ? 'EN' : '中文'}
          </button>
          {user ? (
            <>
              <span className="user" title={ROLE_LABELS[user.role]} data-testid="current-user">{user.displayName}</span>
              <button className="link" onClick={() => { void logout().then(() => { window.location.hash = '#/'; }); }}>{t('退出')}</button>
            </>
          ) : (
            <a href="#/login">{t('员工登录')}</a>
          )}
        </div>
      </header>
      <main>{body}</main>
    </div>
  );
}

export function App() {
  return (
    <LangProvider>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </LangProvider>
  );
}
