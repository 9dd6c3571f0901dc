// 舆情预警: the alerts opened in the chosen period newest first — of a district, and with messages of a
// category or a channel in their window — each with its rule, topic and evidence (masked messages,
// counts over time) and where its webhook / e-mail deliveries stand; staff acknowledge them (确认).
// The period and filters are the cockpit's (useStatsFilter: kept for the browser session, as on 总览
// and 领导驾驶舱), which GET /api/v1/alerts takes.
import { useState } from 'react';
import type { InferResponseType } from 'hono/client';
import { call, messageOf, v1 } from '../api';
import { AlertSeriesChart } from '../charts/AlertSeriesChart';
import { StatsFilterBar, filterKey, statsQuery, useStatsFilter } from '../charts/filters';
import { fmtTime, pct } from '../format';
import { useT } from '../i18n';
import { CHANNEL_LABELS, SENTIMENT_LABELS } from '../labels';
import { useSession } from '../session';
import { usePoll } from '../usePoll';

type AlertList = InferResponseType<typeof v1.alerts.$get, 200>;
type Alert = AlertList['alerts'][number];
interface Evidence {
  count: number;
  windowMinutes: number;
  negativeShare: number;
  channels: Record<string, number>;
  /** absent on alerts stored before 0115 quoted no message */
  categories?: Record<string, number>;
  series: { from: string; count: number }[];
  topMessages: { id: number; receivedAt: string; channel: string; district: string | null; sentiment: string | null; text: string }[];
}

const DELIVERY_LABELS: Record<string, string> = { 'alert-webhook': 'Webhook', 'alert-email': '邮件' };
const DELIVERY_STATUS: Record<string, string> = { pending: '待发送', sending: '发送中', sent: '已送达', failed: '失败', skipped: '跳过' };

function AlertCard({ alert, canAck, onDone }: { alert: Alert; canAck: boolean; onDone: () => void }) {
  const { t } = useT();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const e = alert.evidence as unknown as Evidence;
  const windowStart = e.series.length ? e.series.length / 2 : 0;
  const series = e.series.map((s, i) => ({ label: fmtTime(s.from).slice(-5), count: s.count, inWindow: i >= windowStart }));
  const ack = async () => {
    setBusy(true);
    setError(null);
    try {
      await call(v1.alerts[':id'].ack.$post({ param: { id: String(alert.id) }, json: note.trim() ? { note: note.trim() } : {} }));
      onDone();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card triage-item" data-testid="alert-item">
      <div className="small muted">
        #{alert.id} · {t('规则')}：{alert.rule.name} · {fmtTime(alert.openedAt)} · {alert.state === 'open' ? <span className="late">{t('持续中')}</span> : t('已平息')}
        {alert.topic && <> · {t('话题')}：{alert.topic.label || `#${alert.topic.id}`}（{t('热度')} {Math.round(alert.topic.heat)}{alert.topic.burstState === 'burst' ? ' · 突增' : ''}）</>}
      </div>
      <b>{alert.title}</b>
      <p className="small">
        {e.windowMinutes} 分钟内 {e.count} 条 · 负面 {pct(e.negativeShare, 0)} · {Object.entries(e.channels).map(([c, n]) => `${CHANNEL_LABELS[c] ?? c} ${n}`).join('，')}
        {e.categories && Object.keys(e.categories).length > 0 && <> · {Object.entries(e.categories).sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c === 'unknown' ? '未分类' : c} ${n}`).join('，')}</>}
      </p>
      <AlertSeriesChart data={series} />
      <ol className="topics small">
        {e.topMessages.map((m) => (
          <li key={m.id}>
            <span className="muted">{fmtTime(m.receivedAt)} · {CHANNEL_LABELS[m.channel] ?? m.channel} · {SENTIMENT_LABELS[m.sentiment ?? 'unknown'] ?? m.sentiment}</span> {m.text}
          </li>
        ))}
      </ol>
      <p className="small muted">
        {t('推送')}：{alert.deliveries.length ? alert.deliveries.map((d) => `${DELIVERY_LABELS[d.channel] ?? d.channel} ${DELIVERY_STATUS[d.status] ?? d.status}（${d.attempts} 次）${d.lastError ? ` ${d.lastError}` : ''}`).join('；') : '仅看板'}
      </p>
      {alert.ack ? (
        <p className="notice small">{t('已确认')}：{alert.ack.by} · {fmtTime(alert.ack.at)}{alert.ack.note ? ` · ${alert.ack.note}` : ''}</p>
      ) : canAck ? (
        <div className="actions-row">
          <input placeholder={t('处置说明（可选）')} value={note} maxLength={500} onChange={(ev) => setNote(ev.target.value)} />
          <button className="primary" disabled={busy} onClick={() => void ack()} data-testid="alert-ack">{t('确认')}</button>
        </div>
      ) : null}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

export function AlertsPage() {
  const { t } = useT();
  const { session } = useSession();
  const [unacked, setUnacked] = useState(false);
  const [page, setPage] = useState(0);
  const [refresh, setRefresh] = useState(0);
  const [filter, setFilterState] = useStatsFilter(30);
  // an alert is in a category / channel when messages of it are in its window (evidence.categories / channels)
  const { from, to, district, category, channel } = statsQuery(filter);
  const setFilter = (f: typeof filter) => { setFilterState(f); setPage(0); };
  const { data, error } = usePoll(
    () => call(v1.alerts.$get({ query: { limit: '20', offset: String(page * 20), from, to, ...(district ? { district } : {}), ...(category ? { category } : {}), ...(channel ? { channel } : {}), ...(unacked ? { unacked: '1' } : {}) } })),
    15_000,
    [page, unacked, refresh, filterKey(filter)],
  );
  const canAck = session?.user?.role !== 'leader';
  return (
    <div>
      <h2>{t('舆情预警')} {data && <small className="muted">{t('共')} {data.total} {t('条')}</small>}</h2>
      <StatsFilterBar value={filter} onChange={setFilter} />
      <div className="filters">
        <label className="choice"><input type="checkbox" checked={unacked} onChange={(e) => { setUnacked(e.target.checked); setPage(0); }} /> {t('只看未确认')}</label>
        {session?.user?.areas.includes('alertRules') && <a href="#/alert-rules">{t('预警规则')} →</a>}
      </div>
      {error && <p className="error">{t('加载失败')}：{error}</p>}
      {data?.alerts.map((a) => <AlertCard key={`${a.id}-${refresh}`} alert={a} canAck={canAck} onDone={() => setRefresh((n) => n + 1)} />)}
      {data && !data.alerts.length && <p className="muted" data-testid="alerts-empty">{t(unacked ? '所选时段暂无未确认的预警' : '所选时段暂无预警')}。</p>}
      {data && data.total > 20 && (
        <div className="pager">
          <button disabled={page === 0} onClick={() => setPage(page - 1)}>{t('上一页')}</button>
          <span>{page + 1} / {Math.ceil(data.total / 20)}</span>
          <button disabled={(page + 1) * 20 >= data.total} onClick={() => setPage(page + 1)}>{t('下一页')}</button>
        </div>
      )}
    </div>
  );
}
