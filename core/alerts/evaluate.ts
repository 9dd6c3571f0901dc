// Evaluating alert rules: as each message is processed (its rule's window, ending at its receipt)
// and in a periodic sweep (every rule at the present time, which also ends quiet episodes).
// One alert per episode: an episode opens when the condition first holds for a rule and scope key
// (a district, a topic, or the whole scope), stays open while it keeps holding, and ends once it has
// been false for the rule's quiet period; only opening an episode delivers anything. A message
// evaluated late (a backlog) whose window holds within the quiet period of an ended episode reopens
// that episode: one burst is one alert however late and in however many chunks it is processed.
import type { Db } from '../db/connect';
import {
  endAlertEpisode,
  getAlertSubject,
  listAlertRuleRows,
  listAlertSubjects,
  listAlertSubjectsByIds,
  listOpenAlertKeys,
  listOpenAlertsWithoutOutbox,
  openAlertEpisodeWithOutbox,
  reopenAlertEpisode,
  touchAlertEpisode,
  type AlertSubjectRow,
} from '../db/alerts';
import { maskForPublic } from '../board/mask';
import { maskPublicText } from '../opinion/sample';
import { alertOutboxRows, deliverAlert, scheduleAlertSends, type DeliveryConfig } from './deliver';
import { matchesRule, ruleFieldName, storedDefinitionSchema, type AlertRule, type RuleDefinition } from './rule-schema';
import type { JobQueue } from '../queue/contract';

/** What the topic store knows of some messages: their topic, its heat and burst state. */
export interface TopicSignal {
  topicId: number;
  label: string | null;
  heat: number | null;
  burst: boolean;
}
export type TopicSignals = (sql: Db, messageIds: number[]) => Promise<Map<number, TopicSignal>>;

export interface AlertDeps {
  sql: Db;
  queue: JobQueue;
  log: { warn(obj: object, msg: string): void; info?(obj: object, msg: string): void };
  now: () => Date;
  delivery: DeliveryConfig;
  /** the topic store's view of messages (absent: heat and burst thresholds cannot be met, groupBy topic finds nothing) */
  topics?: TopicSignals;
}

type RuleRow = { id: number; name: string; enabled: boolean; definition: unknown; createdBy: string | null; createdAt: Date; updatedAt: Date };

export function ruleFromRow(row: RuleRow): AlertRule {
  return { ...row, definition: storedDefinitionSchema.parse(row.definition) as RuleDefinition };
}

/** A stored rule as the admin list shows it: parsed, or flagged invalid with the reason in Chinese (and never evaluated). */
export type ListedRule = (AlertRule & { valid: true; invalidReason: null }) | (Omit<AlertRule, 'definition'> & { definition: unknown; valid: false; invalidReason: string });

export function listedRule(row: RuleRow): ListedRule {
  const parsed = storedDefinitionSchema.safeParse(row.definition);
  if (parsed.success) return { ...row, definition: parsed.data as RuleDefinition, valid: true, invalidReason: null };
  // the first few problems, each with its field as the rule form names it, e.g. "统计窗口：统计窗口（分钟）须为数字"
  const problems = parsed.error.issues.slice(0, 3).map((i) => (i.path.length ? `${ruleFieldName(i.path)}：${i.message}` : i.message));
  return { ...row, valid: false, invalidReason: `规则定义无法解析，已停止计算：${problems.join('；')}` };
}

/** The enabled rules that parse; a stored rule that no longer does (an older definition) is logged and skipped. */
export async function enabledRules(sql: Db, log?: AlertDeps['log']): Promise<AlertRule[]> {
  const rules: AlertRule[] = [];
  for (const row of await listAlertRuleRows(sql, { enabledOnly: true })) {
    const listed = listedRule(row);
    if (listed.valid) rules.push(listed);
    else log?.warn({ ruleId: row.id, reason: listed.invalidReason }, 'stored alert rule does not parse; skipped');
  }
  return rules;
}

const EVIDENCE_MESSAGES = 5;
/** how late past its rule's window a message may still be evaluated on its own (a backlog in the workers) */
export const STALE_AFTER_MS = 6 * 3600_000;
const EVIDENCE_CHARS = 120;
const SERIES_BUCKETS = 12;

export interface Evidence {
  count: number;
  windowMinutes: number;
  from: string;
  to: string;
  negative: number;
  negativeShare: number;
  channels: Record<string, number>;
  /** the window's messages by predicted category (unknown when the reader gave none): what the alert list's category filter reads */
  categories: Record<string, number>;
  /** counts per bucket over the window and the one before it (the baseline beside the rise) */
  series: { from: string; count: number }[];
  /** the most negative, then latest, messages: PII and the sender's own details masked, cut */
  topMessages: { id: number; receivedAt: string; channel: string; district: string | null; sentiment: string | null; text: string }[];
  topic: TopicSignal | null;
}

