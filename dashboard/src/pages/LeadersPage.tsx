// 领导驾驶舱: one period and district / category / channel filters for every figure on the page —
// 三率 with numerator/denominator, the department ranking, response and resolution times per
// department (staff), the sentiment trend, hot topics and their trend, 每月一题 (recurring problems)
// and alerts. 热点, 话题趋势 and 每月一题 are cut by all three on the server, from the topic rollups
// (a card whose figures could not be cut by a chosen filter would say so with <FilterNote>).
// Every chart exports CSV and PNG; the page prints on A4 (styles.css, @media print).
import { useState } from 'react';
import { call, v1, type DepartmentRanking, type Rate } from '../api';
import { AlertsPanel } from '../charts/AlertsPanel';
import { ChartCard } from '../charts/ChartCard';
import type { CsvColumn } from '../charts/export';
import { StatsFilterBar, addDays, filterKey, presetOf, spanDays, statsQuery, todayLocal, useStatsFilter } from '../charts/filters';
import { RecurringPanel, recurringTitle } from '../charts/RecurringPanel';
import { SentimentTrendChart } from '../charts/SentimentTrendChart';
import { ServiceTimeChart } from '../charts/ServiceTimeChart';
import { TopicTrendChart } from '../charts/TopicTrendChart';
import { TopicVolumeChart } from '../charts/TopicVolumeChart';
import { pct } from '../format';
import { CHANNEL_LABELS } from '../labels';
import { useT } from '../i18n';
import { useSession } from '../session';
import { TopicInstructionPanel } from '../components/TopicInstructions';
import { usePoll } from '../usePoll';

function RateCard({ label, rate, note, testId }: { label: string; rate: Rate; note?: string; testId: string }) {
  const tone = rate.rate === null ? '' : rate.rate >= 0.9 ? 'good' : rate.rate >= 0.7 ? '' : 'bad';
  return (
    <div className={`kpi rate ${tone}`} data-testid={testId}>
      <div className="kpi-value">{pct(rate.rate)}</div>
      <div className="kpi-label">{label}</div>
      <div className="kpi-frac">{rate.numerator} / {rate.denominator}</div>
      {note && <div className="kpi-note">{note}</div>}
    </div>
  );
}

function RateCell({ r }: { r: Rate }) {
  return <td className="num">{pct(r.rate)} <span className="muted small">{r.numerator}/{r.denominator}</span></td>;
}

/** the orders the API ranks by (its type checks the keys), with their labels */
const RANK_BY: [DepartmentRanking['rankBy'], string][] = [['onTime', '按时办结率'], ['response', '响应率'], ['satisfaction', '满意率']];

type DeptRow = DepartmentRanking['ranked'][number] | (DepartmentRanking['belowMinimum'][number] & { rank?: undefined });

function DeptRows({ rows, ranked }: { rows: DeptRow[]; ranked: boolean }) {
  return (
    <>
      {rows.map((d) => (
        <tr key={d.department}>
          <td>{ranked ? d.rank : '—'}</td>
          <td>{d.name ?? d.department}</td>
          <td className="num">{d.volume}</td>
          <RateCell r={d.response} />
          <RateCell r={d.onTime} />
          <RateCell r={d.satisfaction} />
          <td className="num">{pct(d.satisfaction.ratedShare, 0)}</td>
          <RateCell r={d.resolution} />
        </tr>
      ))}
    </>
  );
}

const rateCsv = (label: string, get: (d: DeptRow) => Rate): CsvColumn<DeptRow>[] => [
  [label, (d) => get(d).rate], [`${label}分子`, (d) => get(d).numerator], [`${label}分母`, (d) => get(d).denominator],
];

const hours = (min: number | null) => (min === null ? null : Math.round((min / 60) * 10) / 10);

/** who may see per-department service times and 超期在办 (the API's SERVICE_TIMES_ROLES) */
const SERVICE_TIME_ROLES = ['admin', 'centre', 'leader'];

