// Confidence that means something: a reader's raw confidence in its label is mapped by Platt
// scaling (a logistic curve on the logit of the confidence) fitted on held-out predictions, so
// that of the messages read at confidence 0.8 about 80 % are right. Also the expected
// calibration error and the reliability table the eval commands print.
import { z } from 'zod';

export const plattSchema = z.object({ a: z.number(), b: z.number() });
export type Platt = z.infer<typeof plattSchema>;

const EPS = 1e-4;
const logit = (p: number) => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Calibrated confidence; without a fitted curve the raw confidence stands. */
export function calibrate(confidence: number, platt: Platt | null | undefined): number {
  if (!platt || !Number.isFinite(confidence)) return confidence;
  return sigmoid(platt.a * logit(confidence) + platt.b);
}

/** Fits a, b minimising the log loss of sigmoid(a·logit(conf) + b) against right/wrong (Newton's method, lightly regularised). */
export function fitPlatt(confidences: readonly number[], correct: readonly boolean[]): Platt {
  if (confidences.length !== correct.length) throw new Error('fitPlatt: lengths differ');
  const n = confidences.length;
  if (!n) return { a: 1, b: 0 };
  // Platt's target smoothing keeps the fit finite when every read is right (or wrong)
  const pos = correct.filter(Boolean).length;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  const x = confidences.map(logit);
  const t = correct.map((c) => (c ? hi : lo));
  let a = 1;
  let b = 0;
  const lambda = 1e-3;
  const loss = (a: number, b: number) => {
    let l = 0.5 * lambda * (a - 1) * (a - 1);
    for (let i = 0; i < n; i++) {
      const z = a * x[i] + b;
      // log(1 + e^z) − t·z, computed without overflow
      l += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t[i] * z;
    }
    return l;
  };
  let current = loss(a, b);
  for (let it = 0; it < 100; it++) {
    let ga = lambda * (a - 1), gb = 0, haa = lambda, hab = 0, hbb = 1e-6;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a * x[i] + b);
      const d = p - t[i];
      const w = p * (1 - p);
      ga += d * x[i];
      gb += d;
      haa += w * x[i] * x[i];
      hab += w * x[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    let da = Math.abs(det) > 1e-12 ? (hbb * ga - hab * gb) / det : ga;
    let db = Math.abs(det) > 1e-12 ? (haa * gb - hab * ga) / det : gb;
    // backtracking: a Newton step on a nearly flat direction can overshoot wildly
    let step = 1;
    let next = loss(a - da, b - db);
    while (!(next <= current) && step > 1e-6) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    if (!(next <= current)) break;
    da *= step;
    db *= step;
    a -= da;
    b -= db;
    const gain = current - next;
    current = next;
    if (Math.abs(da) + Math.abs(db) < 1e-9 || gain < 1e-10) break;
  }
  return { a: Math.round(a * 1e6) / 1e6, b: Math.round(b * 1e6) / 1e6 };
}

export interface ReliabilityBin {
  /** confidence range [from, to) */
  from: number;
  to: number;
  n: number;
  meanConfidence: number;
  accuracy: number;
}

const r4 = (x: number) => Math.round(x * 10000) / 10000;

/** Expected calibration error over equal-width confidence bins, and the bins themselves. */
export function reliability(confidences: readonly number[], correct: readonly boolean[], bins = 10): { ece: number; table: ReliabilityBin[] } {
  const sums = Array.from({ length: bins }, () => ({ n: 0, conf: 0, hit: 0 }));
  confidences.forEach((c, i) => {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(c * bins)));
    sums[b].n++;
    sums[b].conf += c;
    if (correct[i]) sums[b].hit++;
  });
  const n = confidences.length;
  let ece = 0;
  const table: ReliabilityBin[] = [];
  sums.forEach((s, b) => {
    if (!s.n) return;
    ece += (s.n / n) * Math.abs(s.hit / s.n - s.conf / s.n);
    table.push({ from: b / bins, to: (b + 1) / bins, n: s.n, meanConfidence: r4(s.conf / s.n), accuracy: r4(s.hit / s.n) });
  });
  return { ece: r4(ece), table };
}

/** What the 人工复核 queue does at a threshold: the share of misreads it catches and of correct reads it holds. */
export function reviewQueue(confidences: readonly number[], correct: readonly boolean[], threshold: number) {
  let wrong = 0, wrongHeld = 0, right = 0, rightHeld = 0;
  confidences.forEach((c, i) => {
    const held = c < threshold;
    if (correct[i]) { right++; if (held) rightHeld++; } else { wrong++; if (held) wrongHeld++; }
  });
  return {
    threshold,
    misreadsCaught: wrong ? r4(wrongHeld / wrong) : 0,
    correctHeld: right ? r4(rightHeld / right) : 0,
    queued: confidences.length ? r4((wrongHeld + rightHeld) / confidences.length) : 0,
  };
}

/** Confusion matrix: gold label → predicted label → count. */
export function confusion(gold: readonly string[], predicted: readonly string[]): Record<string, Record<string, number>> {
  const labels = [...new Set([...gold, ...predicted])].sort();
  const m: Record<string, Record<string, number>> = {};
  for (const g of labels) m[g] = Object.fromEntries(labels.map((p) => [p, 0]));
  gold.forEach((g, i) => m[g][predicted[i]]++);
  return m;
}
