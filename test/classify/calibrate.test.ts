import { describe, expect, it } from 'vitest';
import { applyTemperature, autoTable, expectedCalibrationError, fitTemperature, pointFor, precisionLowerBound } from '../../src/classify/calibrate.js';
import { deserializeModel, serializeModel } from '../../src/classify/codec.js';
import { topK } from '../../src/classify/head.js';
import { predict } from '../../src/classify/model.js';
import { seededRandom } from '../../src/classify/random.js';
import { trainModel } from '../../src/classify/train.js';
import { syntheticSamples } from './synthetic.js';

/** Rows whose gold label is drawn from the true distribution q, shown to the fit as q^3 (over-confident). */
function overConfident(n: number, classes: number) {
  const rnd = seededRandom(7);
  const rows: Float32Array[] = [];
  const gold: number[] = [];
  for (let i = 0; i < n; i++) {
    const q = Float32Array.from({ length: classes }, () => rnd() ** 2 + 0.01);
    let s = 0;
    for (const v of q) s += v;
    let u = rnd() * s;
    let g = 0;
    while (u > (q[g] as number) && g < classes - 1) u -= q[g++] as number;
    gold.push(g);
    rows.push(applyTemperature(Float32Array.from(q, (v) => v / s), 3));
  }
  return { rows, gold: Int32Array.from(gold) };
}

describe('calibration', () => {
  it('temperature scaling undoes an over-confident head', () => {
    const { rows, gold } = overConfident(3000, 5);
    const a = fitTemperature(rows, gold);
    expect(a).toBeGreaterThan(0.25);
    expect(a).toBeLessThan(0.42);
    const before = expectedCalibrationError(rows.map((r) => Math.max(...r)), rows.map((r, i) => topK(['a', 'b', 'c', 'd', 'e'], r).label === 'abcde'[gold[i]!]));
    const fixed = rows.map((r) => applyTemperature(Float32Array.from(r), a));
    const after = expectedCalibrationError(fixed.map((r) => Math.max(...r)), fixed.map((r, i) => topK(['a', 'b', 'c', 'd', 'e'], r).label === 'abcde'[gold[i]!]));
    expect(after).toBeLessThan(before / 2);
  });

  it('the auto table gives the lowest threshold whose precision reached each target with 90% confidence', () => {
    // Scores 1..100; right answers are the 80 best and every other of the rest.
    const score = Array.from({ length: 100 }, (_, i) => (100 - i) / 100);
    const correct = score.map((_, i) => i < 80 || i % 2 === 0);
    const table = autoTable(score, correct);
    const p90 = pointFor(table, 0.9)!;
    const decided = score.filter((s) => s >= p90.threshold).length;
    const right = correct.filter((c, i) => c && score[i]! >= p90.threshold).length;
    expect(right / decided).toBeGreaterThanOrEqual(0.9);
    expect(precisionLowerBound(right, decided)).toBeGreaterThanOrEqual(0.9);
    expect(p90.coverage).toBeCloseTo(decided / 100);
    // Every lower threshold (more texts) stays below the target by the same bound.
    for (let more = decided + 1; more <= 100; more++) {
      expect(precisionLowerBound(correct.slice(0, more).filter(Boolean).length, more)).toBeLessThan(0.9);
    }
    expect(pointFor(autoTable(score, score.map(() => false)), 0.9)).toBeNull();
  });

  it('top-k lists the best labels in order', () => {
    const k = topK(['a', 'b', 'c', 'd'], Float32Array.from([0.1, 0.4, 0.2, 0.3]));
    expect(k.top.map((t) => t.label)).toEqual(['b', 'd', 'c']);
    expect(k.label).toBe('b');
    expect(k.second?.label).toBe('d');
  });
});

describe('calibrated model', () => {
  const samples = syntheticSamples().filter((_, i) => i % 5 !== 0);
  const model = trainModel(samples, { version: 1, trainedAt: new Date('2025-03-01T00:00:00Z') });

  it('reports held-out metrics, temperatures and an auto table', () => {
    expect(model.metrics).toMatchObject({ kind: 'held-out', folds: 2, n: samples.length, auto_precision: 0.9 });
    expect(model.metrics.topic_top3 as number).toBeGreaterThanOrEqual(model.metrics.topic_accuracy as number);
    expect(model.calibration?.topic).toBeGreaterThan(0);
    expect(model.calibration?.department).toBeGreaterThan(0);
    expect(model.auto?.length).toBeGreaterThan(0);
  });

  it('predicts the best three topics and departments with probabilities, after a round trip too', () => {
    const back = deserializeModel(serializeModel(model));
    expect(back.calibration).toEqual(model.calibration);
    expect(back.auto).toEqual(model.auto);
    const p = predict(back, 'во дворе батареи холодные, отопления нет');
    expect(p.topic?.top).toHaveLength(3);
    expect(p.department?.top).toHaveLength(3);
    expect(p.topic?.top[0]?.label).toBe('Отопление');
    const ps = p.topic!.top.map((t) => t.probability);
    expect(ps[0]!).toBeGreaterThanOrEqual(ps[1]!);
    expect(ps[1]!).toBeGreaterThanOrEqual(ps[2]!);
    expect(ps.reduce((a, b) => a + b)).toBeLessThanOrEqual(1.0001);
  });
});
