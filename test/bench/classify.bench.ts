/**
 * Classifier benchmark: 5-fold cross-validation (shuffled, seed 0) on
 * ../shared/data/appeals-kursk.csv, beside the reference numbers of the data README.
 * Reads ../shared when present (tests never do); otherwise says so and exits 0.
 * Run: npm run bench:classify
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serializeModel } from '../../src/classify/codec.js';
import { evaluate } from '../../src/classify/metrics.js';
import { predict, trainModel, type Sample } from '../../src/classify/model.js';
import { seededRandom, shuffleInPlace } from '../../src/classify/random.js';
import { readLabelledFile } from '../../src/classify/tabular.js';

const DATA = fileURLToPath(new URL('../../../shared/data/appeals-kursk.csv', import.meta.url));
const REF = { topic: 0.548, department: 0.449, textsPerSec: 2000, trainSec: 30 };

function folds(n: number, k: number): number[][] {
  const order = shuffleInPlace(Array.from({ length: n }, (_, i) => i), seededRandom(0));
  return Array.from({ length: k }, (_, f) => order.filter((_, i) => i % k === f));
}

function crossValidate(samples: Sample[]) {
  const sum = { topic: 0, department: 0, f1: 0 };
  for (const test of folds(samples.length, 5)) {
    const held = new Set(test);
    const model = trainModel(samples.filter((_, i) => !held.has(i)));
    const m = evaluate(model, test.map((i) => samples[i] as Sample));
    sum.topic += (m.topic_accuracy ?? 0) * test.length;
    sum.department += (m.department_accuracy ?? 0) * test.length;
    sum.f1 += (m.macro_f1_topic ?? 0) / 5;
  }
  return { topic: sum.topic / samples.length, department: sum.department / samples.length, f1: sum.f1 };
}

function row(name: string, value: number, ref: number | null, unit = '', higherIsBetter = true): string {
  const ratio = ref ? (higherIsBetter ? value / ref : ref / value) : null;
  const verdict = ratio === null ? '' : ratio >= 1 ? 'ok' : 'BELOW';
  return `| ${name.padEnd(22)} | ${value.toFixed(3).padStart(10)}${unit} | ${ref === null ? '—'.padStart(10) : ref.toFixed(3).padStart(10)} | ${ratio === null ? '—' : ratio.toFixed(2)} ${verdict} |`;
}

async function main(): Promise<void> {
  if (!existsSync(DATA)) {
    console.log(`bench:classify: ${DATA} not found (../shared/data is not on this machine); nothing to measure.`);
    return;
  }
  const samples = await readLabelledFile(DATA);
  console.log(`bench:classify: ${samples.length} appeals from ${DATA}; 5-fold CV, shuffled, seed 0`);
  const cv = crossValidate(samples);

  const t0 = performance.now();
  const full = trainModel(samples);
  const trainSec = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  for (const s of samples) predict(full, s.text);
  const perSec = samples.length / ((performance.now() - t1) / 1000);
  const sizeMb = serializeModel(full).length / 1e6;
  const rssMb = process.resourceUsage().maxRSS / 1024;

  console.log('| metric                 |      value |  reference | ratio |');
  console.log('|------------------------|------------|------------|-------|');
  console.log(row('topic accuracy', cv.topic, REF.topic));
  console.log(row('department accuracy', cv.department, REF.department));
  console.log(row('macro-F1 topic', cv.f1, null));
  console.log(row('texts/s (one core)', perSec, REF.textsPerSec));
  console.log(row('training s (2,000)', trainSec, REF.trainSec, '', false));
  console.log(row('peak RSS MB', rssMb, null));
  console.log(row('stored model MB', sizeMb, null));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
