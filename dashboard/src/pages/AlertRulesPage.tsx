// 预警规则 (administrators): the alert rules as data — keyword groups, scope, thresholds, grouping,
// quiet period and targets — listed, switched on and off, created, edited and deleted. The server
// checks every field and answers in Chinese; its messages are shown beside the fields.
import { useState } from 'react';
import type { InferRequestType, InferResponseType } from 'hono/client';
import { ApiRequestError, call, messageOf, v1 } from '../api';
import { useT } from '../i18n';
import { CHANNEL_LABELS } from '../labels';
import { usePoll } from '../usePoll';

type RuleList = InferResponseType<(typeof v1)['alert-rules']['$get'], 200>;
type ListedRule = RuleList['rules'][number];
/** a rule whose stored definition parses (an invalid one is listed flagged, with its reason) */
type Rule = Extract<ListedRule, { valid: true }>;
type RuleBody = InferRequestType<(typeof v1)['alert-rules']['$post']>['json'];
type Definition = NonNullable<RuleBody['definition']>;

const GROUP_BY_LABELS: Record<string, string> = { district: '按区县', topic: '按话题', none: '不分组' };

/** Keyword groups as staff type them: one group a line, words apart by spaces, 停水|断水 for either, -演习 to exclude. */
function groupsToText(groups: { must: string[]; mustNot?: string[] }[]): string {
  return groups.map((g) => [...g.must, ...(g.mustNot ?? []).map((w) => `-${w}`)].join(' ')).join('\n');
}
function textToGroups(text: string): { must: string[]; mustNot: string[] }[] {
  return text
    .split('\n')
    .map((line) => line.split(/[\s,，]+/).filter(Boolean))
    .filter((words) => words.length)
    .map((words) => ({ must: words.filter((w) => !w.startsWith('-')), mustNot: words.filter((w) => w.startsWith('-')).map((w) => w.slice(1)).filter(Boolean) }));
}

interface FormState {
  name: string;
  enabled: boolean;
  groups: string;
  districts: string[];
  categories: string[];
  channels: string[];
  windowMinutes: string;
  minVolume: string;
  minNegativeShare: string;
  minHeat: string;
  requireBurst: boolean;
  groupBy: string;
  quietMinutes: string;
  webhook: boolean;
  webhookUrl: string;
  email: boolean;
  emailTo: string;
}

function formOf(r: Rule | null): FormState {
  const d = r?.definition;
  return {
    name: r?.name ?? '',
    enabled: r?.enabled ?? true,
    groups: d ? groupsToText(d.keywordGroups) : '',
    districts: d?.scope.districts ?? [],
    categories: d?.scope.categories ?? [],
    channels: d?.scope.channels ?? [],
    windowMinutes: String(d?.windowMinutes ?? 60),
    minVolume: String(d?.minVolume ?? 10),
    minNegativeShare: d?.minNegativeShare == null ? '' : String(d.minNegativeShare),
    minHeat: d?.minHeat == null ? '' : String(d.minHeat),
    requireBurst: d?.requireBurst ?? false,
    groupBy: d?.groupBy ?? 'district',
    quietMinutes: String(d?.quietMinutes ?? 60),
    webhook: d?.targets.webhook ?? true,
    webhookUrl: d?.targets.webhookUrl ?? '',
    email: d?.targets.email ?? true,
    emailTo: (d?.targets.emailTo ?? []).join(', '),
  };
}

const num = (s: string) => (s.trim() === '' ? undefined : Number(s));

function bodyOf(f: FormState): RuleBody {
  const definition = {
    keywordGroups: textToGroups(f.groups),
    scope: { districts: f.districts, categories: f.categories, channels: f.channels },
    windowMinutes: num(f.windowMinutes),
    minVolume: num(f.minVolume),
    minNegativeShare: f.minNegativeShare.trim() === '' ? null : Number(f.minNegativeShare),
    minHeat: f.minHeat.trim() === '' ? null : Number(f.minHeat),
    requireBurst: f.requireBurst,
    groupBy: f.groupBy,
    quietMinutes: num(f.quietMinutes),
    targets: { webhook: f.webhook, webhookUrl: f.webhookUrl.trim() || null, email: f.email, emailTo: f.emailTo.split(/[\s,，;；]+/).filter(Boolean) },
  } as Definition;
  return { name: f.name, enabled: f.enabled, definition };
}

