// What staff see of an alert: its rule, topic, evidence and where its deliveries stand.
import type { Db } from '../db/connect';
import { listTopicsByIds } from '../db/topics';
import { ackAlertRow, getAlertRow, listAlertOutbox, listAlertRows, listDeliveryAttempts, type AlertRow } from '../db/alerts';
import { remaskEvidenceList } from './evaluate';

export interface AlertView {
  id: number;
  title: string;
  rule: { id: number; name: string };
  scopeKey: string;
  district: string | null;
  /** the topic store's topic the alert is about (its label, heat and burst state now) */
  topic: { id: number; label: string; district: string | null; size: number; heat: number; burstState: string; status: string } | null;
  openedAt: Date;
  lastTrueAt: Date;
  endedAt: Date | null;
  /** 持续中 while the episode is open, 已平息 after its quiet period */
  state: 'open' | 'ended';
  evidence: Record<string, unknown>;
  ack: { at: Date; by: string; note: string | null } | null;
  deliveries: { channel: string; status: string; attempts: number; lastError: string | null; tries: { attempt: number; at: Date; ok: boolean; statusCode: number | null; error: string | null }[] }[];
}

async function views(sql: Db, rows: AlertRow[]): Promise<AlertView[]> {
  const ids = rows.map((r) => r.id);
  const outbox = await listAlertOutbox(sql, ids);
  const tries = await listDeliveryAttempts(sql, ids);
  // the quoted messages masked with today's masking (an alert stored by an older version, a message anonymised since), as the webhook and e-mail send them
  const evidence = await remaskEvidenceList(sql, rows.map((r) => r.evidence));
  const topics = new Map(
    (await listTopicsByIds(sql, [...new Set(rows.map((r) => r.topicId).filter((t): t is number => t !== null))])).map((t) => [
      Number(t.id),
      { id: Number(t.id), label: t.label, district: t.district, size: t.size, heat: t.heat, burstState: t.burstState, status: t.status },
    ]),
  );
  return rows.map((a, i) => ({
    id: a.id,
    title: a.title,
    rule: { id: a.ruleId, name: a.ruleName },
    scopeKey: a.scopeKey,
    district: a.district,
    topic: a.topicId === null ? null : (topics.get(a.topicId) ?? null),
    openedAt: a.openedAt,
    lastTrueAt: a.lastTrueAt,
    endedAt: a.endedAt,
    state: a.endedAt ? 'ended' : 'open',
    evidence: evidence[i],
    ack: a.ackedAt ? { at: a.ackedAt, by: a.ackedBy ?? '', note: a.ackNote } : null,
    deliveries: outbox
      .filter((o) => o.alertId === a.id)
      .map((o) => ({
        ...o,
        tries: tries
          .filter((t) => t.alertId === a.id && `alert-${t.target}` === o.channel)
          .map((t) => ({ attempt: t.attempt, at: t.at, ok: t.ok, statusCode: t.statusCode, error: t.error })),
      })),
  }));
}

export async function listAlerts(
  sql: Db, o: { limit: number; offset: number; unacked?: boolean; from?: Date; to?: Date; district?: string; category?: string; channel?: string },
): Promise<{ total: number; alerts: AlertView[] }> {
  const { rows, total } = await listAlertRows(sql, o);
  return { total, alerts: await views(sql, rows) };
}

export async function getAlert(sql: Db, id: number): Promise<AlertView | undefined> {
  const row = await getAlertRow(sql, id);
  return row ? (await views(sql, [row]))[0] : undefined;
}

/** Acknowledges an alert (确认); a second acknowledgement keeps the first. */
export async function ackAlert(sql: Db, id: number, by: string, note: string | null, at: Date): Promise<{ alert: AlertView; acked: boolean } | undefined> {
  const acked = await ackAlertRow(sql, id, by, note, at);
  const alert = await getAlert(sql, id);
  return alert ? { alert, acked } : undefined;
}
