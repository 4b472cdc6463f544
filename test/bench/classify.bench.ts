/**
 * Classifier benchmark: nested 5-fold cross-validation (outer folds shuffled, seed 0) on
 * ../shared/data/appeals-kursk.csv, beside the targets of issue #9 and the reference of
 * the data README. Every outer training fold is a full `trainModel`: its temperatures,
 * auto threshold and any choices are made on inner folds of that training fold only, so
 * the printed numbers were not tuned on the texts they are measured on.
 * Cost (training time, CPU, peak RSS, texts/s) is measured in a fresh child process that
 * trains on all 2,000 texts, so the CV's own memory is not counted.
 * Reads ../shared when present (tests never do); otherwise says so and exits 0.
 * Run: npm run bench:classify
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serializeModel } from '../../src/classify/codec.js';
import { evaluate, type EvalResult } from '../../src/classify/metrics.js';
import { predict, type Sample } from '../../src/classify/model.js';
import { readLabelledFile } from '../../src/classify/tabular.js';
import { kFolds, trainModel } from '../../src/classify/train.js';
import { saveModel } from '../../src/classify/store.js';
import { systemClock } from '../../src/clock.js';
import { classifyFileCommand } from '../../src/commands/classify-file.js';
import { readEnv } from '../../src/config/env.js';
import { loadInstallation } from '../../src/config/installation.js';
import { openDb } from '../../src/db/client.js';
import { createLogger } from '../../src/log.js';

const DATA = fileURLToPath(new URL('../../../shared/data/appeals-kursk.csv', import.meta.url));
const COLUMNS = { text: 'text', topic: 'topic', department: 'department', group: 'category_id' };
const AUTO_PRECISION = 0.9;

type Mean = Record<keyof EvalResult, number>;

function crossValidate(samples: Sample[]): Mean {
  const sum: Partial<Mean> = {};
  let decided = 0;
  let right = 0;
  for (const test of kFolds(samples.length, 5, 0)) {
    const held = new Set(test);
    const model = trainModel(samples.filter((_, i) => !held.has(i)), { autoPrecision: AUTO_PRECISION });
    const m = evaluate(model, test.map((i) => samples[i] as Sample), { autoPrecision: AUTO_PRECISION });
    for (const [k, v] of Object.entries(m)) sum[k as keyof EvalResult] = (sum[k as keyof EvalResult] ?? 0) + ((v as number | null) ?? 0) / 5;
    // Precision of the auto decisions is pooled over the folds that made any (a fold without one has none to average).
    decided += (m.auto_coverage ?? 0) * test.length;
    right += (m.auto_precision_measured ?? 0) * (m.auto_coverage ?? 0) * test.length;
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  sum.auto_precision_measured = decided ? right / decided : 0;
  return sum as Mean;
}

interface Cost {
  trainSec: number;
  trainCpuSec: number;
  rssMb: number;
  perSec: number;
  predictCpuSec: number;
  sizeMb: number;
}

/** Child process: train on every text once, then classify every text; prints the costs as JSON. */
async function measureCost(): Promise<void> {
  const samples = await readLabelledFile(DATA, COLUMNS);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const model = trainModel(samples, { autoPrecision: AUTO_PRECISION });
  const trainSec = (performance.now() - t0) / 1000;
  const trainCpu = process.cpuUsage(cpu0);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const texts = samples.map((s) => s.text);
  const cpu1 = process.cpuUsage();
  const t1 = performance.now();
  for (let r = 0; r < 3; r++) for (const t of texts) predict(model, t);
  const perSec = (3 * texts.length) / ((performance.now() - t1) / 1000);
  const pc = process.cpuUsage(cpu1);
  const cost: Cost = { trainSec, trainCpuSec: (trainCpu.user + trainCpu.system) / 1e6, rssMb, perSec, predictCpuSec: (pc.user + pc.system) / 1e6, sizeMb: serializeModel(model).length / 1e6 };
  console.log(JSON.stringify(cost));
  console.error(`cost: ${JSON.stringify(cost)}`);
}

const FILE_ROWS = 100_000;

/**
 * Child process: `classify --csv` on 100,000 texts (the 2,000 appeals repeated, in a
 * temporary file deleted afterwards) through the command itself, on an in-memory database
 * holding a model trained on all texts. Only the command is timed.
 */
