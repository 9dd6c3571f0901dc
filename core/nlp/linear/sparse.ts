// Compressed sparse rows: the training matrix for the linear solvers.
export interface Csr {
  rows: number;
  cols: number;
  rowPtr: Int32Array; // length rows + 1
  colIdx: Int32Array;
  values: Float32Array;
}

/** mulberry32: a small seeded PRNG so training is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffleInPlace(a: Int32Array, n: number, rand: () => number): void {
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
