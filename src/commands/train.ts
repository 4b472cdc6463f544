import { renameSync, readFileSync, writeFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { parse as parseYaml } from 'yaml';
import { syncConfig } from '../app/sync-config.js';
import { adoptIntoConfig, historyTaxonomy, matchTaxonomy } from '../classify/adopt.js';
import { parseTableArgs } from '../classify/cli-args.js';
import { importLabels, retrain } from '../classify/labels.js';
import type { Sample } from '../classify/model.js';
import { createProgress } from '../classify/progress.js';
import { readLabelledFile } from '../classify/tabular.js';
import type { HeldOutMetrics } from '../classify/train.js';
import { parseInstallation, type Installation } from '../config/installation.js';
import { labels } from '../db/schema.js';
import type { CommandDeps } from './types.js';

const USAGE = 'usage: otklik train --csv FILE [--text-col text] [--topic-col topic] [--department-col department] [--kind-col kind] [--group-col group] [--adopt]';

const sampleKey = (s: { text: string; topic?: string | null; department?: string | null; kind?: string | null }) =>
  JSON.stringify([s.text, s.topic ?? null, s.department ?? null, s.kind ?? null]);

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);

/** Writes the history's missing topics and departments into the config file; returns the installation read back. */
async function adopt(deps: CommandDeps, samples: Sample[]): Promise<Installation> {
  const path = deps.env.OTKLIK_CONFIG;
  const result = adoptIntoConfig(readFileSync(path, 'utf8'), historyTaxonomy(samples), deps.installation);
  if (!result.topics.length && !result.departments.length) return deps.out('добавлять в настройку нечего'), deps.installation;
  // Validate before writing: a broken result must not replace a working config.
  const installation = parseInstallation(parseYaml(result.text), path);
  writeFileSync(`${path}.tmp`, result.text);
  renameSync(`${path}.tmp`, path);
  await syncConfig(deps.db, installation);
  const groups = new Set(result.topics.map((t) => t.group));
  deps.out(`в ${path} добавлено: тем ${result.topics.length} (групп ${groups.size}), ведомств ${result.departments.length}`);
  for (const d of result.departments.slice(0, 5)) deps.out(`  ведомство ${d.code}: ${d.name}`);
  if (result.departments.length > 5) deps.out(`  … и ещё ${result.departments.length - 5}; коды можно переименовать в файле до первого запуска`);
  return installation;
}

function reportMatch(deps: CommandDeps, samples: Sample[], willAdopt: boolean): void {
  const m = matchTaxonomy(historyTaxonomy(samples), deps.installation);
  deps.out(`тем в файле: ${m.topics.total}, из них в настройке: ${m.topics.matched}; ведомств в файле: ${m.departments.total}, в настройке: ${m.departments.matched}`);
  const missing = m.topics.missing.length + m.departments.missing.length;
  if (missing && !willAdopt) {
    deps.out(`темы и ведомства не из настройки модель не предложит; чтобы взять справочник из истории: otklik train --csv ФАЙЛ --adopt (допишет их в ${deps.env.OTKLIK_CONFIG})`);
  }
}

function reportHeldOut(deps: CommandDeps, m: Partial<HeldOutMetrics>): void {
  if (m.kind !== 'held-out') return deps.out('текстов слишком мало для проверки на отложенных: точность не измерена');
  deps.out(`проверка на отложенных текстах (${m.folds} блока, модель их не видела): тема ${pct(m.topic_accuracy)} (в тройке лучших ${pct(m.topic_top3)}), ведомство ${pct(m.department_accuracy)} (в тройке ${pct(m.department_top3)})`);
  deps.out(`сама решает ${pct(m.auto_coverage)} обращений при точности ${pct(m.auto_precision)} (classifier.auto_precision); остальное — модератору`);
}

/**
 * Imports labelled history (CSV or XLSX) as labels, then trains a new model version from
 * all labels (imported + moderators') and makes it active. Re-importing a file adds nothing twice.
 */
export async function trainCommand(deps: CommandDeps, argv: string[]): Promise<number> {
  const { file, columns, adopt: willAdopt } = parseTableArgs(argv);
  if (!file) return deps.out(USAGE), 2;
  const samples = await readLabelledFile(file, columns);
  reportMatch(deps, samples, willAdopt);
  const installation = willAdopt ? await adopt(deps, samples) : deps.installation;
  const known = await deps.db
    .select({ text: labels.text, topic: labels.topic, department: labels.departmentCode, kind: labels.kind })
    .from(labels)
    .where(eq(labels.origin, 'import'));
  const seen = new Set(known.map(sampleKey));
  const fresh: Sample[] = samples.filter((s) => !seen.has(sampleKey(s)) && (seen.add(sampleKey(s)), true));
  const imported = await importLabels(deps.db, fresh, deps.clock.now());
  deps.out(`прочитано строк: ${samples.length}, новых меток: ${imported}`);
  const bar = createProgress('обучение');
  const model = await retrain({ db: deps.db, clock: deps.clock, log: deps.log, autoPrecision: installation.classifier.auto_precision, onProgress: bar.update });
  bar.stop();
  if (!model) return deps.out(`в файле ${file} нет размеченных строк для обучения`), 1;
  const heads = Object.keys(model.heads).join(', ') || 'нет';
  deps.out(`модель v${model.version} обучена на ${model.samples} текстах; цели: ${heads}`);
  reportHeldOut(deps, model.metrics as Partial<HeldOutMetrics>);
  deps.out(JSON.stringify({ version: model.version, samples: model.samples, metrics: model.metrics }));
  return 0;
}