async function measureFile(): Promise<void> {
  const samples = await readLabelledFile(DATA, COLUMNS);
  const dir = mkdtempSync(join(tmpdir(), 'otklik-bench-'));
  const h = await openDb({ dataDir: 'memory://' });
  try {
    await saveModel(h.db, trainModel(samples));
    const lines = ['text', ...Array.from({ length: FILE_ROWS }, (_, i) => `"${(samples[i % samples.length] as Sample).text.replace(/"/g, '""')}"`)];
    writeFileSync(join(dir, 'in.csv'), lines.join('\n'));
    const env = readEnv({});
    const deps = { db: h.db, installation: loadInstallation(env.OTKLIK_CONFIG), env, log: createLogger({ level: 'silent' }), clock: systemClock, out: () => {} };
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await classifyFileCommand(deps, { file: join(dir, 'in.csv'), textCol: 'text', out: join(dir, 'out.jsonl') });
    const sec = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const result = { fileSec: sec, fileCpuSec: (cpu.user + cpu.system) / 1e6, fileRssMb: process.resourceUsage().maxRSS / 1024 };
    console.log(JSON.stringify(result));
    console.error(`file: ${JSON.stringify(result)}`);
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function child(flag: string): Record<string, number> {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), flag], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop() as string) as Record<string, number>;
}

function row(name: string, value: number, target: number | null, higherIsBetter = true, digits = 3): string {
  const ratio = target ? (higherIsBetter ? value / target : target / value) : null;
  const verdict = ratio === null ? '' : ratio >= 1 ? 'ok' : 'BELOW';
  const t = target === null ? '—' : target.toFixed(digits);
  return `| ${name.padEnd(34)} | ${value.toFixed(digits).padStart(9)} | ${t.padStart(9)} | ${ratio === null ? '—' : `${ratio.toFixed(2)} ${verdict}`} |`;
}

async function main(): Promise<void> {
  if (!existsSync(DATA)) {
    console.log(`bench:classify: ${DATA} not found (../shared/data is not on this machine); nothing to measure.`);
    return;
  }
  if (process.argv.includes('--cost')) return measureCost();
  if (process.argv.includes('--file')) return measureFile();
  const samples = await readLabelledFile(DATA, COLUMNS);
  console.log(`bench:classify: ${samples.length} appeals from ${DATA}`);
  console.log('nested 5-fold CV (outer shuffled, seed 0; calibration, thresholds and choices on inner folds of each training fold)');
  const cpu0 = process.cpuUsage();
  const cv = crossValidate(samples);
  const cvCpu = process.cpuUsage(cpu0);
  const cost = child('--cost') as unknown as Cost;
  const file = child('--file');

  console.log('| metric                             |     value | target/ref | ratio |');
  console.log('|------------------------------------|-----------|-----------|-------|');
  console.log(row('topic accuracy (target)', cv.topic_accuracy, 0.58));
  console.log(row('topic accuracy (reference SVM)', cv.topic_accuracy, 0.548));
  console.log(row('department accuracy (target)', cv.department_accuracy, 0.5));
  console.log(row('department accuracy (reference)', cv.department_accuracy, 0.449));
  console.log(row('topic top-3 accuracy', cv.topic_top3, 0.78));
  console.log(row('department top-3 accuracy', cv.department_top3, null));
  console.log(row('macro-F1 topic', cv.macro_f1_topic, null));
  console.log(row('calibration error (ECE, topic)', cv.topic_ece, null));
  console.log(row(`coverage at ${AUTO_PRECISION} precision`, cv.auto_coverage, null));
  console.log(row('precision of those decisions', cv.auto_precision_measured, AUTO_PRECISION));
  console.log(row('texts/s (one core, predict)', cost.perSec, 2000, true, 0));
  console.log(row('texts per CPU second (predict)', 6000 / cost.predictCpuSec, 2000, true, 0));
  console.log(row('training s (2,000 texts)', cost.trainSec, 30, false, 1));
  console.log(row('training CPU s', cost.trainCpuSec, null, true, 1));
  console.log(row('training peak RSS MB', cost.rssMb, 300, false, 0));
  console.log(row('stored model MB', cost.sizeMb, null, true, 1));
  console.log(row(`classify --csv ${FILE_ROWS.toLocaleString('en')} texts, s`, file.fileSec as number, 60, false, 1));
  console.log(row('  its CPU s', file.fileCpuSec as number, 60, false, 1));
  console.log(row('  its peak RSS MB', file.fileRssMb as number, null, true, 0));
  console.log(row('CV CPU s (5 outer folds)', (cvCpu.user + cvCpu.system) / 1e6, null, true, 1));
  console.log('(the machine may be shared: compare CPU seconds; wall-clock times vary with load)');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
