// The one seeded PRNG (mulberry32): demo data, property tests and anything else that must replay
// exactly for the same seed on every machine.

export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  int(min: number, max: number): number; // inclusive
  pick<T>(xs: readonly T[]): T;
  weighted<T>(xs: readonly T[], weights: readonly number[]): T;
  chance(p: number): boolean;
  shuffle<T>(xs: T[]): T[];
}

/** 32-bit FNV-1a, for deriving sub-seeds and stable ids from strings. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Uniform numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createRng(seed: number | string): Rng {
  const next = seededRandom(typeof seed === 'number' ? seed : hash32(seed));
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (xs) => {
      if (xs.length === 0) throw new Error('pick from an empty list');
      return xs[Math.floor(next() * xs.length)];
    },
    weighted: (xs, weights) => {
      const total = weights.reduce((s, w) => s + w, 0);
      let r = next() * total;
      for (let i = 0; i < xs.length; i++) {
        r -= weights[i];
        if (r < 0) return xs[i];
      }
      return xs[xs.length - 1];
    },
    chance: (p) => next() < p,
    shuffle: (xs) => {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [xs[i], xs[j]] = [xs[j], xs[i]];
      }
      return xs;
    },
  };
  return rng;
}
