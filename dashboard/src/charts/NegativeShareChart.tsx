import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface NegativeSharePoint {
  day: string;
  cases: number;
  /** negative / cases of the day; null on a day without cases */
  share: number | null;
}

/** 情感趋势: the share negative per day (line, left axis) over the day's volume (bars, right axis). */
export function NegativeShareChart({ data, height = 260 }: { data: NegativeSharePoint[]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} fontSize={12} minTickGap={16} />
        <YAxis yAxisId="share" domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} fontSize={12} width={44} />
        <YAxis yAxisId="n" orientation="right" allowDecimals={false} fontSize={12} width={32} />
        <Tooltip formatter={(v, name) => (name === '负面占比' && typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v))} />
        <Legend />
        <Bar yAxisId="n" dataKey="cases" name="工单数" fill="#cbd5e1" radius={[3, 3, 0, 0]} />
        <Line yAxisId="share" type="linear" dataKey="share" name="负面占比" stroke="#dc2626" strokeWidth={2} dot={false} connectNulls />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
