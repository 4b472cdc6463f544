import { eq } from 'drizzle-orm';
import { parseTableArgs } from '../classify/cli-args.js';
import { importLabels, retrain } from '../classify/labels.js';
import type { Sample } from '../classify/model.js';
import { readLabelledFile } from '../classify/tabular.js';
import { labels } from '../db/schema.js';
import type { CommandDeps } from './types.js';

const USAGE = 'usage: otklik train --csv FILE [--text-col text] [--topic-col topic] [--department-col department] [--kind-col kind]';

const sampleKey = (s: { text: string; topic?: string | null; department?: string | null; kind?: string | null }) =>
  JSON.stringify([s.text, s.topic ?? null, s.department ?? null, s.kind ?? null]);

/**
 * Imports labelled history (CSV or XLSX) as labels, then trains a new model version from
 * all labels (imported + moderators') and makes it active. Re-importing a file adds nothing twice.
 */
export async function trainCommand(deps: CommandDeps, argv: string[]): Promise<number> {
  const { file, columns } = parseTableArgs(argv);
  if (!file) return deps.out(USAGE), 2;
  const samples = await readLabelledFile(file, columns);
  const known = await deps.db
    .select({ text: labels.text, topic: labels.topic, department: labels.departmentCode, kind: labels.kind })
    .from(labels)
    .where(eq(labels.origin, 'import'));
  const seen = new Set(known.map(sampleKey));
  const fresh: Sample[] = samples.filter((s) => !seen.has(sampleKey(s)) && (seen.add(sampleKey(s)), true));
  const imported = await importLabels(deps.db, fresh, deps.clock.now());
  const model = await retrain({ db: deps.db, clock: deps.clock, log: deps.log });
  if (!model) return deps.out(`в файле ${file} нет размеченных строк для обучения`), 1;
  const heads = Object.keys(model.heads).join(', ') || 'нет';
  deps.out(`прочитано строк: ${samples.length}, новых меток: ${imported}`);
  deps.out(`модель v${model.version} обучена на ${model.samples} текстах; цели: ${heads}`);
  deps.out(JSON.stringify({ version: model.version, samples: model.samples, metrics: model.metrics }));
  return 0;
}
