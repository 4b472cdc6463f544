import { parseTableArgs } from '../classify/cli-args.js';
import { evaluate } from '../classify/metrics.js';
import { loadActiveModel } from '../classify/store.js';
import { readLabelledFile } from '../classify/tabular.js';
import type { CommandDeps } from './types.js';

/**
 * Classifies every row of a labelled file with the stored model; prints one JSON line:
 * accuracy, top-3, macro-F1, calibration error, coverage at `classifier.auto_precision`,
 * and incident detection (recall, specificity) when the file has a kind column.
 */
export async function evalCommand(deps: CommandDeps, argv: string[]): Promise<number> {
  const { file, columns } = parseTableArgs(argv);
  if (!file) return deps.out('usage: otklik eval --csv FILE [--text-col text] [--topic-col topic] [--department-col department] [--kind-col kind]'), 2;
  const model = await loadActiveModel(deps.db);
  if (!model) return deps.out('модель ещё не обучена: сначала otklik train --csv FILE'), 1;
  const samples = await readLabelledFile(file, columns);
  deps.out(JSON.stringify(evaluate(model, samples, { autoPrecision: deps.installation.classifier.auto_precision })));
  return 0;
}
