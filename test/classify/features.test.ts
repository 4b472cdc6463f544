import { describe, expect, it } from 'vitest';
import { cnbFinish, cnbScores, trainCnb } from '../../src/classify/cnb.js';
import { buildVocabulary, hashedCounts, textVector, vectorize, type SparseVector } from '../../src/classify/features.js';
import { fuse, fusedScores } from '../../src/classify/fused.js';
import { createCounter, lookupTable } from '../../src/classify/hashtable.js';
import { compactHead, rawScores } from '../../src/classify/head.js';
import { trainSvm } from '../../src/classify/svm.js';

const texts = [
  'Во дворе дома 5 по улице Ленина третий день не горят фонари',
  'На перекрёстке Садовой и Мира огромная яма, машины объезжают по встречке',
  '<p>Из крана течёт ржавая вода,&nbsp;пить невозможно</p>',
  'Фонари на улице Ленина не горят, темно и опасно',
  'Яма на дороге у школы, уже два колеса пробили',
  'Вода из крана коричневая, жалуемся неделю',
];
const ys = Int32Array.from([0, 1, 2, 0, 1, 2]);
const vocab = buildVocabulary(texts.map(hashedCounts), 1);
const dims = vocab.idf.length;
const xs = texts.map((t) => vectorize(hashedCounts(t), vocab));

function dense(x: SparseVector): Map<number, number> {
  return new Map(Array.from(x.idx, (i, k) => [i, x.val[k] as number]));
}

describe('feature extraction', () => {
  it('the one-pass run-time vector equals the training-time vector', () => {
    for (const t of [...texts, 'Совсем другой текст про фонари и яму', '']) {
      const a = dense(textVector(t, vocab));
      const b = dense(vectorize(hashedCounts(t), vocab));
      expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
      for (const [i, v] of a) expect(v).toBeCloseTo(b.get(i) as number, 6);
    }
  });

  it('vectors are unit length', () => {
    for (const x of xs) expect(Array.from(x.val).reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 5);
  });

  it('stems make inflected words share features', () => {
    const a = dense(textVector('фонари', vocab));
    const b = dense(textVector('фонарями', vocab));
    expect([...a.keys()].filter((k) => b.has(k)).length).toBeGreaterThan(0);
  });
});

describe('typed-array tables', () => {
  it('lookup finds every vocabulary hash and nothing else', () => {
    const table = lookupTable(vocab.index);
    for (const [h, i] of vocab.index) expect(table.get(h)).toBe(i);
    expect(table.get(123456789)).toBe(vocab.index.get(123456789) ?? -1);
  });

  it('the counter grows past its initial capacity and clears', () => {
    const c = createCounter(4);
    for (let r = 0; r < 3; r++) for (let k = 0; k < 100; k++) c.add(k * 7, k & 1);
    expect(c.size).toBe(100);
    expect(c.counts[0]).toBe(3);
    expect(c.blocks[1]).toBe(1);
    c.clear();
    expect(c.size).toBe(0);
    c.add(7, 1);
    expect([c.size, c.counts[0]]).toEqual([1, 1]);
  });
});

describe('heads', () => {
  const svm = compactHead(trainSvm(xs, ys, ['свет', 'дороги', 'вода'], dims), 1, 0);
  const cnb = trainCnb(xs, ys, 3, dims);

  it('Complement NB ranks the right class first on its training texts', () => {
    xs.forEach((x, i) => {
      const s = cnbScores(cnb, x, new Float32Array(3));
      expect(s.indexOf(Math.max(...s))).toBe(ys[i]);
    });
  });

  it('the fused table scores like the separate heads', () => {
    const fused = fuse([{ rows: svm, width: 3 }, { rows: cnb, width: 3 }], dims);
    for (const x of xs) {
      const all = fusedScores(fused, x);
      const raw = rawScores(svm, x);
      for (let j = 0; j < 3; j++) expect((all[j] as number) + (svm.bias[j] as number)).toBeCloseTo(raw[j] as number, 3);
      const c = cnbFinish(cnb, x, all.subarray(3, 6));
      const ref = cnbScores(cnb, x, new Float32Array(3));
      // CNB scores are small (normalized weights): compare relative to their size.
      for (let j = 0; j < 3; j++) expect(Math.abs((c[j] as number) - (ref[j] as number))).toBeLessThan(1e-3 * Math.abs(ref[j] as number));
    }
  });
});
