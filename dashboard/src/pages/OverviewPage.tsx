// 总览: the live state (open, overdue, for review, waiting messages) and the period's counts, with the
// cockpit's shared period and filters; every chart exports CSV and PNG.
import { call, v1 } from '../api';
import { ChartCard } from '../charts/ChartCard';
import { CountBarChart } from '../charts/CountBarChart';
import { DailyTrendChart } from '../charts/DailyTrendChart';
import { StatsFilterBar, filterKey, statsQuery, useStatsFilter } from '../charts/filters';
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

type Slice = { name: string; value: number };
const sliceCsv: [string, (r: Slice) => string | number][] = [['类别', (r) => r.name], ['数量', (r) => r.value]];
type Count = { name: string; count: number };
const countCsv: [string, (r: Count) => string | number][] = [['类别', (r) => r.name], ['数量', (r) => r.count]];

export function OverviewPage() {
  const { t } = useT();
  const [filter, setFilter] = useStatsFilter(30);
  const { data, error } = usePoll(() => call(v1.stats.overview.$get({ query: statsQuery(filter) })), 10_000, [filterKey(filter)]);
  const period = `${filter.from} 至 ${filter.to}`;
  const file = (name: string) => `${name}_${filter.from}_${filter.to}`;
  const channels: Slice[] = data ? Object.entries(data.messages.periodByChannel).map(([k, v]) => ({ name: CHANNEL_LABELS[k] ?? k, value: v })) : [];
  // fixed order so each slice keeps its colour: negative red, neutral grey, positive green
  const sentiment: Slice[] = data
    ? ['negative', 'neutral', 'positive', 'unknown'].filter((k) => data.cases.sentiment[k]).map((k) => ({ name: SENTIMENT_LABELS[k], value: data.cases.sentiment[k] }))
    : [];
  const categories: Count[] = (data?.cases.byCategory ?? []).map((c) => ({ name: c.category, count: c.count }));
  const districts: Count[] = (data?.cases.byDistrict ?? []).map((c) => ({ name: c.district, count: c.count }));
  return (
    <div>
      <div className="page-head">
        <h2>{t('总览')}</h2>
        <button type="button" className="no-print" onClick={() => window.print()}>打印 / 导出 PDF</button>
      </div>
      <StatsFilterBar value={filter} onChange={setFilter} />
      {error && <p className="error" data-testid="stats-error">{data ? '刷新失败' : '加载失败'}：{error}</p>}
      {!data ? (
        !error && <p className="muted">加载中…</p>
      ) : (
        <>
          <section className="kpis">
            <Kpi label="留言总数" value={data.messages.periodTotal} />
            <Kpi label="今日留言" value={data.messages.today} />
            <Kpi label="本期工单" value={data.cases.total} />
            <Kpi label="在办工单" value={data.cases.open} />
            <Kpi label="超期工单" value={data.cases.overdue} tone={data.cases.overdue ? 'bad' : undefined} />
            <Kpi label="待人工复核" value={data.cases.needsReview} tone={data.cases.needsReview ? 'warn' : undefined} />
            <Kpi label="待处理留言" value={data.messages.pending} />
          </section>
          <section className="grid">
            <ChartCard wide title={t('每日趋势')} note={period} file={file('每日趋势')} testId="daily-trend" rows={data.daily}
              columns={[['日期', (d) => d.day], ['留言', (d) => d.messages], ['工单', (d) => d.cases], ['负面工单', (d) => d.negative]]}>
              <DailyTrendChart data={data.daily} />
            </ChartCard>
            <ChartCard title={t('诉求分类')} note={period} file={file('诉求分类')} testId="by-category" rows={categories} columns={countCsv}>
              <CountBarChart data={categories} />
            </ChartCard>
            <ChartCard title={t('区县分布')} note={period} file={file('区县分布')} testId="by-district" rows={districts} columns={countCsv}>
              <CountBarChart data={districts} color="#16a34a" />
            </ChartCard>
            <ChartCard title={t('渠道来源')} note={period} file={file('渠道来源')} testId="by-channel" rows={channels} columns={sliceCsv}>
              <SharePieChart data={channels} />
            </ChartCard>
            <ChartCard title={t('情感倾向')} note={period} file={file('情感倾向')} testId="by-sentiment" rows={sentiment} columns={sliceCsv}>
              <SharePieChart data={sentiment} colors={['#dc2626', '#64748b', '#16a34a', '#94a3b8']} />
            </ChartCard>
          </section>
        </>
      )}
    </div>
  );
}
