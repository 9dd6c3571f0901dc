// One-vs-rest L2-regularised L2-loss linear SVM, trained in the dual by coordinate descent with
// shrinking (Hsieh et al. 2008; liblinear's solver 1). With no upper bound on alpha (L2 loss) only
// the lower-bound shrinking test applies. Each row of X is assumed L2-normalised or
// at least small; a constant bias feature is appended implicitly and regularised like liblinear.
import { type Csr, shuffleInPlace } from './sparse';
import { seededRandom } from '../../util/seeded-random';

export interface SvmOptions {
  C: number;
  /** stopping tolerance on the projected-gradient spread (liblinear default 0.1) */
  eps: number;
  maxIter: number;
  seed: number;
  bias: number;
  /** per-class multiplier of C for that class's positive examples (e.g. balanced weights) */
  classWeights?: Float64Array;
  /** NB-SVM: scale each feature by its naive-Bayes log-count ratio for the class (Wang & Manning
   * 2012) with this smoothing; the scale is folded into the returned weights. 0 = off. */
  nbAlpha?: number;
}

/** Returns feature-major weights: w[(f * nClasses) + c], with row `X.cols` holding the bias. */
export function trainOneVsRest(X: Csr, y: Int32Array, nClasses: number, opts: SvmOptions): Float32Array {
  const W = new Float32Array((X.cols + 1) * nClasses);
  const w = new Float64Array(X.cols + 1);
  const sqNorm = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let s = opts.bias * opts.bias;
    for (let p = X.rowPtr[i]; p < X.rowPtr[i + 1]; p++) s += X.values[p] * X.values[p];
    sqNorm[i] = s;
  }
  const nb = opts.nbAlpha ?? 0;
  for (let c = 0; c < nClasses; c++) {
    const cPos = opts.C * (opts.classWeights ? opts.classWeights[c] : 1);
    if (nb > 0) {
      const r = logCountRatio(X, y, c, nb);
      const values = new Float32Array(X.values.length);
      for (let p = 0; p < values.length; p++) values[p] = X.values[p] * r[X.colIdx[p]];
      const scaled: Csr = { ...X, values };
      const sq = new Float64Array(X.rows);
      for (let i = 0; i < X.rows; i++) {
        let s = opts.bias * opts.bias;
        for (let p = X.rowPtr[i]; p < X.rowPtr[i + 1]; p++) s += scaled.values[p] * scaled.values[p];
        sq[i] = s;
      }
      solveBinary(scaled, y, c, cPos, opts.C, sq, w, opts);
      for (let f = 0; f < X.cols; f++) W[f * nClasses + c] = w[f] * r[f];
      W[X.cols * nClasses + c] = w[X.cols];
    } else {
      solveBinary(X, y, c, cPos, opts.C, sqNorm, w, opts);
      for (let f = 0; f <= X.cols; f++) W[f * nClasses + c] = w[f];
    }
  }
  return W;
}

function logCountRatio(X: Csr, y: Int32Array, positive: number, alpha: number): Float64Array {
  const p = new Float64Array(X.cols).fill(alpha);
  const q = new Float64Array(X.cols).fill(alpha);
  for (let i = 0; i < X.rows; i++) {
    const target = y[i] === positive ? p : q;
    for (let k = X.rowPtr[i]; k < X.rowPtr[i + 1]; k++) target[X.colIdx[k]] += X.values[k];
  }
  let ps = 0, qs = 0;
  for (let f = 0; f < X.cols; f++) { ps += p[f]; qs += q[f]; }
  const r = new Float64Array(X.cols);
  for (let f = 0; f < X.cols; f++) r[f] = Math.abs(Math.log(p[f] / ps / (q[f] / qs)));
  return r;
}

function solveBinary(
  X: Csr, y: Int32Array, positive: number, cPos: number, cNeg: number,
  sqNorm: Float64Array, w: Float64Array, opts: SvmOptions,
): void {
  const l = X.rows;
  const biasIdx = X.cols;
  const { rowPtr, colIdx, values } = X;
  const rand = seededRandom(opts.seed + positive * 7919);
  w.fill(0);
  const alpha = new Float64Array(l);
  const sign = new Int8Array(l);
  const diag = new Float64Array(l);
  const QD = new Float64Array(l);
  const index = new Int32Array(l);
  for (let i = 0; i < l; i++) {
    sign[i] = y[i] === positive ? 1 : -1;
    diag[i] = 0.5 / (sign[i] > 0 ? cPos : cNeg);
    QD[i] = diag[i] + sqNorm[i];
    index[i] = i;
  }
  let active = l;
  let pgMaxOld = Infinity;
  for (let iter = 0; iter < opts.maxIter; iter++) {
    let pgMaxNew = -Infinity;
    let pgMinNew = Infinity;
    shuffleInPlace(index, active, rand);
    for (let s = 0; s < active; s++) {
      const i = index[s];
      const yi = sign[i];
      const start = rowPtr[i];
      const end = rowPtr[i + 1];
      let dot = w[biasIdx] * opts.bias;
      for (let p = start; p < end; p++) dot += w[colIdx[p]] * values[p];
      const G = yi * dot - 1 + alpha[i] * diag[i];
      let PG = 0;
      if (alpha[i] === 0) {
        if (G > pgMaxOld) {
          active--;
          index[s] = index[active];
          index[active] = i;
          s--;
          continue;
        } else if (G < 0) PG = G;
      } else PG = G;
      if (PG > pgMaxNew) pgMaxNew = PG;
      if (PG < pgMinNew) pgMinNew = PG;
      if (Math.abs(PG) > 1e-12) {
        const old = alpha[i];
        const next = Math.max(old - G / QD[i], 0);
        alpha[i] = next;
        const d = (next - old) * yi;
        for (let p = start; p < end; p++) w[colIdx[p]] += d * values[p];
        w[biasIdx] += d * opts.bias;
      }
    }
    if (pgMaxNew - pgMinNew <= opts.eps) {
      if (active === l) break;
      active = l;
      pgMaxOld = Infinity;
      continue;
    }
    pgMaxOld = pgMaxNew <= 0 ? Infinity : pgMaxNew;
  }
}