interface Group {
  key: string;
  district: string | null;
  topic: TopicSignal | null;
  rows: AlertSubjectRow[];
}

function keyOf(d: RuleDefinition, m: AlertSubjectRow, topic: TopicSignal | undefined): { key: string; district: string | null } | null {
  if (d.groupBy === 'district') return m.district ? { key: `district:${m.district}`, district: m.district } : null;
  if (d.groupBy === 'topic') return topic ? { key: `topic:${topic.topicId}`, district: m.district } : null;
  return { key: '', district: null };
}

/**
 * A message's text as it may leave the system (the webhook, e-mail): the PII reader's masks, the
 * sender's own name, phone, handle and address wherever they appear (no cue word needed), names
 * after 联系人/来电人… and house numbers.
 */
export function maskEvidenceText(r: Pick<AlertSubjectRow, 'title' | 'body' | 'contactName' | 'contactPhone' | 'contactHandle' | 'address'>): string {
  const text = `${r.title ? `${r.title}：` : ''}${r.body}`;
  return maskForPublic(maskPublicText(text, { contactName: r.contactName, address: r.address }), [r.contactName, r.contactPhone, r.contactHandle]) ?? '';
}

/**
 * The evidence as it may leave the system now: each quoted message's text made again from the stored
 * message with today's masking (an alert stored by an older version, or a message anonymised since);
 * a quoted message that no longer exists is left out.
 */
export async function remaskEvidence(sql: Db, evidence: Record<string, unknown>): Promise<Record<string, unknown>> {
  return (await remaskEvidenceList(sql, [evidence]))[0];
}

/** remaskEvidence for many alerts (a page of the alert list) with one read of their quoted messages. */
export async function remaskEvidenceList(sql: Db, list: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const tops = list.map((e) => (e as Partial<Evidence>).topMessages);
  const ids = [...new Set(tops.flatMap((top) => (Array.isArray(top) ? top.map((m) => Number(m.id)).filter(Number.isInteger) : [])))];
  if (!ids.length) return list;
  const rows = new Map((await listAlertSubjectsByIds(sql, ids)).map((r) => [Number(r.id), r]));
  return list.map((evidence, i) => {
    const top = tops[i];
    if (!Array.isArray(top) || !top.length) return evidence;
    const topMessages = top.flatMap((m) => {
      const r = rows.get(Number(m.id));
      return r ? [{ ...m, text: [...maskEvidenceText(r)].slice(0, EVIDENCE_CHARS).join('') }] : [];
    });
    return { ...evidence, topMessages };
  });
}

const sentimentRank = (s: string | null) => (s === 'negative' ? 0 : s === 'neutral' ? 1 : 2);

function evidenceOf(d: RuleDefinition, g: Group, all: AlertSubjectRow[], at: Date): Evidence {
  const windowMs = d.windowMinutes * 60_000;
  const from = new Date(at.getTime() - windowMs);
  const negative = g.rows.filter((r) => r.sentiment === 'negative').length;
  const channels: Record<string, number> = {};
  for (const r of g.rows) channels[r.channel] = (channels[r.channel] ?? 0) + 1;
  const categories: Record<string, number> = {};
  for (const r of g.rows) categories[r.category ?? 'unknown'] = (categories[r.category ?? 'unknown'] ?? 0) + 1;
  const bucketMs = (2 * windowMs) / SERIES_BUCKETS;
  const start = at.getTime() - 2 * windowMs;
  const series = Array.from({ length: SERIES_BUCKETS }, (_, i) => ({ from: new Date(start + i * bucketMs).toISOString(), count: 0 }));
  for (const r of all) {
    const i = Math.min(SERIES_BUCKETS - 1, Math.floor((r.receivedAt.getTime() - start) / bucketMs));
    if (i >= 0) series[i].count++;
  }
  const top = [...g.rows]
    .sort((a, b) => sentimentRank(a.sentiment) - sentimentRank(b.sentiment) || b.receivedAt.getTime() - a.receivedAt.getTime())
    .slice(0, EVIDENCE_MESSAGES)
    .map((r) => ({
      id: r.id,
      receivedAt: r.receivedAt.toISOString(),
      channel: r.channel,
      district: r.district,
      sentiment: r.sentiment,
      text: [...maskEvidenceText(r)].slice(0, EVIDENCE_CHARS).join(''),
    }));
  return {
    count: g.rows.length,
    windowMinutes: d.windowMinutes,
    from: from.toISOString(),
    to: at.toISOString(),
    negative,
    negativeShare: g.rows.length ? Math.round((negative / g.rows.length) * 1000) / 1000 : 0,
    channels,
    categories,
    series,
    topMessages: top,
    topic: g.topic,
  };
}

