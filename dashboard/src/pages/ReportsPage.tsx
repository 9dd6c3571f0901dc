// 舆情日报 / 周报: the kept reports, newest first; each shown as its own HTML page (in a sandboxed
// frame: no scripts, nothing to reach out to) and downloadable as its A4 PDF.
import { useState } from 'react';
import type { InferResponseType } from 'hono/client';
import { call, messageOf, v1 } from '../api';
import { fmtTime } from '../format';
import { useT } from '../i18n';
import { useSession } from '../session';
import { usePoll } from '../usePoll';

type ReportList = InferResponseType<typeof v1.reports.$get, 200>;
type Report = ReportList['reports'][number];

async function fetchFile(file: string): Promise<Response> {
  const res = await v1.reports[':file'].$get({ param: { file } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  }
  return res as unknown as Response;
}

export function ReportsPage() {
  // the command that makes a report by hand is for whoever runs the server
  const isAdmin = useSession().session?.user?.role === 'admin';
  const { t } = useT();
  const [kind, setKind] = useState<'' | 'daily' | 'weekly'>('');
  const [shown, setShown] = useState<{ report: Report; html: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { data, error: loadError } = usePoll(() => call(v1.reports.$get({ query: { limit: '60', ...(kind ? { kind } : {}) } })), 60_000, [kind]);
  const view = async (r: Report) => {
    setError(null);
    try {
      setShown({ report: r, html: await (await fetchFile(`${r.id}.html`)).text() });
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const download = async (r: Report) => {
    setError(null);
    try {
      const blob = await (await fetchFile(`${r.id}.pdf`)).blob();
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${r.kind === 'daily' ? '舆情日报' : '舆情周报'}-${r.periodStart}.pdf`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <div>
      <h2>{t('舆情报告')} {data && <small className="muted">{t('共')} {data.total} {t('份')}</small>}</h2>
      <div className="tabs">
        {(['', 'daily', 'weekly'] as const).map((k) => (
          <button key={k || 'all'} className={kind === k ? 'primary' : ''} onClick={() => setKind(k)}>{k === 'daily' ? t('日报') : k === 'weekly' ? t('周报') : t('全部')}</button>
        ))}
      </div>
      <p className="muted small wrap-anywhere">日报每天凌晨生成前一天的，周报每周一生成上一周的{isAdmin ? <>；系统管理员也可在服务器上运行命令 <code>npm run cli -- report make --kind daily --date 年-月-日</code> 随时生成</> : ''}。</p>
      {(loadError || error) && <p className="error" role="alert">{loadError ?? error}</p>}
      <table className="ranking report-list" data-testid="report-list">
        <thead><tr><th>{t('报告')}</th><th>{t('时段起')}</th><th>{t('生成时间')}</th><th></th></tr></thead>
        <tbody>
          {data?.reports.map((r) => (
            <tr key={r.id} data-testid="report-row">
              <td className="report-title">{r.title}</td>
              <td data-label={t('时段起')}>{r.periodStart}</td>
              <td data-label={t('生成时间')}>{fmtTime(r.madeAt)}</td>
              <td className="actions-row">
                <button onClick={() => void view(r)}>{t('查看')}</button>
                <button onClick={() => void download(r)}>PDF</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && !data.reports.length && <p className="muted">{t('暂无报告')}。</p>}
      {shown && (
        <div className="card" style={{ marginTop: 12 }}>
          <div className="actions-row wrap">
            <b>{shown.report.title}</b>
            <button onClick={() => void download(shown.report)}>{t('下载 PDF')}</button>
            <button onClick={() => setShown(null)}>{t('关闭')}</button>
          </div>
          <iframe title={shown.report.title} sandbox="" srcDoc={shown.html} style={{ width: '100%', height: '80vh', border: '1px solid #e5e7eb', background: '#fff' }} data-testid="report-frame" />
        </div>
      )}
    </div>
  );
}
