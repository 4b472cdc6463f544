import { describe, expect, it } from 'vitest';
import { expectedCalibrationError } from '../../src/classify/calibrate.js';
import { applyReliability, fitReliability, mapReliability } from '../../src/classify/reliability.js';
import { seededRandom } from '../../src/classify/random.js';

/**
 * A head no temperature can fix: its sure guesses (shown 0.98) are right 8 times in 10,
 * its unsure ones (shown 0.2–0.5) more often than they say.
 */
function twoFaced(n: number, seed: number) {
  const rnd = seededRandom(seed);
  const p: number[] = [];
  const ok: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const sure = rnd() < 0.4;
    const shown = sure ? 0.98 : 0.2 + 0.3 * rnd();
    const truth = sure ? 0.8 : shown + 0.15;
    p.push(shown);
    ok.push(rnd() < truth);
  }
  return { p, ok };
}

describe('reliability map of the first guess', () => {
  it('is monotone and, fitted on held-out guesses, calibrates new ones', () => {
    const fit = twoFaced(2000, 1);
    const m = fitReliability(fit.p, fit.ok);
    expect(m).not.toBeNull();
    if (!m) return;
    for (let i = 1; i < m.y.length; i++) expect(m.y[i]).toBeGreaterThanOrEqual(m.y[i - 1] as number);
    const fresh = twoFaced(2000, 2);
    const before = expectedCalibrationError(fresh.p, fresh.ok);
    const after = expectedCalibrationError(fresh.p.map((x) => mapReliability(m, x)), fresh.ok);
    expect(before).toBeGreaterThan(0.1);
    expect(after).toBeLessThan(0.04);
  });

  it('needs enough held-out rows', () => {
    expect(fitReliability([0.9, 0.8], [true, false])).toBeNull();
  });

  it('keeps the ranking and the total when it lowers the first guess', () => {
    const m = { x: [0.1, 0.9], y: [0.1, 0.6] };
    const h = { label: 'a', probability: 0.9, second: { label: 'b', probability: 0.06 }, top: [{ label: 'a', probability: 0.9 }, { label: 'b', probability: 0.06 }, { label: 'c', probability: 0.04 }] };
    const out = applyReliability(h, m);
    expect(out.probability).toBeCloseTo(0.6);
    expect(out.top.map((t) => t.label)).toEqual(['a', 'b', 'c']);
    expect(out.top.reduce((s, t) => s + t.probability, 0)).toBeCloseTo(1);
    expect(out.second?.probability).toBeCloseTo(0.24);
  });

  it('never puts the first guess below the second', () => {
    const m = { x: [0.3, 0.9], y: [0.05, 0.5] };
    const h = { label: 'a', probability: 0.35, second: { label: 'b', probability: 0.3 }, top: [{ label: 'a', probability: 0.35 }, { label: 'b', probability: 0.3 }] };
    const out = applyReliability(h, m);
    expect(out.probability).toBeGreaterThanOrEqual(out.second?.probability ?? 0);
  });
});