function holds(d: RuleDefinition, g: Group, e: Evidence): boolean {
  if (e.count < d.minVolume) return false;
  if (d.minNegativeShare !== null && e.negativeShare < d.minNegativeShare) return false;
  if (d.minHeat !== null && !(g.topic?.heat != null && g.topic.heat >= d.minHeat)) return false;
  if (d.requireBurst && !g.topic?.burst) return false;
  return true;
}

/** The topic a group is about: its messages' most common topic, with that topic's heat and burst state. */
function groupTopic(rows: AlertSubjectRow[], topics: Map<number, TopicSignal>): TopicSignal | null {
  const counts = new Map<number, { n: number; t: TopicSignal }>();
  for (const r of rows) {
    const t = topics.get(r.id);
    if (!t) continue;
    const c = counts.get(t.topicId);
    if (c) c.n++;
    else counts.set(t.topicId, { n: 1, t });
  }
  let best: { n: number; t: TopicSignal } | null = null;
  for (const c of counts.values()) if (!best || c.n > best.n || (c.n === best.n && c.t.topicId < best.t.topicId)) best = c;
  return best?.t ?? null;
}

function titleOf(rule: AlertRule, g: Group, e: Evidence): string {
  const where = g.district ?? (rule.definition.scope.districts.length ? rule.definition.scope.districts.join('、') : '全市');
  const what = g.topic?.label ? `「${g.topic.label}」` : '';
  return `${rule.name}：${where}${what} ${e.windowMinutes} 分钟内 ${e.count} 条留言`;
}

export interface RuleOutcome {
  opened: number[];
  touched: number[];
  ended: number[];
  /** open alerts whose deliveries were missing and are queued now (the sweep only) */
  redelivered: number[];
}

/**
 * Evaluates one rule with its window ending at `at`: opens or keeps open the episode of each scope
 * key whose condition holds (only `onlyKey` when given). With `endQuiet`, episodes whose key does not
 * hold and that have been quiet for the rule's quiet period end.
 */
export async function evaluateRule(deps: AlertDeps, rule: AlertRule, at: Date, o: { onlyKey?: string; endQuiet?: boolean } = {}): Promise<RuleOutcome> {
  const d = rule.definition;
  const windowMs = d.windowMinutes * 60_000;
  const rows = (
    await listAlertSubjects(deps.sql, {
      from: new Date(at.getTime() - 2 * windowMs),
      to: at,
      districts: d.scope.districts,
      categories: d.scope.categories,
      channels: d.scope.channels,
    })
  ).filter((r) => matchesRule(d, r));
  const topics = deps.topics && rows.length ? await deps.topics(deps.sql, rows.map((r) => r.id)) : new Map<number, TopicSignal>();
  const windowFrom = at.getTime() - windowMs;
  const groups = new Map<string, Group & { all: AlertSubjectRow[] }>();
  for (const r of rows) {
    const k = keyOf(d, r, topics.get(r.id));
    if (!k || (o.onlyKey !== undefined && k.key !== o.onlyKey)) continue;
    let g = groups.get(k.key);
    if (!g) groups.set(k.key, (g = { key: k.key, district: k.district, topic: null, rows: [], all: [] }));
    g.all.push(r);
    if (r.receivedAt.getTime() >= windowFrom) g.rows.push(r);
  }
  const out: RuleOutcome = { opened: [], touched: [], ended: [], redelivered: [] };
  const holding = new Set<string>();
  for (const g of groups.values()) {
    g.topic = d.groupBy === 'topic' ? (topics.get(g.rows[0]?.id ?? g.all[0].id) ?? null) : groupTopic(g.rows, topics);
    const e = evidenceOf(d, g, g.all, at);
    if (!holds(d, g, e)) continue;
    holding.add(g.key);
    const topicId = g.topic?.topicId ?? null;
    const touched = await touchAlertEpisode(deps.sql, rule.id, g.key, at, e, topicId);
    if (touched) {
      out.touched.push(touched);
      continue;
    }
    // evaluated late (a backlog): the burst of an episode the sweep ended meanwhile is still that episode
    const reopened = await reopenAlertEpisode(deps.sql, rule.id, g.key, at, d.quietMinutes * 60_000, e, topicId);
    if (reopened) {
      out.touched.push(reopened);
      deps.log.info?.({ alertId: reopened, ruleId: rule.id, scopeKey: g.key }, 'alert reopened: the same burst, processed late');
      continue;
    }
    // the alert and its outbox rows commit together: an open alert always has its deliveries
    const opened = await openAlertEpisodeWithOutbox(
      deps.sql,
      { ruleId: rule.id, scopeKey: g.key, district: g.district, topicId, title: titleOf(rule, g, e), at, evidence: e },
      (id) => alertOutboxRows(deps.delivery, id, rule),
    );
    if (opened) {
      out.opened.push(opened.id);
      deps.log.info?.({ alertId: opened.id, ruleId: rule.id, scopeKey: g.key, count: e.count }, 'alert opened');
      await scheduleAlertSends(deps, opened.outbox);
    } else {
      // another worker opened it a moment ago: this evaluation only refreshes it
      const id = await touchAlertEpisode(deps.sql, rule.id, g.key, at, e, topicId);
      if (id) out.touched.push(id);
    }
  }
  if (o.endQuiet) {
    const quietSince = new Date(at.getTime() - d.quietMinutes * 60_000);
    for (const a of await listOpenAlertKeys(deps.sql, rule.id)) {
      if (holding.has(a.scopeKey) || a.lastTrueAt >= quietSince) continue;
      if (await endAlertEpisode(deps.sql, a.id, at, quietSince)) out.ended.push(a.id);
    }
  }
  return out;
}

