import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface TopicVolume {
  name: string;
  volume: number;
  previous: number;
}

/** 热点: messages in this window beside the previous one, one row per topic. */
export function TopicVolumeChart({ data }: { data: TopicVolume[] }) {
  return (
    <ResponsiveContainer width="100%" height={Math.max(160, data.length * 34 + 50)}>
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis type="number" allowDecimals={false} fontSize={12} />
        <YAxis type="category" dataKey="name" width={110} fontSize={12} />
        <Tooltip />
        <Legend />
        <Bar isAnimationActive={false} dataKey="volume" name="本期" fill="#b91c1c" radius={[0, 4, 4, 0]} />
        <Bar isAnimationActive={false} dataKey="previous" name="上期" fill="#fca5a5" radius={[0, 4, 4, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}
