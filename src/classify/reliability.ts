import type { HeadPrediction } from './head.js';

/**
 * Reliability map of a head's first guess: how often a held-out first guess shown with
 * probability p was right, as a monotone piecewise-linear function of p (isotonic
 * regression, pool-adjacent-violators). Temperature scaling alone cannot fit this model's
 * topic head: on held-out texts its confident guesses (p ≈ 0.98, four in ten texts) were
 * right about 8 times in 10 while its unsure ones were right more often than they said,
 * and one temperature only moves both the same way.
 */
export interface Reliability {
  /** Probabilities shown before the map (ascending) and the share right at each (non-decreasing). */
  x: number[];
  y: number[];
}

/** Fewer held-out first guesses than this leave the temperature alone in charge. */
const MIN_ROWS = 50;

/** Fits the map on held-out (probability of the first guess, was it right) pairs; null with too few. */
export function fitReliability(p: number[], correct: boolean[]): Reliability | null {
  if (p.length < MIN_ROWS) return null;
  const order = p.map((_, i) => i).sort((a, b) => (p[a] as number) - (p[b] as number));
  // Blocks of the PAV: sum of p, sum of right, count; merged while a block is more right than the next.
  const blocks: Array<{ sp: number; sy: number; n: number }> = [];
  for (const i of order) {
    blocks.push({ sp: p[i] as number, sy: correct[i] ? 1 : 0, n: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1] as { sp: number; sy: number; n: number };
      const a = blocks[blocks.length - 2] as { sp: number; sy: number; n: number };
      if (a.sy / a.n < b.sy / b.n) break;
      blocks.splice(blocks.length - 2, 2, { sp: a.sp + b.sp, sy: a.sy + b.sy, n: a.n + b.n });
    }
  }
  return { x: blocks.map((b) => b.sp / b.n), y: blocks.map((b) => b.sy / b.n) };
}

/** The map at `p`: linear between block centres, flat beyond the first and last. */
export function mapReliability(m: Reliability, p: number): number {
  const { x, y } = m;
  const last = x.length - 1;
  if (p <= (x[0] as number)) return y[0] as number;
  if (p >= (x[last] as number)) return y[last] as number;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((x[mid] as number) <= p) lo = mid;
    else hi = mid;
  }
  const [x0, x1, y0, y1] = [x[lo] as number, x[hi] as number, y[lo] as number, y[hi] as number];
  return x1 > x0 ? y0 + ((y1 - y0) * (p - x0)) / (x1 - x0) : y1;
}

/**
 * The first guess's probability replaced by the map; the other labels share what is left
 * in their old proportions. The first guess stays at least as likely as the second.
 */
export function applyReliability(h: HeadPrediction, m: Reliability | undefined): HeadPrediction {
  if (!m || !h.top.length) return h;
  const p1 = h.probability;
  const p2 = h.second?.probability ?? 0;
  const floor = p2 > 0 ? p2 / (1 - p1 + p2) : 0;
  const q1 = Math.min(Math.max(mapReliability(m, p1), floor), 1);
  const k = p1 < 1 ? (1 - q1) / (1 - p1) : 0;
  const top = h.top.map((t, i) => ({ label: t.label, probability: i === 0 ? q1 : t.probability * k }));
  return { label: h.label, probability: q1, second: top[1] ?? null, top };
}
