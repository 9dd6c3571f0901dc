import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** An alert's counts over time: the rule's window and the one before it, bucket by bucket. */
export function AlertSeriesChart({ data, height = 90 }: { data: { label: string; count: number; inWindow: boolean }[]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
        <XAxis dataKey="label" fontSize={10} interval="preserveStartEnd" />
        <YAxis allowDecimals={false} fontSize={10} width={24} />
        <Tooltip />
        <Bar dataKey="count" name="留言数" fill="#dc2626" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
