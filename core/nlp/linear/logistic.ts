// L2-regularised logistic regression on a few dense features (Newton's method): the small
// stacking model that weighs a reader's hand-made signals against its n-gram classifier.
export interface Logistic {
  weights: number[];
  bias: number;
}

export function logisticProbability(m: Logistic, x: readonly number[]): number {
  let z = m.bias;
  for (let j = 0; j < x.length; j++) z += m.weights[j] * x[j];
  return 1 / (1 + Math.exp(-z));
}

/** Fits weights for y ∈ {0,1}; `sampleWeights` (e.g. to balance the classes) scale each row's loss. */
export function trainLogistic(X: readonly (readonly number[])[], y: readonly number[], opts: { l2?: number; sampleWeights?: readonly number[]; iterations?: number } = {}): Logistic {
  const n = X.length;
  const d = n ? X[0].length : 0;
  const l2 = opts.l2 ?? 1;
  const sw = opts.sampleWeights ?? new Array(n).fill(1);
  const w = new Array(d + 1).fill(0); // last entry: bias (not regularised)
  for (let it = 0; it < (opts.iterations ?? 50); it++) {
    const g = new Array(d + 1).fill(0);
    const H = Array.from({ length: d + 1 }, () => new Array(d + 1).fill(0));
    for (let j = 0; j < d; j++) {
      g[j] = l2 * w[j];
      H[j][j] = l2;
    }
    H[d][d] = 1e-6;
    for (let i = 0; i < n; i++) {
      const xi = X[i];
      let z = w[d];
      for (let j = 0; j < d; j++) z += w[j] * xi[j];
      const p = 1 / (1 + Math.exp(-z));
      const r = sw[i] * (p - y[i]);
      const s = sw[i] * p * (1 - p);
      for (let j = 0; j <= d; j++) {
        const xj = j === d ? 1 : xi[j];
        g[j] += r * xj;
        if (s === 0 || xj === 0) continue;
        for (let m = j; m <= d; m++) {
          const xm = m === d ? 1 : xi[m];
          H[j][m] += s * xj * xm;
        }
      }
    }
    for (let j = 0; j <= d; j++) for (let m = 0; m < j; m++) H[j][m] = H[m][j];
    const step = solve(H, g);
    let size = 0;
    for (let j = 0; j <= d; j++) {
      w[j] -= step[j];
      size += Math.abs(step[j]);
    }
    if (size < 1e-8) break;
  }
  return { weights: w.slice(0, d).map((x) => Math.round(x * 1e6) / 1e6), bias: Math.round(w[d] * 1e6) / 1e6 };
}

/** Gaussian elimination with partial pivoting (the systems here are a few dozen unknowns). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    const piv = M[c][c];
    if (Math.abs(piv) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c] / piv;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row, i) => (Math.abs(row[i]) < 1e-12 ? 0 : row[n] / row[i]));
}
