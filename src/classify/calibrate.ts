/**
 * Calibration of a head's probabilities on held-out (out-of-fold) predictions, and the
 * auto-decision threshold read off the same predictions. "80%" should mean right about
 * 8 times in 10; the threshold is where the model's own decisions reach the precision
 * the installation asks for.
 */

/**
 * Temperature scaling on probabilities: p_j^a / Σ p^a (the same as multiplying the
 * logits by `a`). `a` < 1 softens an over-confident head, > 1 sharpens a timid one.
 */
export function applyTemperature(p: Float32Array, a: number): Float32Array {
  if (a === 1) return p;
  let max = 0;
  for (const v of p) max = Math.max(max, v);
  if (max <= 0) return p;
  let sum = 0;
  for (let j = 0; j < p.length; j++) sum += p[j] = Math.pow((p[j] as number) / max, a);
  for (let j = 0; j < p.length; j++) p[j] = (p[j] as number) / sum;
  return p;
}

/** Per row: log-probabilities and the best three labels (by rank, which tempering does not change). */
interface Row {
  logs: Float64Array;
  top: number[];
  gold: number;
}

function prepare(rows: Float32Array[], gold: Int32Array): Row[] {
  return rows.map((p, i) => {
    const order = Array.from(p.keys()).sort((a, b) => (p[b] as number) - (p[a] as number));
    return { logs: Float64Array.from(p, (v) => Math.log(Math.max(v, 1e-12))), top: order.slice(0, 3), gold: gold[i] as number };
  });
}

/**
 * Brier score of the shown suggestions after tempering with `a`: Σ over the best three of
 * (p − right)². Moderators see the top three with percentages and the auto threshold reads
 * the first; NLL instead is dominated by the texts whose right topic sits far down the
 * ranking, and left the first guess badly under-confident (held-out ECE 0.40).
 */
function brierTop3(rows: Row[], a: number): number {
  let total = 0;
  for (const r of rows) {
    const max = r.logs[r.top[0] as number] as number;
    let z = 0;
    for (const l of r.logs) z += Math.exp((l - max) * a);
    for (const j of r.top) {
      const p = Math.exp(((r.logs[j] as number) - max) * a) / z;
      total += (p - (j === r.gold ? 1 : 0)) ** 2;
    }
  }
  return total / Math.max(rows.length, 1);
}

/**
 * The temperature minimizing the top-3 Brier score on held-out rows: golden-section search
 * on log a in [1/8, 8]. Rows with gold -1 (label unseen in the fold) are skipped.
 */
export function fitTemperature(rows: Float32Array[], gold: Int32Array): number {
  const keep = rows.flatMap((_, i) => ((gold[i] as number) >= 0 ? [i] : []));
  if (keep.length < 10) return 1;
  const r = prepare(keep.map((i) => rows[i] as Float32Array), Int32Array.from(keep, (i) => gold[i] as number));
  const phi = (Math.sqrt(5) - 1) / 2;
  let [lo, hi] = [Math.log(1 / 8), Math.log(8)];
  for (let it = 0; it < 30; it++) {
    const m1 = hi - phi * (hi - lo);
    const m2 = lo + phi * (hi - lo);
    if (brierTop3(r, Math.exp(m1)) < brierTop3(r, Math.exp(m2))) hi = m2;
    else lo = m1;
  }
  return Math.exp((lo + hi) / 2);
}

/** Expected calibration error of the top guess: Σ over equal-width bins of |accuracy − confidence| × share. */
export function expectedCalibrationError(confidence: number[], correct: boolean[], bins = 10): number {
  const n = confidence.length;
  if (!n) return 0;
  const sumP = new Float64Array(bins);
  const sumOk = new Float64Array(bins);
  const count = new Float64Array(bins);
  confidence.forEach((p, i) => {
    const b = Math.min(bins - 1, Math.floor(p * bins));
    sumP[b] = (sumP[b] as number) + p;
    sumOk[b] = (sumOk[b] as number) + (correct[i] ? 1 : 0);
    count[b] = (count[b] as number) + 1;
  });
  let e = 0;
  for (let b = 0; b < bins; b++) if (count[b]) e += Math.abs((sumOk[b] as number) - (sumP[b] as number)) / n;
  return e;
}

/** One row of the auto-decision table: deciding alone at score ≥ threshold had this precision and coverage. */
export interface AutoPoint {
  precision: number;
  threshold: number;
  coverage: number;
}

/** Fewer held-out decisions than this above a threshold say nothing about its precision. */
const MIN_DECIDED = 10;
/** One-sided 90% normal quantile: the precision a threshold is credited with is what it reached with 90% confidence. */
const Z = 1.2816;

/**
 * Wilson lower bound of a precision of `ok` right out of `n`. Crediting a threshold with its
 * raw held-out precision picked the luckiest few texts: in bench:classify the thresholds
 * chosen for 0.9 were right 0.755 of the time on unseen folds.
 */
export function precisionLowerBound(ok: number, n: number): number {
  if (n === 0) return 0;
  const p = ok / n;
  const z2 = Z * Z;
  return (p + z2 / (2 * n) - Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

/**
 * For each target precision 0.50, 0.51 … 0.99: the lowest score threshold whose decisions
 * (score ≥ threshold) reached it on the held-out predictions (by the lower bound of their
 * precision, see precisionLowerBound), with the share of texts it covers. Targets never reached are left out (the model then never decides alone).
 */
export function autoTable(score: number[], correct: boolean[]): AutoPoint[] {
  const order = score.map((_, i) => i).sort((a, b) => (score[b] as number) - (score[a] as number));
  const n = order.length;
  // best[k] = the largest prefix (coverage) whose precision reaches target k.
  const table: AutoPoint[] = [];
  let ok = 0;
  const reach = new Map<number, { threshold: number; covered: number }>();
  order.forEach((i, r) => {
    ok += correct[i] ? 1 : 0;
    const next = order[r + 1];
    // Only cut between distinct scores: ties are decided together.
    if (next !== undefined && score[next] === score[i]) return;
    if (r + 1 < MIN_DECIDED) return;
    const precision = precisionLowerBound(ok, r + 1);
    for (let k = 50; k <= 99 && k / 100 <= precision + 1e-12; k++) reach.set(k, { threshold: score[i] as number, covered: r + 1 });
  });
  for (let k = 50; k <= 99; k++) {
    const hit = reach.get(k);
    if (hit) table.push({ precision: k / 100, threshold: hit.threshold, coverage: hit.covered / n });
  }
  return table;
}

/** The stored point for a target precision (the next stricter one when it is between rows); null when unreachable. */
export function pointFor(table: AutoPoint[], precision: number): AutoPoint | null {
  return table.find((p) => p.precision >= precision - 1e-9) ?? null;
}