function Toggles({ options, value, labels, onChange }: { options: readonly string[]; value: string[]; labels?: Record<string, string>; onChange: (v: string[]) => void }) {
  return (
    <div className="choices">
      {options.map((o) => (
        <label key={o} className="choice">
          <input type="checkbox" checked={value.includes(o)} onChange={(e) => onChange(e.target.checked ? [...value, o] : value.filter((x) => x !== o))} />
          {labels?.[o] ?? o}
        </label>
      ))}
    </div>
  );
}

function RuleForm({ rule, options, onDone }: { rule: Rule | null; options: RuleList['options']; onDone: () => void }) {
  const { t } = useT();
  const [f, setF] = useState<FormState>(() => formOf(rule));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setF({ ...f, [k]: v });
  const err = (...fields: string[]) => {
    const hit = Object.entries(errors).filter(([k]) => fields.some((p) => k === p || k.startsWith(`${p}.`)));
    return hit.length ? <span className="field-error">{hit.map(([, m]) => m).join('；')}</span> : null;
  };
  const save = async () => {
    setBusy(true);
    setErrors({});
    setError(null);
    try {
      const json = bodyOf(f);
      if (rule) await call(v1['alert-rules'][':id'].$put({ param: { id: String(rule.id) }, json }));
      else await call(v1['alert-rules'].$post({ json }));
      onDone();
    } catch (e) {
      const fields = e instanceof ApiRequestError && e.status === 400 ? e.fieldErrors() : {};
      setErrors(fields);
      setError(Object.keys(fields).length ? t('请更正标出的字段') : messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card form" data-testid="rule-form">
      <label>{t('规则名称')}<input value={f.name} onChange={(e) => set('name', e.target.value)} />{err('name')}</label>
      <label className="choice"><input type="checkbox" checked={f.enabled} onChange={(e) => set('enabled', e.target.checked)} /> {t('启用')}</label>
      <label>
        {t('关键词组')} <span className="small muted">每行一组；词之间用空格；「停水|断水」任一即可；「-演习」为排除词；留空则范围内所有留言</span>
        <textarea rows={3} value={f.groups} onChange={(e) => set('groups', e.target.value)} placeholder="停水|断水 -演习" />
        {err('definition.keywordGroups')}
      </label>
      <div>{t('区县')}（不选为全市）<Toggles options={options.districts} value={f.districts} onChange={(v) => set('districts', v)} />{err('definition.scope.districts')}</div>
      <div>{t('类别')}<Toggles options={options.categories} value={f.categories} onChange={(v) => set('categories', v)} />{err('definition.scope.categories')}</div>
      <div>{t('渠道')}<Toggles options={options.channels} value={f.channels} labels={CHANNEL_LABELS} onChange={(v) => set('channels', v)} />{err('definition.scope.channels')}</div>
      <div className="triage-fields">
        <label>{t('统计窗口（分钟）')}<input type="number" min={1} value={f.windowMinutes} onChange={(e) => set('windowMinutes', e.target.value)} />{err('definition.windowMinutes')}</label>
        <label>{t('留言数阈值')}<input type="number" min={1} value={f.minVolume} onChange={(e) => set('minVolume', e.target.value)} />{err('definition.minVolume')}</label>
        <label>{t('负面占比（0–1，可空）')}<input type="number" step="0.05" min={0} max={1} value={f.minNegativeShare} onChange={(e) => set('minNegativeShare', e.target.value)} />{err('definition.minNegativeShare')}</label>
        <label>{t('话题热度（0–100，可空）')}<input type="number" min={0} value={f.minHeat} onChange={(e) => set('minHeat', e.target.value)} />{err('definition.minHeat')}</label>
        <label className="choice"><input type="checkbox" checked={f.requireBurst} onChange={(e) => set('requireBurst', e.target.checked)} /> {t('须处于突增')}</label>
        <label>{t('分组')}
          <select value={f.groupBy} onChange={(e) => set('groupBy', e.target.value)}>{options.groupBy.map((g) => <option key={g} value={g}>{GROUP_BY_LABELS[g] ?? g}</option>)}</select>
          {err('definition.groupBy')}
        </label>
        <label>{t('平息时长（分钟）')}<input type="number" min={1} value={f.quietMinutes} onChange={(e) => set('quietMinutes', e.target.value)} />{err('definition.quietMinutes')}</label>
      </div>
      <div className="triage-fields">
        <label className="choice"><input type="checkbox" checked={f.webhook} onChange={(e) => set('webhook', e.target.checked)} /> Webhook</label>
        <label>{t('本规则的 Webhook 地址（可空，默认系统配置）')}<input value={f.webhookUrl} onChange={(e) => set('webhookUrl', e.target.value)} />{err('definition.targets.webhookUrl')}</label>
        <label className="choice"><input type="checkbox" checked={f.email} onChange={(e) => set('email', e.target.checked)} /> {t('邮件')}</label>
        <label>{t('本规则的收件人（可空，默认系统配置）')}<input value={f.emailTo} onChange={(e) => set('emailTo', e.target.value)} />{err('definition.targets.emailTo')}</label>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="actions-row">
        <button className="primary" disabled={busy} onClick={() => void save()} data-testid="rule-save">{t('保存')}</button>
        <button disabled={busy} onClick={onDone}>{t('取消')}</button>
      </div>
    </div>
  );
}

function summary(r: Rule): string {
  const d = r.definition;
  const words = d.keywordGroups.length ? groupsToText(d.keywordGroups).replace(/\n/g, ' ／ ') : '（全部留言）';
  const scope = [d.scope.districts.join('、') || '全市', d.scope.categories.join('、'), d.scope.channels.map((c) => CHANNEL_LABELS[c] ?? c).join('、')].filter(Boolean).join(' · ');
  const extra = [d.minNegativeShare != null && `负面≥${Math.round(d.minNegativeShare * 100)}%`, d.minHeat != null && `热度≥${d.minHeat}`, d.requireBurst && '突增'].filter(Boolean).join('，');
  return `${words} · ${scope} · ${d.windowMinutes} 分钟内 ≥${d.minVolume} 条${extra ? `，${extra}` : ''} · ${GROUP_BY_LABELS[d.groupBy]} · 平息 ${d.quietMinutes} 分钟`;
}

export function AlertRulesPage() {
  const { t } = useT();
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const { data, error: loadError } = usePoll(() => call(v1['alert-rules'].$get()), 60_000, [refresh]);
  const done = () => {
    setEditing(null);
    setRefresh((n) => n + 1);
  };
  const toggle = async (r: Rule) => {
    try {
      await call(v1['alert-rules'][':id'].$put({ param: { id: String(r.id) }, json: { name: r.name, enabled: !r.enabled, definition: r.definition as Definition } }));
      setRefresh((n) => n + 1);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const remove = async (r: { id: number; name: string }) => {
    if (!window.confirm(`删除规则「${r.name}」？其预警记录一并删除。`)) return;
    try {
      await call(v1['alert-rules'][':id'].$delete({ param: { id: String(r.id) } }));
      setRefresh((n) => n + 1);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <div>
      <h2>{t('预警规则')}</h2>
      <p className="muted small">留言处理完即按规则计算；同一规则、同一区县（或话题）在条件持续期间只预警一次，条件消失满「平息时长」后才会再次预警。</p>
      {(loadError || error) && <p className="error">{loadError ?? error}</p>}
      {editing === null && <button className="primary" onClick={() => setEditing('new')} data-testid="rule-new">{t('新建规则')}</button>}
      {editing !== null && data && <RuleForm key={editing === 'new' ? 'new' : editing.id} rule={editing === 'new' ? null : editing} options={data.options} onDone={done} />}
      {data?.rules.map((r) => !r.valid ? (
        <div key={r.id} className="card triage-item" data-testid="rule-item">
          <b>{r.name}</b> <span className="tag" style={{ background: '#fee2e2', color: '#991b1b' }} data-testid="rule-invalid">{t('规则无效')}</span>
          <p className="small error">{r.invalidReason}</p>
          <p className="small muted">{t('此规则不会再被计算。请删除后重新建立。')}</p>
          <div className="actions-row">
            <button onClick={() => void remove(r)}>{t('删除')}</button>
          </div>
        </div>
      ) : (
        <div key={r.id} className="card triage-item" data-testid="rule-item">
          <b>{r.name}</b> {!r.enabled && <span className="tag" style={{ background: '#e5e7eb' }}>{t('已停用')}</span>}
          <p className="small muted">{summary(r)}</p>
          <div className="actions-row">
            <button onClick={() => setEditing(r)}>{t('编辑')}</button>
            <button onClick={() => void toggle(r)}>{r.enabled ? t('停用') : t('启用')}</button>
            <button onClick={() => void remove(r)}>{t('删除')}</button>
          </div>
        </div>
      ))}
      {data && !data.rules.length && <p className="muted">{t('还没有预警规则')}。</p>}
    </div>
  );
}
