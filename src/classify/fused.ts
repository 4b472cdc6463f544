import type { SparseVector } from './features.js';

/**
 * Several feature-major sparse tables (SVM heads, CNB corrections) interleaved into one,
 * so `predict` reads each of a text's features once and touches one contiguous run of
 * (slot, weight) pairs per feature instead of one run per head: scoring is memory-bound.
 */

/** CSR by feature: entries rowPtr[f]..rowPtr[f+1] of `cls`/`w` belong to feature f. */
export interface FeatureRows {
  rowPtr: Uint32Array;
  cls: Uint16Array;
  w: Float32Array;
}

export interface Fused {
  rowPtr: Uint32Array;
  /**
   * One int32 per entry: output slot (part offset + class) in the high 16 bits, the
   * weight as int16 in the low 16 bits. One array instead of two halves the cache
   * misses per feature, which is what scoring waits on.
   */
  packed: Int32Array;
  /** Per output slot: the int16 → float scale of its part. */
  scale: Float32Array;
  /** Where each part's scores start in the output. */
  offsets: number[];
  size: number;
}

/** Interleaves `parts` (each with its number of classes) over `dims` features. */
export function fuse(parts: { rows: FeatureRows; width: number }[], dims: number): Fused {
  const offsets: number[] = [];
  let size = 0;
  for (const p of parts) offsets.push(size), (size += p.width);
  let total = 0;
  for (const p of parts) total += p.rows.w.length;
  const scale = new Float32Array(size);
  const steps = parts.map((p, i) => {
    let max = 0;
    for (const v of p.rows.w) max = Math.max(max, Math.abs(v));
    const step = max > 0 ? max / 32767 : 1;
    scale.fill(step, offsets[i], (offsets[i] as number) + p.width);
    return step;
  });
  const rowPtr = new Uint32Array(dims + 1);
  const packed = new Int32Array(total);
  let n = 0;
  for (let f = 0; f < dims; f++) {
    parts.forEach((p, i) => {
      const { rowPtr: rp, cls, w } = p.rows;
      for (let e = rp[f] as number; e < (rp[f + 1] as number); e++) {
        const q = Math.round((w[e] as number) / (steps[i] as number));
        packed[n++] = (((offsets[i] as number) + (cls[e] as number)) << 16) | (q & 0xffff);
      }
    });
    rowPtr[f + 1] = n;
  }
  return { rowPtr, packed, scale, offsets, size };
}

/** Σ_f x_f · w over every part at once (no biases): one Float32Array of `size` scores. */
export function fusedScores(t: Fused, x: SparseVector): Float32Array {
  const out = new Float32Array(t.size);
  const { rowPtr, packed } = t;
  for (let k = 0; k < x.idx.length; k++) {
    const f = x.idx[k] as number;
    const v = x.val[k] as number;
    const end = rowPtr[f + 1] as number;
    for (let p = rowPtr[f] as number; p < end; p++) {
      const e = packed[p] as number;
      // `<< 16 >> 16` sign-extends the low half back to the int16 weight.
      out[e >>> 16] = (out[e >>> 16] as number) + v * ((e << 16) >> 16);
    }
  }
  for (let s = 0; s < out.length; s++) out[s] = (out[s] as number) * (t.scale[s] as number);
  return out;
}
