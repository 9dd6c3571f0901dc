// The cockpit's one period (any from–to, or the last 7 / 30 / 90 days) and district / category /
// channel filters, shared by every chart of a page and kept for the browser session; the API takes
// the same names on every statistics endpoint (and answers a 400 with the field named).
import { useEffect, useState } from 'react';
import { CHANNEL_LABELS } from '../labels';
import { useSession } from '../session';

export interface StatsFilter {
  /** first local day, inclusive (YYYY-MM-DD) */
  from: string;
  /** last local day, inclusive */
  to: string;
  district: string;
  category: string;
  channel: string;
}

const KEY = 'minsheng.statsFilter';
export const PRESETS = [7, 30, 90] as const;

/** Today in Asia/Shanghai (the city's days), whatever the browser's zone. */
export function todayLocal(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
export function presetFilter(days: number, base?: Partial<StatsFilter>): StatsFilter {
  const to = todayLocal();
  return { district: '', category: '', channel: '', ...base, from: addDays(to, -(days - 1)), to };
}
/** the preset the period is, if it is one ending today */
export function presetOf(f: StatsFilter): number | null {
  return PRESETS.find((d) => f.to === todayLocal() && f.from === addDays(f.to, -(d - 1))) ?? null;
}
export function spanDays(f: StatsFilter): number {
  return Math.round((Date.parse(`${f.to}T00:00:00Z`) - Date.parse(`${f.from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The query every statistics endpoint takes: whole local days [from, to]. */
export function statsQuery(f: StatsFilter) {
  return {
    from: `${f.from}T00:00:00+08:00`,
    to: `${addDays(f.to, 1)}T00:00:00+08:00`,
    ...(f.district ? { district: f.district } : {}),
    ...(f.category ? { category: f.category } : {}),
    ...(f.channel ? { channel: f.channel as 'wechat' | 'weibo' | 'portal' | 'hotline' } : {}),
  };
}
export function filterKey(f: StatsFilter): string {
  return JSON.stringify(f);
}

export function useStatsFilter(defaultDays = 30): [StatsFilter, (f: StatsFilter) => void] {
  const [f, setF] = useState<StatsFilter>(() => {
    try {
      const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as (StatsFilter & { preset?: number | null }) | null;
      // a preset moves with the days; a chosen range stays as chosen
      if (saved?.from && saved.to) return saved.preset ? presetFilter(saved.preset, saved) : saved;
    } catch {
      /* nothing saved */
    }
    return presetFilter(defaultDays);
  });
  useEffect(() => {
    sessionStorage.setItem(KEY, JSON.stringify({ ...f, preset: presetOf(f) }));
  }, [f]);
  return [f, setF];
}

type Dimension = 'district' | 'category' | 'channel';
const ALL_DIMENSIONS: readonly Dimension[] = ['district', 'category', 'channel'];

/** the period and the filters a page's figures can be cut by (`dimensions`: all three unless told) */
export function StatsFilterBar({ value, onChange, dimensions = ALL_DIMENSIONS }: { value: StatsFilter; onChange: (f: StatsFilter) => void; dimensions?: readonly Dimension[] }) {
  const { session } = useSession();
  const preset = presetOf(value);
  const set = (patch: Partial<StatsFilter>) => onChange({ ...value, ...patch });
  const today = todayLocal();
  return (
    <div className="stats-filters card" data-testid="stats-filters">
      <div className="tabs small-tabs">
        {PRESETS.map((d) => (
          <button key={d} type="button" className={d === preset ? 'active' : ''} onClick={() => onChange(presetFilter(d, value))}>近{d}天</button>
        ))}
      </div>
      <label>从 <input type="date" name="from" value={value.from} max={value.to} onChange={(e) => e.target.value && set({ from: e.target.value })} /></label>
      <label>至 <input type="date" name="to" value={value.to} min={value.from} max={addDays(today, 366)} onChange={(e) => e.target.value && set({ to: e.target.value })} /></label>
      {dimensions.includes('district') && <label>区县
        <select name="district" value={value.district} onChange={(e) => set({ district: e.target.value })}>
          <option value="">全部</option>
          {(session?.reference.districts ?? []).map((d) => <option key={d} value={d}>{d}</option>)}
          <option value="未识别">未识别</option>
        </select>
      </label>}
      {dimensions.includes('category') && <label>诉求分类
        <select name="category" value={value.category} onChange={(e) => set({ category: e.target.value })}>
          <option value="">全部</option>
          {(session?.reference.categories ?? []).map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </label>}
      {dimensions.includes('channel') && <label>渠道
        <select name="channel" value={value.channel} onChange={(e) => set({ channel: e.target.value })}>
          <option value="">全部</option>
          {Object.entries(CHANNEL_LABELS).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
        </select>
      </label>}
      <span className="muted small print-only">
        统计时段 {value.from} 至 {value.to}{dimensions.includes('district') && value.district ? ` · ${value.district}` : ''}{dimensions.includes('category') && value.category ? ` · ${value.category}` : ''}{dimensions.includes('channel') && value.channel ? ` · ${CHANNEL_LABELS[value.channel] ?? value.channel}` : ''}
      </span>
    </div>
  );
}

const DIMENSION_LABELS: Record<Dimension, string> = { district: '区县', category: '诉求分类', channel: '渠道' };

/**
 * What a card says when the page's filter holds a dimension its figures cannot be cut by (a topic
 * has no channel): the figures are for all of that dimension, and the card says so instead of
 * looking filtered.
 */
export function FilterNote({ filter, ignores, why }: { filter: StatsFilter; ignores: readonly Dimension[]; why: string }) {
  const set = ignores.filter((d) => filter[d]);
  if (!set.length) return null;
  return (
    <p className="filter-note small" data-testid="filter-note">
      未按{set.map((d) => DIMENSION_LABELS[d]).join('、')}筛选（{why}），所示为全部{set.map((d) => DIMENSION_LABELS[d]).join('、')}。
    </p>
  );
}

/** a figure's district against the filter's: 未识别 is a figure without one */
export function districtMatches(filter: StatsFilter, district: string | null): boolean {
  return !filter.district || (district ?? '未识别') === filter.district;
}
