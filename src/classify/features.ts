import { normalizeText } from './normalize.js';
import { createCounter, lookupTable, type Counter } from './hashtable.js';

/**
 * Hashed n-gram features: character 3–5-grams inside word boundaries (robust to
 * Russian inflection and typos) plus unigrams and bigrams of word stems (the first
 * five letters: a cheap stemmer for an inflected language). The hashing trick keeps
 * memory flat; the trained vocabulary then keeps only hashes seen often enough.
 */

/** Long texts add little after the first few thousand characters and cost time. */
const MAX_CHARS = 4000;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WORD_SEED = 0x9e3779b1;
const BIGRAM_SEED = 0x85ebca6b;
/** Char grams shorter than 3 are mostly noise and cost a third of the extraction time (5-fold CV: no loss). */
const MIN_GRAM = 3;
const MAX_GRAM = 5;
/** Word stems: Russian endings are rarely longer than the tail after five letters (5-fold CV: 4–5 best). */
const STEM = 5;
/** Relative weight of the char block and the word block (words at 0.5 measured best in 5-fold CV). */
const WEIGHTS = [1, 0.5];
const SPACE = 32;

function mix(h: number, c: number): number {
  return Math.imul(h ^ c, FNV_PRIME) >>> 0;
}

/** Letters and digits of a normalized text (the same set as `wordsOf`: a–z, а–я, 0–9). */
function isWordChar(c: number): boolean {
  return (c >= 0x430 && c <= 0x44f) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/** Every hash of the last text, reused between texts (a text of 4,000 characters has about 12,000). */
let hashes = new Uint32Array(1 << 14);

function push(n: number, h: number): number {
  if (n === hashes.length) {
    const bigger = new Uint32Array(n * 2);
    bigger.set(hashes);
    hashes = bigger;
  }
  hashes[n] = h;
  return n + 1;
}

/**
 * Every hash of a text into `hashes` (returns how many): char grams of ` word ` (even
 * hashes) and stem unigrams/bigrams (odd hashes). Words are walked in the normalized text
 * itself and char codes hashed in place: no word array, no substring, no callback per gram.
 */
function hashText(text: string): number {
  const input = text.length > MAX_CHARS * 2 ? text.slice(0, MAX_CHARS * 2) : text;
  const norm = normalizeText(input);
  const len = Math.min(norm.length, MAX_CHARS);
  let count = 0;
  let prev = 0;
  let first = true;
  for (let s = 0; s < len; ) {
    if (!isWordChar(norm.charCodeAt(s))) {
      s++;
      continue;
    }
    let e = s + 1;
    while (e < len && isWordChar(norm.charCodeAt(e))) e++;
    const n = e - s + 2;
    for (let a = 0; a + MIN_GRAM <= n; a++) {
      let h = FNV_OFFSET;
      const end = Math.min(n, a + MAX_GRAM);
      for (let j = a; j < end; j++) {
        h = mix(h, j === 0 || j === n - 1 ? SPACE : norm.charCodeAt(s + j - 1));
        // Even hashes are char grams, odd ones words: the two blocks are normalized separately.
        if (j - a + 1 >= MIN_GRAM) count = push(count, (h & ~1) >>> 0);
      }
    }
    let st = WORD_SEED;
    for (let j = s; j < e && j < s + STEM; j++) st = mix(st, norm.charCodeAt(j));
    count = push(count, (st | 1) >>> 0);
    if (!first) count = push(count, (mix(mix(BIGRAM_SEED, prev), st) | 1) >>> 0);
    prev = st;
    first = false;
    s = e;
  }
  return count;
}

/** Calls `emit` with every hash of a text (training paths; the run-time path reads the buffer directly). */
function eachHash(text: string, emit: (h: number) => void): void {
  const n = hashText(text);
  for (let k = 0; k < n; k++) emit(hashes[k] as number);
}

/** Raw hashed n-gram counts of a text (normalizes it first). */
export function hashedCounts(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  eachHash(text, (h) => counts.set(h, (counts.get(h) ?? 0) + 1));
  return counts;
}

/** A sparse, L2-normalized vector over the vocabulary's compact indices. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

export interface Vocabulary {
  /** hash → compact feature index */
  index: Map<number, number>;
  idf: Float32Array;
}

/** Builds the vocabulary from training counts: hashes in at least `minDf` documents, smooth idf. */
export function buildVocabulary(docs: readonly Map<number, number>[], minDf: number): Vocabulary {
  const df = new Map<number, number>();
  for (const d of docs) for (const h of d.keys()) df.set(h, (df.get(h) ?? 0) + 1);
  return vocabularyFromDf(df, docs.length, minDf);
}

