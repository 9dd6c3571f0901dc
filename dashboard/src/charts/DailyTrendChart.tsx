import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface DailyPoint {
  day: string;
  messages: number;
  cases: number;
  negative: number;
}

export function DailyTrendChart({ data }: { data: DailyPoint[] }) {
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} fontSize={12} />
        <YAxis allowDecimals={false} fontSize={12} />
        <Tooltip />
        <Legend />
        <Line isAnimationActive={false} type="monotone" dataKey="messages" name="留言" stroke="#2563eb" dot={false} strokeWidth={2} />
        <Line isAnimationActive={false} type="monotone" dataKey="cases" name="工单" stroke="#16a34a" dot={false} strokeWidth={2} />
        <Line isAnimationActive={false} type="monotone" dataKey="negative" name="负面" stroke="#dc2626" dot={false} strokeWidth={2} />
      </LineChart>
    </ResponsiveContainer>
  );
}
