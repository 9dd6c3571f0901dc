import { call, v1 } from '../api';
import { CountBarChart } from '../charts/CountBarChart';
import { DailyTrendChart } from '../charts/DailyTrendChart';
import { SharePieChart } from '../charts/SharePieChart';
import { CHANNEL_LABELS, SENTIMENT_LABELS } from '../labels';
import { useT } from '../i18n';
import { usePoll } from '../usePoll';

function Kpi({ label, value, tone }: { label: string; value: number | string; tone?: 'warn' | 'bad' }) {
  const { t } = useT();
  return (
    <div className={`kpi ${tone ?? ''}`} data-testid={`kpi-${label}`}>
      <div className="kpi-value">{value}</div>
      <div className="kpi-label">{t(label)}</div>
    </div>
  );
}

export function OverviewPage() {
  const { t } = useT();
  const { data, error } = usePoll(() => call(v1.stats.overview.$get({ query: {} })), 5000);
  if (!data) return <p className="muted">{error ? `加载失败：${error}` : '加载中…'}</p>;
  const channels = Object.entries(data.messages.byChannel).map(([k, v]) => ({ name: CHANNEL_LABELS[k] ?? k, value: v }));
  // fixed order so each slice keeps its colour: negative red, neutral grey, positive green
  const sentiment = ['negative', 'neutral', 'positive', 'unknown']
    .filter((k) => data.cases.sentiment[k])
    .map((k) => ({ name: SENTIMENT_LABELS[k], value: data.cases.sentiment[k] }));
  return (
    <div>
      {error && <p className="error">刷新失败：{error}</p>}
      <section className="kpis">
        <Kpi label="留言总数" value={data.messages.total} />
        <Kpi label="今日留言" value={data.messages.today} />
        <Kpi label="在办工单" value={data.cases.open} />
        <Kpi label="超期工单" value={data.cases.overdue} tone={data.cases.overdue ? 'bad' : undefined} />
        <Kpi label="待人工复核" value={data.cases.needsReview} tone={data.cases.needsReview ? 'warn' : undefined} />
        <Kpi label="待处理留言" value={data.messages.pending} />
      </section>
      <section className="grid">
        <div className="card wide">
          <h3>{t('近30天趋势')}</h3>
          <DailyTrendChart data={data.daily} />
        </div>
        <div className="card">
          <h3>{t('诉求分类')}</h3>
          <CountBarChart data={data.cases.byCategory.map((c) => ({ name: c.category, count: c.count }))} />
        </div>
        <div className="card">
          <h3>{t('区县分布')}</h3>
          <CountBarChart data={data.cases.byDistrict.map((c) => ({ name: c.district, count: c.count }))} color="#16a34a" />
        </div>
        <div className="card">
          <h3>{t('渠道来源')}</h3>
          <SharePieChart data={channels} />
        </div>
        <div className="card">
          <h3>{t('情感倾向')}</h3>
          <SharePieChart data={sentiment} colors={['#dc2626', '#64748b', '#16a34a', '#94a3b8']} />
        </div>
      </section>
    </div>
  );
}
