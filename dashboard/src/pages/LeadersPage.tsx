// 领导驾驶舱: 三率 and on-time rate with numerator/denominator, department ranking with volume
// beside every rate, the negative share over 30 days, and hot topics with bursts. Public aggregates.
import { useState } from 'react';
import { call, v1, type DepartmentRanking, type Rate } from '../api';
import { NegativeShareChart } from '../charts/NegativeShareChart';
import { TopicVolumeChart } from '../charts/TopicVolumeChart';
import { pct } from '../format';
import { useT } from '../i18n';
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
          <td className={`num ${d.overdueOpen ? 'late' : ''}`}>{d.overdueOpen}</td>
        </tr>
      ))}
    </>
  );
}

export function LeadersPage() {
  const { t } = useT();
  const [days, setDays] = useState(30);
  const [rankBy, setRankBy] = useState<DepartmentRanking['rankBy']>('onTime');
  const [topicDays, setTopicDays] = useState(7);
  const metrics = usePoll(() => call(v1.stats.metrics.$get({ query: { days: String(days) } })), 60_000, [days]);
  const ranking = usePoll(() => call(v1.stats.departments.$get({ query: { days: String(days), rankBy } })), 60_000, [days, rankBy]);
  const overview = usePoll(() => call(v1.stats.overview.$get({ query: {} })), 60_000);
  const topics = usePoll(() => call(v1.stats.topics.$get({ query: { days: String(topicDays), limit: '10' } })), 60_000, [topicDays]);
  const m = metrics.data;
  const trend = (overview.data?.daily ?? []).map((d) => ({ day: d.day, cases: d.cases, share: d.cases ? d.negative / d.cases : null }));
  const headers = ['排名', '承办单位', '办件量', '响应率', '按时办结率', '满意率', '参评率', '解决率', '超期在办'];

  return (
    <div className="leaders">
      <div className="page-head">
        <h2>{t('领导驾驶舱')}</h2>
        <div className="tabs">
          {[7, 30, 90].map((d) => (
            <button key={d} className={d === days ? 'active' : ''} onClick={() => setDays(d)}>近{d}天</button>
          ))}
        </div>
      </div>
      {metrics.error && <p className="error">{t('加载失败')}：{metrics.error}</p>}
      {m && (
        <section className="kpis rates" data-testid="rates">
          <RateCard testId="rate-response" label={t('响应率')} rate={m.response} note="按时首次响应 / 响应时限已到的工单" />
          <RateCard testId="rate-resolution" label={t('解决率')} rate={m.resolution} note="市民认为已解决 / 参评工单" />
          <RateCard testId="rate-satisfaction" label={t('满意率')} rate={m.satisfaction} note={`${t('参评率')} ${pct(m.satisfaction.ratedShare)}（${m.satisfaction.rated}/${m.satisfaction.closed} 已办结）`} />
          <RateCard testId="rate-ontime" label={t('按时办结率')} rate={m.onTime} note="按时答复 / 已答复或已到期的工单" />
          <div className="kpi">
            <div className="kpi-value">{m.volume}</div>
            <div className="kpi-label">{t('办件量')}</div>
            <div className={`kpi-note ${m.overdueOpen ? 'late' : ''}`}>超期在办 {m.overdueOpen} 件</div>
          </div>
        </section>
      )}

      <section className="grid">
        <div className="card wide">
          <div className="card-head">
            <h3>{t('部门排名')}</h3>
            <label className="small">排序
              <select value={rankBy} onChange={(e) => setRankBy(RANK_BY.find(([k]) => k === e.target.value)?.[0] ?? 'onTime')}>
                {RANK_BY.map(([k, label]) => <option key={k} value={k}>{label}</option>)}
              </select>
            </label>
          </div>
          {ranking.data && (
            <div className="table-scroll">
              <table className="ranking" data-testid="ranking">
                <thead><tr>{headers.map((h) => <th key={h}>{t(h)}</th>)}</tr></thead>
                <tbody>
                  <DeptRows rows={ranking.data.ranked} ranked />
                  {!ranking.data.ranked.length && (
                    <tr><td colSpan={headers.length} className="muted empty">本期没有办件量达到 {ranking.data.minVolume} 件的单位，暂不排名</td></tr>
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
        </div>

        <div className="card">
          <h3>{t('情感趋势')} <small className="muted">近30天每日负面工单占比</small></h3>
          <NegativeShareChart data={trend} />
        </div>

        <div className="card" data-testid="hot-topics">
          <div className="card-head">
            <h3>{t('热点')}</h3>
            <div className="tabs small-tabs">
              {[7, 30].map((d) => (
                <button key={d} className={d === topicDays ? 'active' : ''} onClick={() => setTopicDays(d)}>近{d}天</button>
              ))}
            </div>
          </div>
          {topics.data && topics.data.topics.length > 0 ? (
            <>
              <TopicVolumeChart data={topics.data.topics.map((x) => ({ name: `${x.district ?? '区县未识别'}·${x.keyword}`, volume: x.volume, previous: x.previous }))} />
              <ol className="topics">
                {topics.data.topics.map((x) => (
                  <li key={x.key}>
                    <b>{x.district ?? '区县未识别'} · {x.keywords.join(' / ')}</b>
                    {x.burst && <span className="tag bad">突增</span>}
                    <span className="muted small">
                      {' '}{x.volume} 条（上期 {x.previous}{x.growth !== null ? `，${x.growth >= 0 ? '+' : ''}${Math.round(x.growth * 100)}%` : ''}）· {x.cases} 件工单，在办 {x.open} · 负面 {pct(x.negativeShare, 0)}{x.topCategory ? ` · ${x.topCategory}` : ''}
                    </span>
                    <div className="small sample">“{x.sampleTitle}”</div>
                  </li>
                ))}
              </ol>
            </>
          ) : (
            <p className="muted">{topics.data ? '该时段没有形成热点。' : t('加载中')}</p>
          )}
        </div>
      </section>
      <p className="muted small definitions">
        口径：响应率 = 在响应时限内首次实质响应的工单 ÷ 响应时限已到的工单（未响应的超期工单计为未按时）；按时办结率 = 按时答复 ÷ 已答复或办结时限已到的工单；
        满意率 =（满意 + 基本满意）÷ 实际参评工单，旁列参评率；解决率 = 市民认为已解决 ÷ 参评工单。排名只含办件量不少于 {ranking.data?.minVolume ?? 20} 件的单位。
      </p>
    </div>
  );
}
