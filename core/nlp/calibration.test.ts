import { describe, expect, it } from 'vitest';
import { calibrate, confusion, fitPlatt, reliability, reviewQueue } from './calibration';
import { seededRandom } from '../util/seeded-random';
import { logisticProbability, trainLogistic } from './linear/logistic';

describe('calibration', () => {
  it('maps over-confident reads onto their accuracy', () => {
    // confidences near 0.95, but only 70 % of those reads are right
    const rand = seededRandom(3);
    const conf = Array.from({ length: 2000 }, () => 0.9 + rand() * 0.09);
    const correct = conf.map(() => rand() < 0.7);
    const before = reliability(conf, correct).ece;
    const platt = fitPlatt(conf, correct);
    const after = reliability(conf.map((c) => calibrate(c, platt)), correct).ece;
    expect(before).toBeGreaterThan(0.2);
    expect(after).toBeLessThan(0.03);
    expect(calibrate(0.8, null)).toBe(0.8);
  });
  it('reports the review queue and the confusion matrix', () => {
    expect(reviewQueue([0.2, 0.9, 0.3, 0.95], [false, true, true, false], 0.5)).toEqual({ threshold: 0.5, misreadsCaught: 0.5, correctHeld: 0.5, queued: 0.5 });
    expect(confusion(['a', 'a', 'b'], ['a', 'b', 'b'])).toEqual({ a: { a: 1, b: 1 }, b: { a: 0, b: 1 } });
  });
  it('fits a logistic regression that separates what it can', () => {
    const X = [[0], [0.2], [0.4], [0.6], [0.8], [1]];
    const y = [0, 0, 0, 1, 1, 1];
    const m = trainLogistic(X, y, { l2: 0.01 });
    expect(logisticProbability(m, [0.05])).toBeLessThan(0.2);
    expect(logisticProbability(m, [0.95])).toBeGreaterThan(0.8);
  });
});
