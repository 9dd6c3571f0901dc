// One case in a drawer: masked text of every message on it, deadlines and SLA timers, the event
// timeline, and the actions the server says the logged-in user may take now. After an action the
// answer's own list is shown at once; a case the user may no longer see (a department's 退单) is not
// reloaded: the drawer says where it went instead.
import { useEffect, useState } from 'react';
import { call, messageOf, v1, type ActionOutcome, type AllowedAction, type CaseDetail } from '../api';
import { countdown, fmtTime } from '../format';
import { useT } from '../i18n';
import { CHANNEL_LABELS, DEADLINE_LABELS, SENTIMENT_LABELS, STATUS_LABELS, TIMER_DEADLINE_LABELS, TIMER_LABELS, URGENCY_LABELS } from '../labels';
import { useSession } from '../session';
import { CaseActions, postAction } from './CaseActions';
import { CaseNotes } from './CaseNotes';
import { CaseTimeline } from './CaseTimeline';
import { ContactPanel } from './ContactPanel';
import { CasePhotos } from './CasePhotos';
import { SaveAsEntry } from './KbPanel';

function basis(d: { unit: string; amount: number }): string {
  return d.unit === 'hours' ? `${d.amount} 小时` : `${d.amount} 个工作日`;
}

export function CaseDrawer({ caseId, onClose, onChanged }: { caseId: number; onClose: () => void; onChanged: () => void }) {
  const { t } = useT();
  const { session, departmentName } = useSession();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [actions, setActions] = useState<AllowedAction[]>([]);
  const [gone, setGone] = useState<ActionOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    call(v1.cases[':id'].$get({ param: { id: String(caseId) } })).then(
      (d) => { setDetail(d); setActions(d.actions); setError(null); },
      (e: unknown) => { setDetail(null); setActions([]); setError(messageOf(e)); },
    );
  const acted = (outcome: ActionOutcome) => {
    setActions(outcome.actions);
    onChanged();
    if (outcome.visible) void load();
    else setGone(outcome); // the heading stays; the body says where the case went
  };
  useEffect(() => {
    setDetail(null);
    setGone(null);
    void load();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [caseId]);

  const c = detail?.case;
  const open = c ? (session?.reference.openStatuses ?? []).includes(c.status) : false;
  return (
    <div className="drawer-backdrop" onClick={onClose}>
      <aside className="drawer" onClick={(e) => e.stopPropagation()} aria-label="工单详情" data-testid="case-drawer">
        <div className="drawer-head">
          <div>
            <div className="mono muted">{c?.trackingNo} · #{caseId}</div>
            <h2>{c ? c.title ?? c.summary.slice(0, 40) : t('加载中')}</h2>
          </div>
          <button className="close" onClick={onClose} aria-label={t('关闭')}>×</button>
        </div>
        {error && <p className="error">{error}</p>}
        {gone && (
          <div className="drawer-body" data-testid="case-gone">
            {'status' in gone && <span className={`status s-${gone.status}`} data-testid="case-status">{STATUS_LABELS[gone.status] ?? gone.status}</span>}
            <p>工单已交回协调中心，不再由本单位办理。</p>
          </div>
        )}
        {c && detail && !gone && (
          <div className="drawer-body">
            <div className="tags">
              <span className={`status s-${c.status}`} data-testid="case-status">{STATUS_LABELS[c.status] ?? c.status}</span>
              {c.urgency === 'urgent' && <span className="tag bad">{URGENCY_LABELS.urgent}</span>}
              {c.overdue && open && <span className="tag bad">超期</span>}
              {c.escalatedAt && open && <span className="tag bad">督办</span>}
              {c.needsReview && <span className="tag warn">待复核</span>}
              {c.returnCount > 0 && <span className="tag warn">退单 {c.returnCount} 次</span>}
              {c.reopenCount > 0 && <span className="tag warn">重办 {c.reopenCount} 次</span>}
              {detail.lifecycle.pendingExtension && <span className="tag warn">延期待批 {detail.lifecycle.pendingExtension.workingDays} 个工作日</span>}
              {c.replyPending && <span className="tag warn" data-testid="reply-pending">答复待审核</span>}
              {detail.openInstructions > 0 && <span className="tag bad">领导批示待答复</span>}
              {detail.provisionalNote && <span className="tag warn">暂定</span>}
            </div>
            <dl className="facts">
              <dt>{t('承办单位')}</dt><dd>{c.departmentCode ? departmentName(c.departmentCode) : '待派单'}</dd>
              {c.assignee && <><dt>经办人</dt><dd data-testid="assignee">{c.assignee}</dd></>}
              <dt>{t('分类')}</dt><dd>{c.category ?? '—'} · {c.requestType ?? '—'}</dd>
              <dt>{t('情感')}</dt><dd>{SENTIMENT_LABELS[c.sentiment ?? 'unknown'] ?? c.sentiment}</dd>
              <dt>{t('地址')}</dt><dd>{[c.district, c.street].filter(Boolean).join(' ') || '—'}{c.address ? `（${c.address}）` : ''}</dd>
              <dt>{t('渠道')}</dt><dd>{CHANNEL_LABELS[c.channel] ?? c.channel} · {fmtTime(c.createdAt)}</dd>
            </dl>

            {detail.suggestions.length > 0 && <Suggestions detail={detail} actions={actions} onDone={acted} />}

            <section>
              <h3>{t('办理时限')}</h3>
              {detail.dispatchDeadline && (() => {
                // 待派单: the centre's own clock (from receipt, or from the 退单)
                const cd = countdown(detail.dispatchDeadline.due);
                return (
                  <p data-testid="dispatch-deadline">
                    <b>派单时限</b> {fmtTime(detail.dispatchDeadline.due)} <span className="muted">（{basis(detail.dispatchDeadline)}{c.status === 'returned' ? '，自退单起算' : '，自受理起算'}）</span>{' '}
                    <span className={cd.late ? 'late' : cd.soon ? 'soon' : ''}>{cd.text}</span>
                  </p>
                );
              })()}
              {!detail.deadlines && <p className="muted small">{c.status === 'returned' ? '承办单位的时限随退单结束；重新派单后重新计时。' : '尚未派单，派单后开始计时。'}</p>}
              <ul className="deadlines">
                {(['acceptance', 'response', 'resolution'] as const).map((k) => {
                  const d = detail.deadlines?.[k];
                  if (!d) return null;
                  const done = k === 'acceptance' ? !!c.acceptedAt || !open : k === 'response' ? !!c.firstResponseAt || !open : !open;
                  const cd = countdown(d.due);
                  return (
                    <li key={k}>
                      <b>{DEADLINE_LABELS[k]}</b> {fmtTime(d.due)} <span className="muted">（{basis(d)}）</span>{' '}
                      {d.provisionalYears && <span className="tag warn" title={detail.provisionalNote ?? undefined}>暂定</span>}{' '}
                      {done ? <span className="muted">已完成</span> : <span className={cd.late ? 'late' : cd.soon ? 'soon' : ''}>{cd.text}</span>}
                    </li>
                  );
                })}
              </ul>
              {detail.provisionalNote && <p className="advice warn small" data-testid="provisional-note">{detail.provisionalNote}</p>}
              {detail.timers.length > 0 && (
                <p className="small muted timers" title="✓ 已触发；橙色为待触发">
                  {detail.timers.map((tm) => (
                    <span key={tm.id} className={`timer ${tm.state}`}>
                      {TIMER_DEADLINE_LABELS[tm.deadline] ?? tm.deadline}{TIMER_LABELS[tm.kind] ?? tm.kind} {fmtTime(tm.fireAt).slice(5)}{tm.state === 'fired' ? ' ✓' : ''}
                    </span>
                  ))}
                </p>
              )}
            </section>

            <section>
              <h3>{t('留言内容')}（{detail.messages.length}）</h3>
              {detail.messages.map((m, i) => (
                <div key={m.id} className="message" data-testid="case-message">
                  <div className="small muted">
                    {i === 0 ? '首条' : '合并'} · {CHANNEL_LABELS[m.channel] ?? m.channel} · <span className="mono">{m.trackingNo}</span> · {fmtTime(m.receivedAt)}
                  </div>
                  {m.title && <b>{m.title}</b>}
                  <p>{m.text}</p>
                </div>
              ))}
              <CasePhotos caseId={caseId} />
            </section>

            {c.replyText && (
              <section>
                <h3>{t('答复')}</h3>
                {c.replyPending && <p className="advice warn small">此答复须经协调中心审核，审核通过后才发给诉求人。</p>}
                <p className="reply">{c.replyText}</p>
                {c.rating && <p><b>回访评价：</b>{c.rating}</p>}
                {!c.replyPending && session?.user && session.user.role !== 'leader' && <SaveAsEntry key={caseId} caseId={caseId} />}
              </section>
            )}

            <ContactPanel caseId={caseId} />

            <CaseActions detail={detail} actions={actions} onDone={acted} />

            <CaseNotes notes={detail.notes} />

            <section>
              <h3>{t('办理记录')}</h3>
              <CaseTimeline events={detail.events} />
            </section>
          </div>
        )}
      </aside>
    </div>
  );
}

/** 待派单: the routing table's suggestions and why; one click dispatches (or designates, when only the centre may) to one. */
function Suggestions({ detail, actions, onDone }: { detail: CaseDetail; actions: AllowedAction[]; onDone: (o: ActionOutcome) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // the action the server offers for sending the case to a department: 派单, else 指定承办
  const send = actions.find((a) => a.key === 'dispatch') ?? actions.find((a) => a.key === 'designate');
  const go = async (department: string) => {
    if (!send) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await postAction(detail, send, { departmentId: department }));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section data-testid="suggestions">
      <h3>建议承办单位</h3>
      {detail.lifecycle.returnCount > 0 && <p className="small muted">已退单 {detail.lifecycle.returnCount} 次{detail.lifecycle.awaitingDesignation ? '，须由协调中心指定承办' : ''}。</p>}
      <ul className="suggestions">
        {detail.suggestions.map((s) => (
          <li key={s.department} data-department={s.department}>
            <b>{s.name}</b> {s.returnedBefore && <span className="tag warn">曾退回</span>}
            <div className="small muted">{s.reason}</div>
            {send && <button className="primary small" disabled={busy} data-suggest={s.department} onClick={() => void go(s.department)}>{send.label}至{s.name}</button>}
          </li>
        ))}
      </ul>
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}
