// 每月一题 on the cockpit: problems that come back week after week in one place, with the weeks
// they were seen and the cases behind them. A department user's list holds only the problems with
// cases of its own department, and says so. The page passes what GET /api/v1/stats/recurring answered.
export interface RecurringItem {
  topicId: number;
  label: string;
  place: string | null;
  district: string | null;
  weeks: number;
  longestRun: number;
  messages: number;
  caseCount: number;
  cases: readonly { caseId: number; trackingNo: string }[];
}

/** the place first, unless the label already names it */
export const recurringTitle = (p: Pick<RecurringItem, 'label' | 'place' | 'district'>): string => {
  const where = p.place ?? p.district;
  return where && !p.label.includes(where) ? `${where} · ${p.label}` : p.label;
};

const SHOWN_CASES = 3;

/** seen in every week looked back on (and so in one run as long as the look-back) */
const everyWeek = (p: Pick<RecurringItem, 'weeks' | 'longestRun'>, lookbackWeeks: number): boolean => p.weeks >= lookbackWeeks && p.longestRun >= p.weeks;

export function RecurringPanel({ items, lookbackWeeks, departmentOnly = false }: { items: readonly RecurringItem[]; lookbackWeeks: number; departmentOnly?: boolean }) {
  const scope = departmentOnly ? <p className="muted small" data-testid="recurring-scope">只列出有本单位工单的问题，所示工单均为本单位的。</p> : null;
  if (!items.length) {
    return (
      <p className="muted" data-testid="recurring-empty">{departmentOnly ? '所选时段没有本单位工单反复出现的问题。' : '所选时段暂无反复出现的问题。'}</p>
    );
  }
  return (
    <>
    {scope}
    <ol className="topics" data-testid="recurring-list">
      {items.map((p) => (
        <li key={p.topicId} data-topic-id={p.topicId}>
          <b>{recurringTitle(p)}</b>
          {p.longestRun >= 3 && !everyWeek(p, lookbackWeeks) && <span className="tag warn">连续 {p.longestRun} 周</span>}
          {/* seen every week looked back on: "连续 4 周" would only say "4 周中有 4 周出现" again, so that is the tag */}
          {everyWeek(p, lookbackWeeks) ? <span className="tag warn">{lookbackWeeks} 周中有 {p.weeks} 周出现</span> : <span className="muted small"> {lookbackWeeks} 周中有 {p.weeks} 周出现</span>}
          <span className="muted small"> · {p.messages} 条留言 · {p.caseCount} 件工单</span>
          {p.cases.length > 0 && (
            <div className="small">
              工单{' '}
              {p.cases.slice(0, SHOWN_CASES).map((c, i) => (
                <span key={c.caseId}>{i > 0 && '、'}<a className="mono" href={`#/queue/${c.caseId}`}>{c.trackingNo}</a></span>
              ))}
              {p.caseCount > SHOWN_CASES && <span className="muted"> 等 {p.caseCount} 件</span>}
            </div>
          )}
        </li>
      ))}
    </ol>
    </>
  );
}
