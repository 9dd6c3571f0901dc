// Re-clustering splits a topic whose members divide into two problem objects at one place (the lifts
// and the water of one estate), and keeps a topic of one problem whole. Our own fixture sentences.
import { describe, expect, it } from 'vitest';
import { recluster, type MemberFeatures, type TermStats } from '../core/opinion/cluster';
import { opinionConfig } from '../core/opinion/config';
import { messageFeatures } from '../core/opinion/features';

const T0 = new Date('2026-05-04T02:00:00Z').getTime();
function members(msgs: [string, string][]): MemberFeatures[] {
  return msgs.map(([title, body], i) => ({ ...messageFeatures({ title, body, analysis: null }), messageId: i + 1, receivedAt: new Date(T0 + i * 3_600_000), topicId: 1 }));
}
function statsOf(ms: MemberFeatures[]): TermStats {
  const df = new Map<string, number>();
  for (const m of ms) for (const t of Object.keys(m.terms)) df.set(t, (df.get(t) ?? 0) + 1);
  return { docs: ms.length + 50, df: (t) => df.get(t) ?? 0 };
}
// a low join bar: the place alone joins, so only the problem objects can keep the two problems apart
const cfg = { ...opinionConfig().assignment, joinSimilarity: 0.02, joinSimilarityNoAnchor: 0.02, mergeSimilarity: 0.05 };

describe('re-clustering splits two problems at one place', () => {
  it('moves the members about a second problem object into a topic of their own', () => {
    // in turns, so each object stays named by 40 % of the members and neither vetoes the other
    const ms = members([
      ['A2区翠湖湾小区电梯坏了还停水', 'A2区翠湖湾小区电梯坏了一周，今天又停水，老人下不了楼也没水喝。'],
      ['翠湖湾小区电梯故障', 'A2区翠湖湾小区5号楼电梯经常停运，请维修电梯。'],
      ['翠湖湾小区停水', 'A2区翠湖湾小区今天又停水，没有提前通知。'],
      ['翠湖湾小区电梯困人', 'A2区翠湖湾小区电梯昨天困人半小时。'],
      ['翠湖湾小区没水', 'A2区翠湖湾小区从早上开始停水，到现在还没水。'],
      ['翠湖湾小区电梯年久失修', 'A2区翠湖湾小区电梯年久失修，维保不到位。'],
    ]);
    const r = recluster(ms, statsOf(ms), cfg);
    const lifts = [2, 4, 6].map((id) => r.assignment.get(id));
    const water = [3, 5].map((id) => r.assignment.get(id));
    expect(new Set(lifts).size).toBe(1);
    expect(new Set(water).size).toBe(1);
    expect(water[0]).not.toBe(lifts[0]);
    expect(lifts[0]).toBe(1); // the larger part keeps the id
  });

  it('keeps one problem whole when a single member names another object too', () => {
    const ms = members([
      ['A2区翠湖湾小区电梯故障', 'A2区翠湖湾小区5号楼电梯经常停运，请维修电梯。'],
      ['翠湖湾小区电梯困人', 'A2区翠湖湾小区电梯昨天困人半小时。'],
      ['翠湖湾小区电梯年久失修', 'A2区翠湖湾小区电梯年久失修，维保不到位。'],
      ['翠湖湾小区电梯坏了', 'A2区翠湖湾小区电梯坏了，物业不管。'],
      ['翠湖湾小区电梯又停了', 'A2区翠湖湾小区电梯又停了，老人爬楼。'],
    ]);
    const r = recluster(ms, statsOf(ms), cfg);
    expect(new Set(r.assignment.values())).toEqual(new Set([1]));
  });
});