/** After a message is processed: every enabled rule it matches, over the window ending at its receipt. */
export async function evaluateAlertsForMessage(deps: AlertDeps, messageId: number): Promise<RuleOutcome> {
  const out: RuleOutcome = { opened: [], touched: [], ended: [], redelivered: [] };
  const m = await getAlertSubject(deps.sql, messageId);
  if (!m) return out;
  // alerts are about the present: a message received long ago (an import of old records, a replay)
  // is counted by the rules but raises nothing of its own
  const now = deps.now().getTime();
  const rules = (await enabledRules(deps.sql, deps.log)).filter(
    (r) => m.receivedAt.getTime() >= now - r.definition.windowMinutes * 60_000 - STALE_AFTER_MS && matchesRule(r.definition, m),
  );
  if (!rules.length) return out;
  const topics = deps.topics ? await deps.topics(deps.sql, [m.id]) : new Map<number, TopicSignal>();
  for (const rule of rules) {
    const k = keyOf(rule.definition, m, topics.get(m.id));
    if (!k) continue;
    try {
      const r = await evaluateRule(deps, rule, m.receivedAt, { onlyKey: k.key });
      out.opened.push(...r.opened);
      out.touched.push(...r.touched);
    } catch (err) {
      // one rule's failure leaves the others evaluated; the sweep evaluates this one again
      deps.log.warn({ err, ruleId: rule.id, messageId }, 'alert rule evaluation failed');
    }
  }
  return out;
}

/** The periodic sweep: every enabled rule at the present time; quiet episodes end (a disabled rule's too). */
export async function sweepAlerts(deps: AlertDeps): Promise<RuleOutcome> {
  const out: RuleOutcome = { opened: [], touched: [], ended: [], redelivered: [] };
  const now = deps.now();
  for (const row of await listAlertRuleRows(deps.sql)) {
    const listed = listedRule(row);
    if (!listed.valid) {
      // a rule that no longer parses is never evaluated (the admin list shows it flagged with its reason)
      deps.log.warn({ ruleId: row.id, reason: listed.invalidReason }, 'stored alert rule does not parse; not evaluated');
      continue;
    }
    try {
      await sweepRule(deps, row, now, out);
    } catch (err) {
      // a rule that no longer parses (or fails to evaluate) stops only itself
      deps.log.warn({ err, ruleId: row.id }, 'alert rule could not be swept; skipped');
    }
  }
  return out;
}

/** One rule of the sweep (its outcome added to `out`): a disabled rule's quiet episodes end, an enabled rule is evaluated at `now`. */
async function sweepRule(deps: AlertDeps, row: RuleRow, now: Date, out: RuleOutcome): Promise<void> {
  const rule = ruleFromRow(row);
  if (!rule.enabled) {
    // nothing new for a disabled rule; its open episodes end after their quiet period
    const quietSince = new Date(now.getTime() - rule.definition.quietMinutes * 60_000);
    for (const a of await listOpenAlertKeys(deps.sql, rule.id)) if (await endAlertEpisode(deps.sql, a.id, now, quietSince)) out.ended.push(a.id);
    return;
  }
  const r = await evaluateRule(deps, rule, now, { endQuiet: true });
  out.opened.push(...r.opened);
  out.touched.push(...r.touched);
  out.ended.push(...r.ended);
  // an open alert without any outbox row (a worker stopped between opening it and queueing its
  // deliveries, before they were one transaction): queued now, once per alert and target by key
  for (const id of await listOpenAlertsWithoutOutbox(deps.sql, rule.id)) {
    if (!alertOutboxRows(deps.delivery, id, rule).length) continue;
    if (await deliverAlert(deps, id, rule)) {
      out.redelivered.push(id);
      deps.log.warn({ alertId: id, ruleId: rule.id }, 'open alert had no deliveries queued; queued now');
    }
  }
}
