import { createWriteStream, type WriteStream } from 'node:fs';
import { createClassifier } from '../classify/index.js';
import { createProgress } from '../classify/progress.js';
import { readTexts } from '../classify/tabular.js';
import { isIncidentKind, type Classification } from '../domain/classification.js';
import { route } from '../routing/route.js';
import { createGazetteer } from '../routing/territory.js';
import type { CommandDeps } from './types.js';

/** Texts handed to the classifier at once: big enough to amortize, small enough for a smooth progress bar. */
const BATCH = 2000;

export interface ClassifyFileOptions {
  file: string;
  textCol: string;
  /** Where the JSON lines go; stdout when absent. */
  out?: string;
}

/** One output line: what the moderator card would show, and the route the pipeline would take. */
function line(row: number, id: string | null, text: string, c: Classification | null, routeOf: (text: string, c: Classification) => { department: string; reason: string }) {
  if (!c) return { row, id, error: 'пустой текст' };
  const incident = isIncidentKind(c.kind);
  return {
    row,
    id,
    kind: c.kind,
    incident,
    topic: c.topic,
    topics: c.topTopics ?? [],
    departments: c.topDepartments ?? [],
    auto: c.auto ?? false,
    needs_review: c.needsReview,
    by: c.by,
    route: incident ? routeOf(text, c) : null,
    explanation: c.explanation ?? null,
  };
}

function writer(path: string | undefined, out: (l: string) => void): { write(l: string): Promise<void>; close(): Promise<void> } {
  if (!path) return { write: async (l) => out(l), close: async () => {} };
  // Citizens' texts (personal data): a new file is readable by its owner only.
  const stream: WriteStream = createWriteStream(path, { mode: 0o600 });
  return {
    // Wait for the file to drain when its buffer is full: memory stays flat on a big file.
    write: (l) => (stream.write(`${l}\n`) ? Promise.resolve() : new Promise((r) => stream.once('drain', () => r()))),
    close: () => new Promise((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve()))),
  };
}

/**
 * `otklik classify --csv FILE [--text-col text] [--out FILE]`: every row classified by the
 * trained model and rules (the LLM is not asked: a backlog of 100,000 texts would take
 * hours and cost money), one JSON object a line, in the file's order. Rows without text
 * get a line with an error, so line N is always row N.
 */
export async function classifyFileCommand(deps: CommandDeps, opts: ClassifyFileOptions): Promise<number> {
  const rows = await readTexts(opts.file, opts.textCol);
  const classifier = await createClassifier({ ...deps, llm: false });
  const gazetteer = createGazetteer(deps.installation.territory);
  const routeOf = (text: string, c: Classification) => route(deps.installation, { text, topic: c.topic, suggested: c.department ?? null, territory: gazetteer.find(text) });
  const output = writer(opts.out, deps.out);
  const bar = createProgress('классификация');
  let auto = 0;
  try {
    for (let start = 0; start < rows.length; start += BATCH) {
      const chunk = rows.slice(start, start + BATCH);
      const texts = chunk.filter((r) => r.text).map((r) => r.text);
      const decided = await classifier.classifyMany(texts);
      let k = 0;
      for (const [i, r] of chunk.entries()) {
        const c = r.text ? (decided[k++] as Classification) : null;
        if (c?.auto) auto++;
        await output.write(JSON.stringify(line(start + i + 1, r.id, r.text, c, routeOf)));
      }
      bar.update(Math.min(start + BATCH, rows.length), rows.length);
    }
  } finally {
    bar.stop();
    await output.close();
  }
  const share = rows.length ? Math.round((auto / rows.length) * 100) : 0;
  if (opts.out) deps.out(`классифицировано строк: ${rows.length} → ${opts.out}; модель решила сама: ${share}%`);
  return 0;
}
