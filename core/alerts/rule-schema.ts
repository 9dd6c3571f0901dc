// 预警规则 alert rules as data: one zod schema for the API's input, the table's JSONB and the
// evaluator, with field messages in Chinese (staff edit rules in the dashboard and read the 400s).
import { z } from 'zod';
import { CHANNELS } from '../messages/incoming';

const word = z
  .string({ error: (i) => (i.input === undefined ? '必填' : '须为文字') })
  .trim()
  .min(1, '关键词不能为空')
  .max(40, '关键词最多 40 个字');

const int = (label: string, min: number, max: number) =>
  z
    .number({ error: (i) => (i.input === undefined ? `${label}必填` : `${label}须为数字`) })
    .int(`${label}须为整数`)
    .min(min, `${label}不能小于 ${min}`)
    .max(max, `${label}不能大于 ${max}`);

/**
 * A keyword group matches a message when every `must` entry is in its text and no `mustNot` word is;
 * a `must` entry may list alternatives with "|" (停水|断水: either). A rule with several groups
 * matches a message that any group matches; a rule with none matches everything in its scope.
 */
export const keywordGroupSchema = z.object(
  {
    must: z.array(word, { error: '须为关键词列表' }).min(1, '每组至少一个必含词').max(20, '每组最多 20 个必含词'),
    mustNot: z.array(word, { error: '须为关键词列表' }).max(20, '每组最多 20 个排除词').default([]),
  },
  { error: '关键词组须为对象 {must, mustNot}' },
);
export type KeywordGroup = z.infer<typeof keywordGroupSchema>;

export const GROUP_BY = ['none', 'district', 'topic'] as const;

