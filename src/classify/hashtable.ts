/**
 * Open-addressing tables over typed arrays for the run-time feature path: a Map
 * lookup per n-gram was the largest cost of `predict`.
 */

function mixKey(h: number, mask: number): number {
  // Hashes are already FNV-mixed; a multiply spreads the low bits used as the slot.
  return Math.imul(h, 0x9e3779b1) >>> 0 & mask;
}

export interface LookupTable {
  /** Compact index of a hash, or -1. */
  get(h: number): number;
}

const tables = new WeakMap<Map<number, number>, LookupTable>();

/** A read-only hash → index table built once per vocabulary (cached by identity). */
export function lookupTable(index: Map<number, number>): LookupTable {
  const cached = tables.get(index);
  if (cached) return cached;
  let size = 16;
  while (size < index.size * 2) size *= 2;
  const mask = size - 1;
  const keys = new Uint32Array(size);
  const vals = new Int32Array(size).fill(-1);
  for (const [h, i] of index) {
    let s = mixKey(h, mask);
    while (vals[s] !== -1) s = (s + 1) & mask;
    keys[s] = h;
    vals[s] = i;
  }
  const table: LookupTable = {
    get(h: number): number {
      let s = mixKey(h, mask);
      for (;;) {
        const v = vals[s] as number;
        if (v === -1 || keys[s] === h >>> 0) return v;
        s = (s + 1) & mask;
      }
    },
  };
  tables.set(index, table);
  return table;
}

/** Counts of compact feature indices for one text; reused between texts. */
export interface Counter {
  keys: Int32Array;
  counts: Float64Array;
  blocks: Uint8Array;
  size: number;
  add(key: number, block: number): void;
  clear(): void;
}

export function createCounter(initial: number): Counter {
  let cap = initial;
  let slots = new Int32Array(cap * 2).fill(-1);
  const c: Counter = {
    keys: new Int32Array(cap),
    counts: new Float64Array(cap),
    blocks: new Uint8Array(cap),
    size: 0,
    add(key, block) {
      const mask = slots.length - 1;
      let s = mixKey(key, mask);
      for (;;) {
        const p = slots[s] as number;
        if (p === -1) break;
        if (c.keys[p] === key) return void (c.counts[p] = (c.counts[p] as number) + 1);
        s = (s + 1) & mask;
      }
      if (c.size === cap) return grow(), c.add(key, block);
      slots[s] = c.size;
      c.keys[c.size] = key;
      c.counts[c.size] = 1;
      c.blocks[c.size] = block;
      c.size++;
    },
    clear() {
      for (let p = 0; p < c.size; p++) {
        // Only the used slots are reset: clearing is proportional to the text, not the table.
        let s = mixKey(c.keys[p] as number, slots.length - 1);
        while (slots[s] !== p) s = (s + 1) & (slots.length - 1);
        slots[s] = -1;
      }
      c.size = 0;
    },
  };
  function grow(): void {
    const n = c.size;
    cap *= 2;
    const keys = new Int32Array(cap);
    keys.set(c.keys.subarray(0, n));
    const counts = new Float64Array(cap);
    counts.set(c.counts.subarray(0, n));
    const blocks = new Uint8Array(cap);
    blocks.set(c.blocks.subarray(0, n));
    Object.assign(c, { keys, counts, blocks, size: 0 });
    slots = new Int32Array(cap * 2).fill(-1);
    for (let p = 0; p < n; p++) c.add(keys[p] as number, blocks[p] as number), (c.counts[p] = counts[p] as number);
  }
  return c;
}
