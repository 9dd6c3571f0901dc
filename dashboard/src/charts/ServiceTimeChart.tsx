import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface ServiceTimeRow {
  name: string;
  /** hours */
  median: number | null;
  p90: number | null;
  count: number;
}

/** 响应 / 办理时长 per department: the median and the 90th percentile, in hours. */
export function ServiceTimeChart({ data }: { data: ServiceTimeRow[] }) {
  return (
    <ResponsiveContainer width="100%" height={Math.max(160, data.length * 30 + 60)}>
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis type="number" fontSize={12} unit="小时" />
        <YAxis type="category" dataKey="name" width={120} fontSize={12} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? `${v} 小时` : String(v))} />
        <Legend />
        <Bar dataKey="median" name="中位数" fill="#2563eb" radius={[0, 3, 3, 0]} isAnimationActive={false} />
        <Bar dataKey="p90" name="90% 分位" fill="#93c5fd" radius={[0, 3, 3, 0]} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