/**
 * The vocabulary of many texts without keeping a count table per text (a Map per text
 * cost 80 MB on 2,000 appeals): one pass for document frequencies only.
 */
export function vocabularyOf(texts: readonly string[], minDf: number): Vocabulary {
  const df = new Map<number, number>();
  const seen = new Set<number>();
  for (const t of texts) {
    seen.clear();
    eachHash(t, (h) => seen.add(h));
    for (const h of seen) df.set(h, (df.get(h) ?? 0) + 1);
  }
  return vocabularyFromDf(df, texts.length, minDf);
}

/**
 * Features are numbered most frequent first: the n-grams found in most texts then have
 * neighbouring rows in the weight tables, which stay in the CPU cache from one text to the
 * next (scoring waited on memory, one row per feature of the text).
 */
function vocabularyFromDf(df: Map<number, number>, n: number, minDf: number): Vocabulary {
  const kept: Array<[number, number]> = [];
  for (const [h, f] of df) if (f >= minDf) kept.push([h, f]);
  kept.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const index = new Map<number, number>();
  const idf = new Float32Array(kept.length);
  kept.forEach(([h, f], i) => {
    index.set(h, i);
    idf[i] = Math.log((1 + n) / (1 + f)) + 1;
  });
  return { index, idf };
}

/** Sublinear tf × idf; each block (chars, words) gets unit norm × its weight, then the whole vector unit norm. */
function weigh(vocab: Vocabulary, feats: ArrayLike<number>, tfs: ArrayLike<number>, blocks: ArrayLike<number>, n: number): SparseVector {
  const idx = new Int32Array(n);
  const val = new Float32Array(n);
  let n0 = 0;
  let n1 = 0;
  for (let k = 0; k < n; k++) {
    const i = feats[k] as number;
    const v = (1 + Math.log(tfs[k] as number)) * (vocab.idf[i] as number);
    idx[k] = i;
    val[k] = v;
    if (blocks[k]) n1 += v * v;
    else n0 += v * v;
  }
  const w0 = n0 > 0 ? (WEIGHTS[0] as number) : 0;
  const w1 = n1 > 0 ? (WEIGHTS[1] as number) : 0;
  const total = Math.sqrt(w0 * w0 + w1 * w1) || 1;
  const s0 = n0 > 0 ? w0 / Math.sqrt(n0) / total : 0;
  const s1 = n1 > 0 ? w1 / Math.sqrt(n1) / total : 0;
  for (let k = 0; k < n; k++) val[k] = (val[k] as number) * (blocks[k] ? s1 : s0);
  return { idx, val };
}

/** Sublinear tf × idf, L2-normalized; hashes outside the vocabulary are dropped. */
export function vectorize(counts: Map<number, number>, vocab: Vocabulary): SparseVector {
  const feats: number[] = [];
  const tfs: number[] = [];
  const blocks: number[] = [];
  for (const [h, tf] of counts) {
    const i = vocab.index.get(h);
    if (i === undefined) continue;
    feats.push(i), tfs.push(tf), blocks.push(h & 1);
  }
  return weigh(vocab, feats, tfs, blocks, feats.length);
}

let counter: Counter | null = null;

/**
 * The vector of a text in one pass (run-time path): hashes are looked up in an
 * open-addressing table of the vocabulary and counted in a reused buffer, so no
 * Map or substring is built per n-gram. Same result as vectorize(hashedCounts(text)).
 */
export function textVector(text: string, vocab: Vocabulary): SparseVector {
  const table = lookupTable(vocab.index);
  const c = (counter ??= createCounter(1 << 14));
  c.clear();
  const n = hashText(text);
  for (let k = 0; k < n; k++) {
    const h = hashes[k] as number;
    const i = table.get(h);
    if (i >= 0) c.add(i, h & 1);
  }
  return weigh(vocab, c.keys, c.counts, c.blocks, c.size);
}

/** Cosine similarity of two L2-normalized sparse vectors. */
export function cosine(a: SparseVector, b: SparseVector): number {
  const m = new Map<number, number>();
  for (let i = 0; i < a.idx.length; i++) m.set(a.idx[i] as number, a.val[i] as number);
  let s = 0;
  for (let i = 0; i < b.idx.length; i++) s += (m.get(b.idx[i] as number) ?? 0) * (b.val[i] as number);
  return s;
}
