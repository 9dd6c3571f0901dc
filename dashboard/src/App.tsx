import { useEffect, useState } from 'react';
import { OverviewPage } from './pages/OverviewPage';
import { QueuePage } from './pages/QueuePage';
import { StatusPage } from './pages/StatusPage';

const PAGES = [
  { hash: '#/', label: '总览', component: OverviewPage },
  { hash: '#/queue', label: '工单队列', component: QueuePage },
  { hash: '#/status', label: '进度查询', component: StatusPage },
];

export function App() {
  const [hash, setHash] = useState(() => window.location.hash || '#/');
  useEffect(() => {
    const on = () => setHash(window.location.hash || '#/');
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const page = PAGES.find((p) => p.hash === hash) ?? PAGES[0];
  const Page = page.component;
  return (
    <div className="app">
      <header>
        <h1>民声 <small>芜湖市民诉求办理</small></h1>
        <nav>
          {PAGES.map((p) => (
            <a key={p.hash} href={p.hash} className={p === page ? 'active' : ''}>
              {p.label}
            </a>
          ))}
        </nav>
      </header>
      <main>
        <Page />
      </main>
    </div>
  );
}
