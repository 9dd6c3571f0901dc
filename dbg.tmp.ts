import { messageFeatures } from './core/opinion/features';
import { analyzeMessage } from './core/nlp/analyze';
import { chooseTopic, addToShape, cosine, idf } from './core/opinion/cluster';
const O = [
  ['镜湖区赭山街道春江花园停水', '春江花园小区从昨天早上开始停水，到现在已经十几个小时了，没有任何通知，老人孩子没法洗漱做饭。'],
  ['春江花园没水了', '镜湖区春江花园小区一直没有自来水，水龙头拧开一滴都没有，请自来水公司尽快恢复供水。'],
  ['春江花园小区断水一天了', '我们镜湖区春江花园小区断水一整天了，物业说是水管爆了，什么时候能来水？'],
];
const fs = O.map(([t, b]) => { const a = analyzeMessage(b, { title: t }); const f = messageFeatures({ title: t, body: b, analysis: a }); console.log(a.place, f.district, f.anchors, Object.keys(f.terms).join(' ')); return f; });
const df = new Map<string, number>();
for (const f of fs) for (const t of Object.keys(f.terms)) df.set(t, (df.get(t) ?? 0) + 1);
const stats = { docs: 12, df: (t: string) => df.get(t) ?? 0 };
const w = (terms: Record<string, number>) => new Map(Object.entries(terms).map(([k, v]) => [k, v * idf(stats, k)]));
console.log(cosine(w(fs[0].terms), w(fs[1].terms)), cosine(w(fs[0].terms), w(fs[2].terms)));
