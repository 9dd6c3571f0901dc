import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface SentimentPoint {
  day: string;
  negative: number;
  neutral: number;
  positive: number;
  /** negative / cases of the day; null on a day without cases */
  share: number | null;
}

/** 情感趋势 for the chosen period: cases per day by sentiment (stacked bars) and the negative share (line). */
export function SentimentTrendChart({ data, height = 260 }: { data: SentimentPoint[]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} fontSize={12} minTickGap={16} />
        <YAxis yAxisId="n" allowDecimals={false} fontSize={12} width={36} />
        <YAxis yAxisId="share" orientation="right" domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} fontSize={12} width={44} />
        <Tooltip formatter={(v, name) => (name === '负面占比' && typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v))} />
        <Legend />
        <Bar yAxisId="n" stackId="s" dataKey="negative" name="负面" fill="#f87171" isAnimationActive={false} />
        <Bar yAxisId="n" stackId="s" dataKey="neutral" name="中性" fill="#cbd5e1" isAnimationActive={false} />
        <Bar yAxisId="n" stackId="s" dataKey="positive" name="正面" fill="#86efac" isAnimationActive={false} />
        <Line yAxisId="share" type="linear" dataKey="share" name="负面占比" stroke="#b91c1c" strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