export function ruleDefinitionSchema(known: { districts: readonly string[]; categories: readonly string[] }) {
  const oneOf = (list: readonly string[], what: string) =>
    z.string({ error: `${what}须为文字` }).refine((v) => list.includes(v), { error: (i) => `未知${what}「${String(i.input)}」（可选：${list.join('、')}）` });
  return z.strictObject(
    {
      keywordGroups: z.array(keywordGroupSchema, { error: '须为关键词组列表' }).max(20, '最多 20 个关键词组').default([]),
      scope: z
        .object(
          {
            districts: z.array(oneOf(known.districts, '区县'), { error: '须为区县列表' }).max(50).default([]),
            categories: z.array(oneOf(known.categories, '类别'), { error: '须为类别列表' }).max(50).default([]),
            channels: z.array(z.enum(CHANNELS, { error: `渠道须为 ${CHANNELS.join('、')} 之一` })).max(4).default([]),
          },
          { error: '范围须为对象' },
        )
        .prefault({}),
      /** the window the thresholds are counted over */
      windowMinutes: int('统计窗口（分钟）', 1, 10_080).default(60),
      /** at least this many matching messages in the window (the floor every rule has) */
      minVolume: int('留言数阈值', 1, 100_000).default(10),
      /** and at least this share of them negative (0–1) */
      minNegativeShare: z
        .number({ error: '负面占比须为 0 到 1 之间的数字' })
        .min(0, '负面占比不能小于 0')
        .max(1, '负面占比不能大于 1')
        .nullable()
        .default(null),
      /** and the topic's heat at least this (topic store) */
      minHeat: z.number({ error: '热度阈值须为数字' }).min(0, '热度阈值不能小于 0').nullable().default(null),
      /** and the topic (or the district) in a burst (突增) */
      requireBurst: z.boolean({ error: '须为 true 或 false' }).default(false),
      /** one episode per district, per topic, or one for the whole scope */
      groupBy: z.enum(GROUP_BY, { error: '分组须为 none（不分）、district（按区县）或 topic（按话题）' }).default('district'),
      /** the episode ends once the condition has been false this long; a new episode may then fire */
      quietMinutes: int('平息时长（分钟）', 1, 10_080).default(60),
      targets: z
        .object(
          {
            /** send to the webhook (the rule's own URL, else ALERT_WEBHOOK_URL) */
            webhook: z.boolean({ error: '须为 true 或 false' }).default(true),
            webhookUrl: z.string({ error: '须为网址' }).url({ error: '须为 http(s) 网址' }).refine((u) => /^https?:\/\//.test(u), '须为 http(s) 网址').nullable().default(null),
            /** send by e-mail (the rule's own addresses, else ALERT_EMAIL_TO) */
            email: z.boolean({ error: '须为 true 或 false' }).default(true),
            emailTo: z.array(z.string({ error: '须为电子邮件地址' }).email({ error: '须为有效的电子邮件地址' })).max(20, '最多 20 个收件人').default([]),
          },
          { error: '推送目标须为对象' },
        )
        .prefault({}),
    }, { error: (i) => (i.code === 'unrecognized_keys' ? `含有未知字段：${i.keys.join('、')}` : '须为对象') });
}

export type RuleDefinition = z.infer<ReturnType<typeof ruleDefinitionSchema>>;

/** what each field of a rule definition is called on the rule form */
const RULE_FIELD_NAMES: Record<string, string> = {
  keywordGroups: '关键词组', must: '必含词', mustNot: '排除词', scope: '范围', districts: '区县', categories: '类别', channels: '渠道',
  windowMinutes: '统计窗口', minVolume: '留言数阈值', minNegativeShare: '负面占比', minHeat: '热度阈值', requireBurst: '须为突增',
  groupBy: '分组', quietMinutes: '平息时长', targets: '推送目标', webhook: '推送到网络钩子', webhookUrl: '网络钩子网址', email: '邮件推送', emailTo: '收件人',
};

/** A field path of a rule definition as the rule form names it: ["keywordGroups", 1, "must"] → 关键词组第 2 项·必含词. */
export function ruleFieldName(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (const p of path) {
    if (typeof p === 'number') parts[parts.length - 1] = `${parts.at(-1) ?? ''}第 ${p + 1} 项`;
    else parts.push(RULE_FIELD_NAMES[String(p)] ?? String(p));
  }
  return parts.join('·');
}

export function ruleInputSchema(known: { districts: readonly string[]; categories: readonly string[] }) {
  return z.strictObject(
    {
      name: z.string({ error: (i) => (i.input === undefined ? '规则名称必填' : '规则名称须为文字') }).trim().min(1, '规则名称不能为空').max(80, '规则名称最多 80 个字'),
      enabled: z.boolean({ error: '须为 true 或 false' }).default(true),
      definition: ruleDefinitionSchema(known),
    }, { error: (i) => (i.code === 'unrecognized_keys' ? `含有未知字段：${i.keys.join('、')}` : '须为对象') });
}
export type RuleInput = z.infer<ReturnType<typeof ruleInputSchema>>;

/** Stored definitions are read back through the schema too (defaults for fields added later); no list checks. */
export const storedDefinitionSchema = ruleDefinitionSchema({ districts: [], categories: [] }).extend({
  scope: z.object({ districts: z.array(z.string()).default([]), categories: z.array(z.string()).default([]), channels: z.array(z.string()).default([]) }).prefault({}),
});

export interface AlertRule {
  id: number;
  name: string;
  enabled: boolean;
  definition: RuleDefinition;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Does the text carry the group's words? */
export function matchesGroup(text: string, g: KeywordGroup): boolean {
  return g.must.every((w) => w.split('|').some((alt) => alt.trim() && text.includes(alt.trim()))) && !g.mustNot.some((w) => text.includes(w));
}

export interface RuleSubject {
  text: string;
  channel: string;
  district: string | null;
  category: string | null;
}

/** Is the message in the rule's scope and does a keyword group match it? */
export function matchesRule(d: RuleDefinition, m: RuleSubject): boolean {
  const s = d.scope;
  if (s.channels.length && !s.channels.includes(m.channel as never)) return false;
  if (s.districts.length && (!m.district || !s.districts.includes(m.district))) return false;
  if (s.categories.length && (!m.category || !s.categories.includes(m.category))) return false;
  return d.keywordGroups.length === 0 || d.keywordGroups.some((g) => matchesGroup(m.text, g));
}