/** 每月一题 looks back a month at least, whatever the period */
const RECURRING_MIN_WEEKS = 4;

export function LeadersPage() {
  const { t } = useT();
  const { session } = useSession();
  const [filter, setFilter] = useStatsFilter(30);
  const [rankBy, setRankBy] = useState<DepartmentRanking['rankBy']>('onTime');
  const [timeKind, setTimeKind] = useState<'response' | 'resolution'>('resolution');
  // the hot topic whose 批示 are open below it (staff; leaders give one there)
  const [instructing, setInstructing] = useState<number | null>(null);
  const q = statsQuery(filter);
  const key = filterKey(filter);
  const metrics = usePoll(() => call(v1.stats.metrics.$get({ query: q })), 60_000, [key]);
  const overview = usePoll(() => call(v1.stats.overview.$get({ query: q })), 60_000, [key]);
  const user = session?.user ?? null;
  // the per-department ranking (超期在办 by office) is for staff: the public sees the city's figures only
  const ranking = usePoll(() => (user ? call(v1.stats.departments.$get({ query: { ...q, rankBy } })) : Promise.resolve(null)), 60_000, [key, rankBy, user?.username ?? '']);
  // 舆情预警: the newest alerts opened in the period, of the district, with messages of the category /
  // channel in their window (GET /api/v1/alerts, staff)
  const alertsQuery = { limit: '8', from: q.from, to: q.to, ...(q.district ? { district: q.district } : {}), ...(q.category ? { category: q.category } : {}), ...(q.channel ? { channel: q.channel } : {}) };
  const alerts = usePoll(() => (user ? call(v1.alerts.$get({ query: alertsQuery })) : Promise.resolve(null)), 60_000, [key, user?.username ?? '']);
  // 每月一题: problems seen week after week up to the period's end, over the period's weeks but a month
  // at least (a problem needs weeks to come back in: a 7-day period alone could never show one)
  const recurringWeeks = Math.min(104, Math.max(RECURRING_MIN_WEEKS, Math.ceil(spanDays(filter) / 7)));
  // the topic reads take the page's district, channel and category (a week of a problem counts with messages of them)
  const topicFilter = { ...(q.district ? { district: q.district } : {}), ...(q.category ? { category: q.category } : {}), ...(q.channel ? { channel: q.channel } : {}) };
  const recurring = usePoll(
    () => (user ? call(v1.stats.recurring.$get({ query: { to: q.to, weeks: String(recurringWeeks), limit: '10', ...topicFilter } })) : Promise.resolve(null)),
    60_000,
    [key, user?.username ?? ''],
  );
  const recurringRows = recurring.data?.problems ?? [];
  const recurringFrom = addDays(filter.to, 1 - recurringWeeks * 7);
  const staffTimes = user !== null && SERVICE_TIME_ROLES.includes(user.role);
  const times = usePoll(
    () => (staffTimes ? call(v1.stats['service-times'].$get({ query: q })) : Promise.resolve(null)),
    60_000,
    [key, staffTimes],
  );
  // 热点 counts the period's whole local days (from–to), as every other figure; the heading names it
  const topicPeriod = statsQuery(filter);
  const preset = presetOf(filter);
  // what the topic cards are cut by, after their period
  const topicScope = [filter.district, filter.category, filter.channel ? CHANNEL_LABELS[filter.channel] ?? filter.channel : ''].filter(Boolean).join(' · ');
  const topicNote = `${preset ? `近${preset}天（${filter.from} 至 ${filter.to}）` : `${filter.from} 至 ${filter.to}`}${topicScope ? ` · ${topicScope}` : ''}`;
  // with a channel or category, each topic counts only those messages and ranks by its heat times their share (README, 领导驾驶舱)
  const topics = usePoll(
    () => call(v1.stats.topics.$get({ query: { from: topicPeriod.from, to: topicPeriod.to, limit: '10', ...topicFilter } })),
    60_000,
    [key],
  );
  const topicRows = topics.data?.topics ?? [];
  // 话题趋势: the five hottest topics' messages per day over the period (GET /api/v1/topics/:id, staff)
  const trendTopics = topicRows.slice(0, 5);
  const detailDays = Math.min(365, Math.max(1, spanDays({ ...filter, to: todayLocal() })));
  const topicTrend = usePoll(
    async () => {
      if (!user || !trendTopics.length) return null;
      const cut = { ...(q.category ? { category: q.category } : {}), ...(q.channel ? { channel: q.channel } : {}) };
      const details = await Promise.all(trendTopics.map((x) => call(v1.topics[':id'].$get({ param: { id: String(x.id) }, query: { days: String(detailDays), ...cut } }))));
      const byDay = details.map((d) => new Map(d.daily.map((p) => [p.day, p.count])));
      const points: Record<string, string | number>[] = [];
      for (let day = filter.from; day <= filter.to; day = addDays(day, 1)) {
        const row: Record<string, string | number> = { day };
        trendTopics.forEach((x, i) => (row[`t${x.id}`] = byDay[i].get(day) ?? 0));
        points.push(row);
      }
      return { series: trendTopics.map((x) => ({ key: `t${x.id}`, label: x.label })), points, filter: key };
    },
    60_000,
    [key, user?.username ?? '', trendTopics.map((x) => x.id).join(',')],
  );
  // the last answer is for these topics, this period and these filters (a refresh for new ones may still be on its way)
  const trendReady = topicTrend.data !== null && topicTrend.data.filter === key && topicTrend.data.series.map((x) => x.key).join() === trendTopics.map((x) => `t${x.id}`).join()
    && topicTrend.data.points[0]?.day === filter.from && topicTrend.data.points.at(-1)?.day === filter.to;
  const m = metrics.data;
  const trend = (overview.data?.daily ?? []).map((d) => ({ ...d, share: d.cases ? d.negative / d.cases : null }));
  const headers = ['排名', '承办单位', '办件量', '响应率', '按时办结率', '满意率', '参评率', '解决率'];
  const rankRows: DeptRow[] = ranking.data ? [...ranking.data.ranked, ...ranking.data.belowMinimum] : [];
  const timeRows = (times.data?.departments ?? []).map((d) => ({
    name: d.name ?? d.department, department: d.department, volume: d.volume, overdueOpen: d.overdueOpen,
    count: d[timeKind].count, median: hours(d[timeKind].medianMinutes), p90: hours(d[timeKind].p90Minutes),
  })).filter((d) => d.count > 0);
  const period = `${filter.from} 至 ${filter.to}`;

  return (
    <div className="leaders">
      <div className="page-head">
        <h2>{t('领导驾驶舱')}</h2>
        <button type="button" className="no-print" onClick={() => window.print()}>打印 / 导出 PDF</button>
      </div>
      <StatsFilterBar value={filter} onChange={setFilter} />
      {(metrics.error || overview.error) && <p className="error" data-testid="stats-error">{t('加载失败')}：{metrics.error ?? overview.error}</p>}
      {m && (
        <section className="kpis rates" data-testid="rates">
          <RateCard testId="rate-response" label={t('响应率')} rate={m.response} note="按时首次响应 / 响应时限已到的工单" />
          <RateCard testId="rate-resolution" label={t('解决率')} rate={m.resolution} note="市民认为已解决 / 参评工单" />
          <RateCard testId="rate-satisfaction" label={t('满意率')} rate={m.satisfaction} note={`${t('参评率')} ${pct(m.satisfaction.ratedShare)}（${m.satisfaction.rated}/${m.satisfaction.closed} 已办结）`} />
          <RateCard testId="rate-ontime" label={t('按时办结率')} rate={m.onTime} note="按时答复 / 已答复或已到期的工单" />
          <div className="kpi" data-testid="kpi-volume">
            <div className="kpi-value">{m.volume}</div>
            <div className="kpi-label">{t('办件量')}</div>
            <div className={`kpi-note ${m.overdueOpen ? 'late' : ''}`}>超期在办 {m.overdueOpen} 件</div>
          </div>
        </section>
      )}

      <section className="grid">
        <ChartCard
          wide title={t('部门排名')} note={period} file={`部门排名_${filter.from}_${filter.to}`} testId="ranking-card" rows={rankRows} png={false}
          columns={[
            ['排名', (d) => d.rank ?? ''], ['承办单位', (d) => d.name ?? d.department], ['办件量', (d) => d.volume],
            ...rateCsv('响应率', (d) => d.response), ...rateCsv('按时办结率', (d) => d.onTime), ...rateCsv('满意率', (d) => d.satisfaction),
            ['参评率', (d) => d.satisfaction.ratedShare], ...rateCsv('解决率', (d) => d.resolution),
          ]}
          actions={
            <label className="small">排序
              <select value={rankBy} onChange={(e) => setRankBy(RANK_BY.find(([k]) => k === e.target.value)?.[0] ?? 'onTime')}>
                {RANK_BY.map(([k, label]) => <option key={k} value={k}>{label}</option>)}
              </select>
            </label>
          }
        >
          {!user && <p className="muted" data-testid="ranking-staff-only">部门排名仅对工作人员开放，请<a href="#/login">登录</a>后查看。</p>}
          {ranking.data && (
            <div className="table-scroll">
              <table className="ranking" data-testid="ranking">
                <thead><tr>{headers.map((h) => <th key={h}>{t(h)}</th>)}</tr></thead>
                <tbody>
                  <DeptRows rows={ranking.data.ranked} ranked />
                  {!ranking.data.ranked.length && (
                    <tr><td colSpan={headers.length} className="muted empty">
                      {ranking.data.belowMinimum.length ? `本期没有办件量达到 ${ranking.data.minVolume} 件的单位，暂不排名` : '所选时段暂无办件。'}
                    </td></tr>
                  )}
                </tbody>
              </table>
              {ranking.data.belowMinimum.length > 0 && (
                <details className="below-min">
                  <summary>{t('样本不足')}：办件量少于 {ranking.data.minVolume} 件的单位（{ranking.data.belowMinimum.length} 个，不参与排名）</summary>
                  <table className="ranking">
                    <thead><tr>{headers.map((h) => <th key={h}>{t(h)}</th>)}</tr></thead>
                    <tbody><DeptRows rows={ranking.data.belowMinimum} ranked={false} /></tbody>
                  </table>
                </details>
              )}
            </div>
          )}
        </ChartCard>

        <ChartCard
          title={timeKind === 'response' ? '响应时长' : '办理时长'} note="中位数与 90% 分位（小时）" file={`${timeKind === 'response' ? '响应时长' : '办理时长'}_${filter.from}_${filter.to}`}
          testId="service-times" rows={timeRows}
          columns={[['承办单位', (d) => d.name], ['办件量', (d) => d.volume], ['已计时工单', (d) => d.count], ['中位数(小时)', (d) => d.median], ['90%分位(小时)', (d) => d.p90], ['超期在办', (d) => d.overdueOpen]]}
          actions={
            <select value={timeKind} onChange={(e) => setTimeKind(e.target.value === 'response' ? 'response' : 'resolution')} aria-label="时长类型">
              <option value="resolution">办理（受理→答复）</option>
              <option value="response">响应（受理→首次响应）</option>
            </select>
          }
        >
          {!staffTimes ? (
            <p className="muted">各单位时长与超期在办仅对工作人员开放，请登录（督办领导、协调中心）。</p>
          ) : times.error ? (
            <p className="error">{times.error}</p>
          ) : timeRows.length ? (
            <>
              <ServiceTimeChart data={timeRows} />
              <p className="muted small">
                全部单位：中位数 {hours(times.data?.all[timeKind].medianMinutes ?? null) ?? '—'} 小时，90% 分位 {hours(times.data?.all[timeKind].p90Minutes ?? null) ?? '—'} 小时（{times.data?.all[timeKind].count ?? 0} 件）·
                超期在办 {times.data?.departments.reduce((a, d) => a + d.overdueOpen, 0) ?? 0} 件
              </p>
            </>
          ) : (
            <p className="muted">{times.data ? '所选时段暂无已计时的工单。' : t('加载中')}</p>
          )}
        </ChartCard>

        <ChartCard
          title={t('情感趋势')} note={`${period} 每日工单情感与负面占比`} file={`情感趋势_${filter.from}_${filter.to}`} testId="sentiment-trend" rows={trend} png={trend.some((d) => d.cases > 0)}
          columns={[['日期', (d) => d.day], ['工单', (d) => d.cases], ['负面', (d) => d.negative], ['中性', (d) => d.neutral], ['正面', (d) => d.positive], ['负面占比', (d) => (d.share === null ? null : Math.round(d.share * 10_000) / 10_000)], ['留言', (d) => d.messages]]}
        >
          {overview.data && !trend.some((d) => d.cases > 0) ? <p className="muted">所选时段暂无数据。</p> : <SentimentTrendChart data={trend} />}
        </ChartCard>

        <ChartCard
          title={t('热点')} note={topicNote} file={`热点_${filter.from}_${filter.to}`} testId="hot-topics" rows={topicRows}
          columns={[['话题', (x) => x.label], ['区县', (x) => x.district ?? '区县未识别'], ['热度', (x) => Math.round(x.heat)], ['本期', (x) => x.volume], ['上期', (x) => x.previous], ['工单', (x) => x.cases], ['在办', (x) => x.open], ['负面占比', (x) => x.negativeShare], ['突增', (x) => (x.burst ? '是' : x.isNew ? '新' : '')]]}
        >
          {topicRows.length > 0 ? (
            <>
              <TopicVolumeChart data={topicRows.map((x) => ({ name: x.label, volume: x.volume, previous: x.previous }))} />
              <ol className="topics">
                {topicRows.map((x) => (
                  <li key={x.key}>
                    <b>{x.label}</b>
                    {x.burst && <span className="tag bad">突增</span>}
                    {!x.burst && x.isNew && <span className="tag">新</span>}
                    <span className="muted small"> 热度 {x.heat.toFixed(0)}{x.share < 1 ? `（话题热度 ${x.topicHeat.toFixed(0)} × 符合筛选的留言占 ${pct(x.share, 0)}）` : ''}</span>
                    <span className="muted small">
                      {' '}{x.volume} 条（上期 {x.previous}{x.growth !== null ? `，${x.growth >= 0 ? '+' : ''}${Math.round(x.growth * 100)}%` : ''}）· {x.cases} 件工单，在办 {x.open} · 负面 {pct(x.negativeShare, 0)}{x.topCategory ? ` · ${x.topCategory}` : ''}
                    </span>
                    <div className="small sample">“{x.sampleTitle}”</div>
                    {user && (
                      <div className="small">
                        <button type="button" className="link" data-topic-instruct={x.id} aria-expanded={instructing === x.id} onClick={() => setInstructing(instructing === x.id ? null : x.id)}>
                          {t(user.role === 'leader' ? '批示' : '查看批示')}
                        </button>
                        {instructing === x.id && <TopicInstructionPanel topicId={x.id} canInstruct={user.role === 'leader'} />}
                      </div>
                    )}
                  </li>
                ))}
              </ol>
            </>
          ) : (
            <p className="muted">{topics.data ? '所选时段暂无热点。' : t('加载中')}</p>
          )}
        </ChartCard>

        <ChartCard
          title="话题趋势" note={`${period}${topicScope ? ` · ${topicScope}` : ''} 每日留言数（前 ${trendTopics.length} 个热点）`} file={`话题趋势_${filter.from}_${filter.to}`} testId="topic-trend"
          rows={trendReady ? topicTrend.data!.points : []}
          columns={[['日期', (r) => r.day], ...(topicTrend.data?.series ?? []).map((x) => [x.label, (r: Record<string, string | number>) => r[x.key]] as CsvColumn<Record<string, string | number>>)]}
        >
          {!user ? (
            <p className="muted">话题趋势含各话题的留言明细来源，仅对工作人员开放，请登录。</p>
          ) : topicTrend.error ? (
            <p className="error">{topicTrend.error}</p>
          ) : trendReady && topicTrend.data ? (
            <TopicTrendChart series={topicTrend.data.series} points={topicTrend.data.points} />
          ) : (
            <p className="muted">{topics.data && !trendTopics.length ? '所选时段暂无热点。' : t('加载中')}</p>
          )}
        </ChartCard>

        <ChartCard
          title="每月一题" note={`近 ${recurringWeeks} 周（${recurringFrom} 至 ${filter.to}）${topicScope ? ` · ${topicScope} · ` : ''}反复出现的问题`} file={`每月一题_${recurringFrom}_${filter.to}`} testId="recurring-card" png={false}
          rows={recurringRows}
          columns={[['问题', (p) => recurringTitle(p)], ['区县', (p) => p.district ?? '区县未识别'], ['出现周数', (p) => p.weeks], ['最长连续周数', (p) => p.longestRun], ['留言', (p) => p.messages], ['工单', (p) => p.caseCount], ['工单编号', (p) => p.cases.map((c) => c.trackingNo).join(' ')]]}
        >
          {!user ? (
            <p className="muted">每月一题列出其背后的工单，仅对工作人员开放，请登录。</p>
          ) : recurring.error ? (
            <p className="error">{recurring.error}</p>
          ) : recurring.data ? (
            <RecurringPanel items={recurringRows} lookbackWeeks={recurringWeeks} departmentOnly={recurring.data.departmentOnly} />
          ) : (
            <p className="muted">{t('加载中')}</p>
          )}
        </ChartCard>

        <div className="card" data-testid="alerts-panel">
          <h3>舆情预警 <small className="muted">{period}{filter.district ? ` · ${filter.district}` : ''}{filter.category ? ` · ${filter.category}` : ''}{filter.channel ? ` · ${CHANNEL_LABELS[filter.channel] ?? filter.channel}` : ''} 发出的预警</small></h3>
          {!user ? (
            <p className="muted">舆情预警仅对工作人员开放，请登录。</p>
          ) : (
            <AlertsPanel
              items={alerts.data ? alerts.data.alerts.map((a) => ({ ...a, openedAt: String(a.openedAt), ack: a.ack ? { by: a.ack.by } : null })) : null}
              error={alerts.error}
            />
          )}
        </div>
      </section>
      <p className="muted small definitions">
        口径：统计时段按北京时间整日计（{period}），工单按受理日归入；响应率 = 在响应时限内首次实质响应的工单 ÷ 响应时限已到的工单（未响应的超期工单计为未按时）；按时办结率 = 按时答复 ÷ 已答复或办结时限已到的工单；
        满意率 =（满意 + 基本满意）÷ 实际参评工单，旁列参评率；解决率 = 市民认为已解决 ÷ 参评工单。排名只含办件量不少于 {ranking.data?.minVolume ?? 20} 件的单位。
        时长为受理至首次响应 / 答复的自然时长，按固定分档统计（误差不超过一档）。
        热点、话题趋势与每月一题按所选渠道、诉求分类（留言的智能分类）只计相应留言；筛选后的热度 = 话题热度 × 本期该话题留言中符合筛选的占比。数据每分钟更新。
      </p>
    </div>
  );
}
