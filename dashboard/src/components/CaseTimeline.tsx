// The case's event history: received, dispatched, accepted, returned, 催办, 超期, 督办, replies, ratings.
import { z } from 'zod';
import type { CaseEvent } from '../api';
import { fmtTime } from '../format';
import { DEADLINE_LABELS, EVENT_LABELS, EVENT_TONE, TIMER_DEADLINE_LABELS } from '../labels';
import { useSession } from '../session';

// a correction's record of what changed (core/cases/corrections.ts)
const changedSchema = z.record(z.string(), z.object({ from: z.string().nullable(), to: z.string() }));

// a recount on the official holiday calendar: the dues before and after (core/cases/recompute-deadlines.ts)
const duesSchema = z.record(z.string(), z.object({ due: z.string() }));

function recounted(d: Record<string, unknown>): string {
  const before = duesSchema.catch({}).parse(d.before);
  const after = duesSchema.catch({}).parse(d.after);
  const moved = Object.keys(after).filter((k) => before[k] && before[k].due !== after[k].due);
  if (!moved.length) return '时限不变';
  return moved.map((k) => `${DEADLINE_LABELS[k] ?? k} ${fmtTime(before[k].due)} → ${fmtTime(after[k].due)}`).join('，');
}

function detailOf(e: CaseEvent, dept: (c: string | null) => string): string {
  // event data is free-form per event type: each value is narrowed before use
  const d = e.data ?? {};
  const s = (k: string) => {
    const v = d[k];
    return typeof v === 'string' ? v : null;
  };
  switch (e.type) {
    case 'dispatched': case 'designated': case 'overridden':
      return [dept(s('departmentId') ?? s('department')), s('reason')].filter(Boolean).join('：');
    case 'returned': case 'paused': case 'extension-refused': case 'reply-rejected':
      return s('reason') ?? '';
    case 'extension-requested': case 'extension-approved':
      return [d.workingDays ? `${d.workingDays} 个工作日` : null, s('reason')].filter(Boolean).join('：');
    case 'contacted': case 'resumed':
      return s('note') ?? '';
    case 'rated':
      return [s('rating'), d.resolved === true ? '已解决' : d.resolved === false ? '未解决' : null, s('comment')].filter(Boolean).join(' · ');
    case 'reminded': case 'overdue': case 'escalated':
      return `${TIMER_DEADLINE_LABELS[s('deadline') ?? ''] ?? ''}时限 ${fmtTime(s('dueAt'))}`;
    case 'replied':
      return d.pendingReview === true ? '须经协调中心审核，审核通过后才发给诉求人' : d.late === true ? '超时' : '';
    case 'urged':
      return s('reason') ?? '';
    case 'assigned':
      return s('assignee') ?? '';
    case 'photos-added':
      return typeof d.count === 'number' ? `${d.count} 张` : '';
    case 'awaiting-dispatch':
      return s('reason') ?? '';
    case 'merged':
      return d.intoCaseId ? `并入工单 #${d.intoCaseId}` : d.confidence ? `相似度 ${Math.round(Number(d.confidence) * 100)}%` : '';
    case 'deadlines-recomputed':
      return recounted(d);
    case 'relabelled':
      return Object.entries(changedSchema.catch({}).parse(d.changed)).map(([k, v]) => `${k}: ${v.from ?? '—'} → ${v.to}`).join('，');
    default:
      return d.late === true ? '超时' : '';
  }
}

const ACTOR: Record<string, string> = { system: '系统', centre: '协调中心', department: '承办单位', resident: '市民', staff: '工作人员', leader: '领导' };

export function CaseTimeline({ events }: { events: CaseEvent[] }) {
  const { departmentName } = useSession();
  return (
    <ol className="timeline" data-testid="case-timeline">
      {events.map((e) => (
        <li key={e.id} className={EVENT_TONE[e.type] ?? ''}>
          <span className="when">{fmtTime(e.at)}</span>
          <b>{EVENT_LABELS[e.type] ?? e.type}</b>
          <span className="muted small"> {ACTOR[e.actorKind] ?? e.actorKind}{e.actorId?.startsWith('staff:') ? `（${e.actorId.slice(6)}）` : ''}</span>
          {detailOf(e, departmentName) && <div className="small">{detailOf(e, departmentName)}</div>}
        </li>
      ))}
    </ol>
  );
}
