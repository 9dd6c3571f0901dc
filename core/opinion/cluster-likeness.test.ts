// chooseTopic reads a topic's likeness without building its weighted vector (and keeps what it
// derives from a frozen centroid between calls): it must give the very number the vector cosine
// gives, to the last bit, with or without live generic words, for kept (frozen) and fresh centroids.
import { describe, expect, it } from 'vitest';
import { chooseTopic, cosine, isLiveGeneric, likenessIdf, type TermStats, type TopicShape } from './cluster';
import { opinionConfig } from './config';

// a small deterministic generator (no Math.random: the same cases every run)
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const WORDS = ['停水', '路灯', '噪音', '施工', '小区', '物业', '加快', '尽快', '电梯', '维修', '垃圾', '清运', '公交', '停运', '工资', '拖欠', '学校', '食堂', '围挡', '占道', '加快建设', '噪音扰民', '夜间施工', '小区停水', '垃圾清运', '电梯维修'];

function reference(terms: Record<string, number>, t: TopicShape, stats: TermStats): number {
  const vec = (x: Record<string, number>, scale: number) => {
    const v = new Map<string, number>();
    for (const [k, w] of Object.entries(x)) if (!isLiveGeneric(stats, k)) v.set(k, (w / scale) * likenessIdf(stats, k));
    return v;
  };
  return cosine(vec(terms, 1), vec(t.centroid, Math.max(1, t.size)));
}

describe('the likeness of chooseTopic', () => {
  // every bar 0: the one candidate is chosen whenever it is alike at all, with its likeness
  const cfg = { ...opinionConfig().assignment, joinSimilarity: 0, joinSimilarityNoAnchor: 0, joinSimilarityProblem: 0, joinSimilarityElsewhere: 0 };
  it('is the vector cosine to the last bit', () => {
    const r = rng(7);
    let compared = 0;
    for (let round = 0; round < 300; round++) {
      const pick = (n: number) => {
        const o: Record<string, number> = {};
        for (let i = 0; i < n; i++) o[WORDS[Math.floor(r() * WORDS.length)]] = Math.round((0.1 + r() * 5) * 1000) / 1000;
        return o;
      };
      const terms = pick(1 + Math.floor(r() * 12));
      const size = 1 + Math.floor(r() * 6);
      const centroid = pick(1 + Math.floor(r() * 20));
      const df = new Map(WORDS.filter(() => r() < 0.6).map((w) => [w, Math.floor(r() * 50)]));
      const generic = round % 3 === 0 ? new Set(['加快', '尽快']) : undefined;
      const stats: TermStats = { docs: 40 + Math.floor(r() * 500), df: (t) => df.get(t) ?? 0, generic };
      const fresh: TopicShape = { id: 1, district: 'A区', centroid, anchors: {}, size };
      const kept: TopicShape = { ...fresh, centroid: Object.freeze({ ...centroid }) };
      const want = reference(terms, fresh, stats);
      for (const t of [fresh, kept, kept]) {
        const got = chooseTopic({ district: 'A区', anchors: [], terms }, [t], stats, cfg);
        expect(got.topicId === null ? 0 : got.similarity).toBe(want > 0 ? want : 0);
      }
      // the same frozen centroid under another size: read again, not taken from the last call
      const grown: TopicShape = { ...kept, size: size + 1 };
      const got = chooseTopic({ district: 'A区', anchors: [], terms }, [grown], stats, cfg);
      const wantGrown = reference(terms, grown, stats);
      expect(got.topicId === null ? 0 : got.similarity).toBe(wantGrown > 0 ? wantGrown : 0);
      if (want > 0) compared++;
    }
    expect(compared).toBeGreaterThan(150);
  });

  it('takes a kept centroid\'s problem objects afresh when the topic\'s size changed', () => {
    const stats: TermStats = { docs: 100, df: () => 1 };
    // #停水 is named by 3 of 1 member's weight: a problem object of a 1-member topic, not of a 5-member one
    const centroid = Object.freeze({ '#停水': 3, 小区: 1, 物业: 1 });
    const message = { district: 'A区', anchors: [], terms: { '#路灯': 3, 小区: 1, 物业: 1 } };
    const one: TopicShape = { id: 1, district: 'A区', centroid, anchors: {}, size: 1 };
    const five: TopicShape = { ...one, size: 5 };
    expect(chooseTopic(message, [one], stats, cfg).topicId).toBeNull(); // two problems
    expect(chooseTopic(message, [five], stats, cfg).topicId).toBe(1);
    expect(chooseTopic(message, [one], stats, cfg).topicId).toBeNull();
  });
});
