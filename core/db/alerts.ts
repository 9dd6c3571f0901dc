// 舆情预警: alert rules (definition as JSONB), alerts (one row per episode and scope key) and
// the history of each alert's delivery attempts.
import type { Db, Sql } from './connect';
import { insertOutboxRows, type OutboxInput, type OutboxRow } from './outbox';

export interface AlertRuleRow {
  id: number;
  name: string;
  enabled: boolean;
  definition: Record<string, unknown>;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const ruleColumns = (sql: Db) => sql`id, name, enabled, definition, created_by, created_at, updated_at`;

export async function insertAlertRule(sql: Db, r: { name: string; enabled: boolean; definition: object; createdBy: string | null }): Promise<AlertRuleRow> {
  const [row] = await sql<AlertRuleRow[]>`
    INSERT INTO alert_rules (name, enabled, definition, created_by)
    VALUES (${r.name}, ${r.enabled}, ${sql.json(r.definition as never)}, ${r.createdBy})
    RETURNING ${ruleColumns(sql)}`;
  return row;
}

export async function updateAlertRule(sql: Db, id: number, r: { name: string; enabled: boolean; definition: object }): Promise<AlertRuleRow | undefined> {
  const [row] = await sql<AlertRuleRow[]>`
    UPDATE alert_rules SET name = ${r.name}, enabled = ${r.enabled}, definition = ${sql.json(r.definition as never)}, updated_at = now()
    WHERE id = ${id} RETURNING ${ruleColumns(sql)}`;
  return row;
}

export async function deleteAlertRule(sql: Db, id: number): Promise<boolean> {
  const r = await sql`DELETE FROM alert_rules WHERE id = ${id}`;
  return r.count === 1;
}

export async function getAlertRuleRow(sql: Db, id: number): Promise<AlertRuleRow | undefined> {
  const [row] = await sql<AlertRuleRow[]>`SELECT ${ruleColumns(sql)} FROM alert_rules WHERE id = ${id}`;
  return row;
}

export async function listAlertRuleRows(sql: Db, o: { enabledOnly?: boolean } = {}): Promise<AlertRuleRow[]> {
  return o.enabledOnly
    ? sql<AlertRuleRow[]>`SELECT ${ruleColumns(sql)} FROM alert_rules WHERE enabled ORDER BY id`
    : sql<AlertRuleRow[]>`SELECT ${ruleColumns(sql)} FROM alert_rules ORDER BY id`;
}

/** What a rule is matched against: one processed message, its channel, place, category and sentiment. */
export interface AlertSubjectRow {
  id: number;
  receivedAt: Date;
  channel: string;
  title: string | null;
  body: string;
  text: string;
  district: string | null;
  category: string | null;
  sentiment: string | null;
  /** the sender's own details: masked wherever they appear in the evidence, cue word or not */
  contactName: string | null;
  contactPhone: string | null;
  contactHandle: string | null;
  address: string | null;
}

const subjectColumns = (sql: Db) => sql`
  id, received_at, channel, title, body, contact_name, contact_phone, contact_handle, address,
  coalesce(title, '') || ' ' || coalesce(analysis->>'normalizedText', body) AS text,
  analysis->'place'->>'district' AS district,
  nullif(analysis->'category'->>'label', 'unknown') AS category,
  analysis->'sentiment'->>'label' AS sentiment`;

export async function getAlertSubject(sql: Db, messageId: number): Promise<AlertSubjectRow | undefined> {
  const [row] = await sql<AlertSubjectRow[]>`
    SELECT ${subjectColumns(sql)} FROM messages WHERE id = ${messageId} AND state = 'processed'`;
  return row;
}

/** Messages by id, whatever their state (the ones an alert's evidence quotes). */
export async function listAlertSubjectsByIds(sql: Db, ids: number[]): Promise<AlertSubjectRow[]> {
  if (!ids.length) return [];
  return sql<AlertSubjectRow[]>`SELECT ${subjectColumns(sql)} FROM messages WHERE id IN ${sql(ids)}`;
}

/**
 * Processed messages received in [from, to] within a scope (empty lists: any); the keyword groups
 * are applied by the caller. Bounded: a rule this broad is counted on its latest `limit` messages.
 */
export async function listAlertSubjects(
  sql: Db,
  o: { from: Date; to: Date; districts: string[]; categories: string[]; channels: string[]; limit?: number },
): Promise<AlertSubjectRow[]> {
  return sql<AlertSubjectRow[]>`
    SELECT ${subjectColumns(sql)} FROM messages
    WHERE state = 'processed' AND received_at >= ${o.from} AND received_at <= ${o.to}
      ${o.channels.length ? sql`AND channel IN ${sql(o.channels)}` : sql``}
      ${o.districts.length ? sql`AND analysis->'place'->>'district' IN ${sql(o.districts)}` : sql``}
      ${o.categories.length ? sql`AND analysis->'category'->>'label' IN ${sql(o.categories)}` : sql``}
    ORDER BY received_at DESC, id DESC
    LIMIT ${o.limit ?? 5000}`;
}

export interface AlertRow {
  id: number;
  ruleId: number;
  ruleName: string;
  scopeKey: string;
  district: string | null;
  topicId: number | null;
  title: string;
  openedAt: Date;
  lastTrueAt: Date;
  endedAt: Date | null;
  evidence: Record<string, unknown>;
  ackedAt: Date | null;
  ackedBy: string | null;
  ackNote: string | null;
}

const alertColumns = (sql: Db) => sql`
  a.id, a.rule_id, r.name AS rule_name, a.scope_key, a.district, a.topic_id, a.title, a.opened_at, a.last_true_at,
  a.ended_at, a.evidence, a.acked_at, a.acked_by, a.ack_note`;

export interface NewAlert {
  ruleId: number;
  scopeKey: string;
  district: string | null;
  topicId: number | null;
  title: string;
  at: Date;
  evidence: object;
}

/** Opens an episode unless one is open for the rule and scope: the alert when this call opened it. */
export async function openAlertEpisode(sql: Db, a: NewAlert): Promise<{ id: number } | undefined> {
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO alerts (rule_id, scope_key, district, topic_id, title, opened_at, last_true_at, evidence)
    VALUES (${a.ruleId}, ${a.scopeKey}, ${a.district}, ${a.topicId}, ${a.title}, ${a.at}, ${a.at}, ${sql.json(a.evidence as never)})
    ON CONFLICT (rule_id, scope_key) WHERE ended_at IS NULL DO NOTHING
    RETURNING id`;
  return row;
}

/**
 * Opens an episode and stores its outbox rows (the webhook, the e-mail) in one transaction: an
 * alert is never open without its deliveries (a crash in between would otherwise leave it undelivered).
 */
export async function openAlertEpisodeWithOutbox(sql: Db, a: NewAlert, outboxFor: (alertId: number) => OutboxInput[]): Promise<{ id: number; outbox: OutboxRow[] } | undefined> {
  const run = async (tx: Db) => {
    const opened = await openAlertEpisode(tx, a);
    return opened ? { id: opened.id, outbox: await insertOutboxRows(tx, outboxFor(opened.id)) } : undefined;
  };
  if ('savepoint' in sql) return run(sql);
  return (await (sql as Sql).begin((tx) => run(tx))) as { id: number; outbox: OutboxRow[] } | undefined;
}

/** A rule's open alerts that have no outbox row at all (keys as core/alerts/deliver.ts makes them) (opened by an older worker that stopped before queueing them). */
export async function listOpenAlertsWithoutOutbox(sql: Db, ruleId: number): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    SELECT a.id FROM alerts a
    WHERE a.rule_id = ${ruleId} AND a.ended_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.idempotency_key IN ('alert-' || a.id || '-webhook', 'alert-' || a.id || '-email'))
    ORDER BY a.id`;
  return rows.map((r) => Number(r.id));
}

/** The condition still holds: newer evidence and a later last-true time (never earlier: workers run out of order). */
export async function touchAlertEpisode(sql: Db, ruleId: number, scopeKey: string, at: Date, evidence: object, topicId: number | null): Promise<number | undefined> {
  const [row] = await sql<{ id: number }[]>`
    UPDATE alerts SET
      evidence = CASE WHEN ${at} >= last_true_at THEN ${sql.json(evidence as never)} ELSE evidence END,
      topic_id = CASE WHEN ${at} >= last_true_at THEN coalesce(${topicId}, topic_id) ELSE topic_id END,
      last_true_at = greatest(last_true_at, ${at})
    WHERE rule_id = ${ruleId} AND scope_key = ${scopeKey} AND ended_at IS NULL
    RETURNING id`;
  return row?.id;
}

/**
 * The condition holds again at `at` within the quiet period of an episode that has ended (a backlog
 * processed late, after the sweep ended it at the present): the same burst, so that episode opens
 * again, with nothing delivered anew. The episode nearest to `at` whose span of truth, widened by the
 * quiet period, holds `at`; undefined when there is none (or another one is open now).
 */
export async function reopenAlertEpisode(sql: Db, ruleId: number, scopeKey: string, at: Date, quietMs: number, evidence: object, topicId: number | null): Promise<number | undefined> {
  const since = new Date(at.getTime() - quietMs);
  const until = new Date(at.getTime() + quietMs);
  try {
    const [row] = await sql<{ id: number }[]>`
      UPDATE alerts SET
        ended_at = NULL,
        evidence = CASE WHEN ${at} >= last_true_at THEN ${sql.json(evidence as never)} ELSE evidence END,
        topic_id = CASE WHEN ${at} >= last_true_at THEN coalesce(${topicId}, topic_id) ELSE topic_id END,
        last_true_at = greatest(last_true_at, ${at})
      WHERE id = (
        SELECT id FROM alerts
        WHERE rule_id = ${ruleId} AND scope_key = ${scopeKey} AND ended_at IS NOT NULL
          AND last_true_at >= ${since} AND opened_at <= ${until}
        ORDER BY last_true_at DESC, id DESC LIMIT 1)
      AND NOT EXISTS (SELECT 1 FROM alerts o WHERE o.rule_id = ${ruleId} AND o.scope_key = ${scopeKey} AND o.ended_at IS NULL)
      RETURNING id`;
    return row?.id;
  } catch (err) {
    // another worker opened or reopened one a moment ago (the one-open-episode index): the caller touches it
    if ((err as { code?: string }).code === '23505') return undefined;
    throw err;
  }
}

export async function listOpenAlertKeys(sql: Db, ruleId: number): Promise<{ id: number; scopeKey: string; lastTrueAt: Date }[]> {
  return sql<{ id: number; scopeKey: string; lastTrueAt: Date }[]>`
    SELECT id, scope_key, last_true_at FROM alerts WHERE rule_id = ${ruleId} AND ended_at IS NULL`;
}

/** Ends the episode if the condition has not held since `quietSince`. */
export async function endAlertEpisode(sql: Db, id: number, endedAt: Date, quietSince: Date): Promise<boolean> {
  const r = await sql`UPDATE alerts SET ended_at = ${endedAt} WHERE id = ${id} AND ended_at IS NULL AND last_true_at < ${quietSince}`;
  return r.count === 1;
}

export async function getAlertRow(sql: Db, id: number): Promise<AlertRow | undefined> {
  const [row] = await sql<AlertRow[]>`SELECT ${alertColumns(sql)} FROM alerts a JOIN alert_rules r ON r.id = a.rule_id WHERE a.id = ${id}`;
  return row;
}

/** The district filter's name for "no district" (the cockpit's 未识别: city-wide alerts and unplaced ones). */
export const NO_DISTRICT = '未识别';

/**
 * Newest first; optionally only unacknowledged ones, those opened in [from, to), those of one
 * district (`NO_DISTRICT`: those with none).
 */
export async function listAlertRows(
  sql: Db,
  o: { limit: number; offset: number; unacked?: boolean; from?: Date; to?: Date; district?: string; category?: string; channel?: string },
): Promise<{ rows: AlertRow[]; total: number }> {
  const where = sql`WHERE true
    ${o.unacked ? sql`AND a.acked_at IS NULL` : sql``}
    ${o.from ? sql`AND a.opened_at >= ${o.from}` : sql``}
    ${o.to ? sql`AND a.opened_at < ${o.to}` : sql``}
    ${o.district === NO_DISTRICT ? sql`AND a.district IS NULL` : o.district ? sql`AND a.district = ${o.district}` : sql``}
    ${o.category ? sql`AND jsonb_exists(a.evidence->'categories', ${o.category})` : sql``}
    ${o.channel ? sql`AND jsonb_exists(a.evidence->'channels', ${o.channel})` : sql``}`;
  const rows = await sql<AlertRow[]>`
    SELECT ${alertColumns(sql)} FROM alerts a JOIN alert_rules r ON r.id = a.rule_id ${where}
    ORDER BY a.opened_at DESC, a.id DESC LIMIT ${o.limit} OFFSET ${o.offset}`;
  const [{ total }] = await sql<{ total: number }[]>`SELECT count(*)::int AS total FROM alerts a ${where}`;
  return { rows, total };
}

/** Acknowledges once: the first acknowledgement is kept (false when the alert was already acknowledged or does not exist). */
export async function ackAlertRow(sql: Db, id: number, by: string, note: string | null, at: Date): Promise<boolean> {
  const r = await sql`UPDATE alerts SET acked_at = ${at}, acked_by = ${by}, ack_note = ${note} WHERE id = ${id} AND acked_at IS NULL`;
  return r.count === 1;
}

export interface DeliveryAttemptRow {
  id: number;
  alertId: number;
  outboxId: number;
  target: 'webhook' | 'email';
  attempt: number;
  at: Date;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

export async function insertDeliveryAttempt(sql: Db, a: Omit<DeliveryAttemptRow, 'id'>): Promise<void> {
  await sql`
    INSERT INTO alert_delivery_attempts (alert_id, outbox_id, target, attempt, at, ok, status_code, error)
    VALUES (${a.alertId}, ${a.outboxId}, ${a.target}, ${a.attempt}, ${a.at}, ${a.ok}, ${a.statusCode}, ${a.error?.slice(0, 2000) ?? null})`;
}

export async function listDeliveryAttempts(sql: Db, alertIds: number[]): Promise<DeliveryAttemptRow[]> {
  if (!alertIds.length) return [];
  return sql<DeliveryAttemptRow[]>`
    SELECT id, alert_id, outbox_id, target, attempt, at, ok, status_code, error
    FROM alert_delivery_attempts WHERE alert_id IN ${sql(alertIds)} ORDER BY id`;
}

/** Each alert's outbox rows (webhook, e-mail): where delivery stands. */
export async function listAlertOutbox(sql: Db, alertIds: number[]): Promise<{ alertId: number; channel: string; status: string; attempts: number; lastError: string | null }[]> {
  if (!alertIds.length) return [];
  return sql<{ alertId: number; channel: string; status: string; attempts: number; lastError: string | null }[]>`
    SELECT (payload->>'alertId')::int AS alert_id, channel, status, attempts, last_error FROM outbox
    WHERE kind = 'alert' AND payload->>'alertId' IN ${sql(alertIds.map(String))} ORDER BY id`;
}

/** The topic store's topic of each message (a merged topic followed to the one that absorbed it), with its heat and burst state. */
export async function listMessageTopics(sql: Db, messageIds: number[]): Promise<{ messageId: number; topicId: number; label: string; heat: number; burstState: string }[]> {
  if (!messageIds.length) return [];
  return sql<{ messageId: number; topicId: number; label: string; heat: number; burstState: string }[]>`
    WITH RECURSIVE chain AS (
      SELECT m.message_id, t.id, t.merged_into, 0 AS depth
      FROM opinion_topic_members m JOIN opinion_topics t ON t.id = m.topic_id
      WHERE m.message_id IN ${sql(messageIds)}
      UNION ALL
      SELECT chain.message_id, t.id, t.merged_into, chain.depth + 1 FROM chain JOIN opinion_topics t ON t.id = chain.merged_into WHERE chain.depth < 10
    )
    SELECT chain.message_id, t.id AS topic_id, t.label, t.heat, t.burst_state
    FROM chain JOIN opinion_topics t ON t.id = chain.id WHERE chain.merged_into IS NULL`;
}
