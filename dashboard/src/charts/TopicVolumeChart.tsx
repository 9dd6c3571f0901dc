import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface TopicVolume {
  name: string;
  volume: number;
  previous: number;
}

const FONT = 12;
const LINE = 14;
/** characters per label line: a label is "place·problem", each part wrapped to lines this long */
const LINE_CHARS = 9;
const MAX_LINES = 3;

/** A label's lines: split at the "·" between place and problem, each part cut into LINE_CHARS; at most MAX_LINES (the last one ends in "…"). */
export function labelLines(name: string): string[] {
  const lines: string[] = [];
  for (const part of name.split('·')) {
    const chars = [...part];
    for (let i = 0; i < chars.length; i += LINE_CHARS) lines.push(chars.slice(i, i + LINE_CHARS).join(''));
  }
  if (lines.length <= MAX_LINES) return lines;
  const kept = lines.slice(0, MAX_LINES);
  kept[MAX_LINES - 1] = `${[...kept[MAX_LINES - 1]].slice(0, LINE_CHARS - 1).join('')}…`;
  return kept;
}

// a CJK character is about one em wide at this size; Latin letters and digits about half
const textWidth = (s: string) => [...s].reduce((w, ch) => w + (/[\u0000-\u00ff]/.test(ch) ? FONT * 0.6 : FONT), 0);

function Tick({ x, y, payload }: { x?: number; y?: number; payload?: { value: string } }) {
  const lines = labelLines(String(payload?.value ?? ''));
  const top = -((lines.length - 1) * LINE) / 2;
  return (
    <text x={x} y={y} textAnchor="end" fontSize={FONT} fill="#374151" dominantBaseline="central">
      <title>{payload?.value}</title>
      {lines.map((l, i) => (
        <tspan key={i} x={x} dy={i === 0 ? top : LINE}>{l}</tspan>
      ))}
    </text>
  );
}

/** 热点: messages in this window beside the previous one, one row per topic; long labels wrap (never cut off at the left). */
export function TopicVolumeChart({ data }: { data: TopicVolume[] }) {
  const lines = data.map((d) => labelLines(d.name));
  // the axis is as wide as the longest label line (plus the tick gap), so no label runs past the left edge
  const axisWidth = Math.ceil(Math.max(40, ...lines.flat().map(textWidth)) + 12);
  const rowHeight = Math.max(34, Math.max(1, ...lines.map((l) => l.length)) * LINE + 10);
  return (
    <ResponsiveContainer width="100%" height={Math.max(160, data.length * rowHeight + 50)}>
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis type="number" allowDecimals={false} fontSize={FONT} />
        <YAxis type="category" dataKey="name" width={axisWidth} interval={0} tick={<Tick />} />
        <Tooltip />
        <Legend />
        <Bar isAnimationActive={false} dataKey="volume" name="本期" fill="#b91c1c" radius={[0, 4, 4, 0]} />
        <Bar isAnimationActive={false} dataKey="previous" name="上期" fill="#fca5a5" radius={[0, 4, 4, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}
