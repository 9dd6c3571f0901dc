// Classification scores as scikit-learn computes them: macro-F1 averages over every label that
// occurs in the gold or the predicted labels, so the peer baseline's figures are comparable.
export interface ClassScore {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Evaluation {
  macroF1: number;
  accuracy: number;
  perClass: Record<string, ClassScore>;
}

const round = (x: number) => Math.round(x * 10000) / 10000;

export function evaluate(gold: readonly string[], predicted: readonly string[]): Evaluation {
  if (gold.length !== predicted.length) throw new Error(`evaluate: ${gold.length} gold labels but ${predicted.length} predictions`);
  const labels = [...new Set([...gold, ...predicted])].sort();
  const perClass: Record<string, ClassScore> = {};
  let f1Sum = 0;
  let correct = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) correct++;
  for (const l of labels) {
    let tp = 0, fp = 0, fn = 0;
    for (let i = 0; i < gold.length; i++) {
      const g = gold[i] === l;
      const p = predicted[i] === l;
      if (g && p) tp++;
      else if (p) fp++;
      else if (g) fn++;
    }
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    f1Sum += f1;
    perClass[l] = { precision: round(precision), recall: round(recall), f1: round(f1), support: tp + fn };
  }
  return {
    macroF1: labels.length ? round(f1Sum / labels.length) : 0,
    accuracy: gold.length ? round(correct / gold.length) : 0,
    perClass,
  };
}

export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const n = xs.length;
  if (!n) return { mean: 0, std: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean: round(mean), std: round(Math.sqrt(variance)) };
}
